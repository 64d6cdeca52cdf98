import type { JobsPlan } from "../plan/types.js";
import { count } from "./layout.js";
import { type CheckResult, result } from "./report.js";

/**
 * num_training_samples against the data: the algorithm builds its learning-rate schedule from it
 * (docs/sources.md#algorithm), so a wrong value trains with a schedule meant for another dataset
 * without any error. Pure.
 */

/** The distinct values a hyperparameter takes across the planned jobs, ascending. */
export function distinctValues(plan: JobsPlan, name: string): number[] {
  const values = new Set<number>();
  for (const job of plan.jobs) {
    const value = Number(job.hyperparameters[name]);
    if (job.hyperparameters[name] !== undefined && Number.isFinite(value)) values.add(value);
  }
  return [...values].sort((a, b) => a - b);
}

/**
 * One value of num_training_samples against the number of training images (or manifest lines).
 * `found` undefined: could not be counted; `complete` false: a lower bound (listing cut at the bound).
 */
export function checkSamples(
  value: number,
  found: { readonly images: number | undefined; readonly complete: boolean; readonly what: string },
): CheckResult {
  const subject = `num_training_samples ${value}`;
  const numbers = { numTrainingSamples: value, trainingImages: found.images ?? null };
  if (found.images === undefined) {
    return result("samples", subject, "warn", `num_training_samples ${count(value)} not compared: the ${found.what} could not be counted`, {
      numbers,
    });
  }
  if (!found.complete) {
    return result(
      "samples",
      subject,
      "warn",
      `num_training_samples ${count(value)}; at least ${count(found.images)} ${found.what} (listing cut at the bound)`,
      { numbers },
    );
  }
  if (value === found.images)
    return result("samples", subject, "pass", `num_training_samples ${count(value)} equals the ${count(found.images)} ${found.what}`, {
      numbers,
    });
  return result(
    "samples",
    subject,
    "warn",
    `num_training_samples is ${count(value)} but there are ${count(found.images)} ${found.what}: the learning-rate schedule is built from it`,
    { numbers, fix: `Set hyperparameters.num_training_samples to ${found.images}` },
  );
}
