import {
  AMT_DEFAULT_PARALLEL,
  AMT_DEFAULT_TRAINING_JOBS,
  AMT_MAX_PARALLEL,
  AMT_MAX_SEARCHED_VALUES,
  AMT_MAX_TRAINING_JOBS,
  type AmtStrategy,
} from "../../catalog/tuning.js";
import type { SweepDefinition } from "../../sweep/definition.js";
import { diagnostic } from "../../sweep/expand/space.js";
import type { SpaceDiagnostic } from "../../sweep/expand/types.js";
import type { Branch } from "./branches.js";
import { splitEvenly } from "./budget.js";
import type { Tuned } from "./space.js";

/**
 * AMT's limits on one tuning job (docs/sources.md#amt), checked per branch before anything is
 * submitted, and the campaign's budget divided between the branches (budget.ts).
 */

/** How many hyperparameters a tuning job searches in AMT's count: one per numeric range, one per categorical value. */
export function searchedCount(tuned: readonly Tuned[]): number {
  return tuned.reduce((sum, t) => sum + (t.kind === "categorical" ? t.values.length : 1), 0);
}

/** Distinct combinations of a branch's categorical ranges (what a grid runs). */
export function combinationsOf(tuned: readonly Tuned[]): number {
  return tuned.reduce((product, t) => product * (t.kind === "categorical" ? t.values.length : 1), 1);
}

/** Per branch: MaxNumberOfTrainingJobs and MaxParallelTrainingJobs. */
export interface Allocation {
  readonly jobs: readonly number[];
  readonly parallel: readonly number[];
}

/** A branch as messages name it: `branch 2 (optimizer: adam, rmsprop)`, or nothing when there is one. */
export function branchLabel(branches: readonly Branch[], index: number): string {
  if (branches.length === 1) return "the tuning job";
  const covers = Object.entries(branches[index]?.covers ?? {})
    .map(([name, values]) => `${name}: ${values.join(", ")}`)
    .join("; ");
  return `branch ${index + 1} (${covers})`;
}

/** Errors when a branch searches more than AMT allows. */
export function rangeLimitDiagnostics(branches: readonly Branch[]): SpaceDiagnostic[] {
  return branches.flatMap((branch, i) => {
    const count = searchedCount(branch.tuned);
    if (count <= AMT_MAX_SEARCHED_VALUES) return [];
    const parts = branch.tuned.map((t) => (t.kind === "categorical" ? `${t.name} ${t.values.length}` : `${t.name} 1`)).join(", ");
    const message = `${branchLabel(branches, i)} searches ${count} hyperparameters in AMT's count (each categorical value counts: ${parts}); a tuning job searches at most ${AMT_MAX_SEARCHED_VALUES}`;
    return [diagnostic("error", ["hyperparameters"], "key", message)];
  });
}

/** Divides samples and max_concurrency between the branches and checks both against AMT's limits. */
export function allocate(
  def: SweepDefinition,
  branches: readonly Branch[],
  strategy: AmtStrategy,
): { readonly allocation?: Allocation; readonly diagnostics: SpaceDiagnostic[] } {
  const out: SpaceDiagnostic[] = [];
  const n = branches.length;
  const grid = strategy === "Grid";
  const caps = branches.map((b) => (grid ? combinationsOf(b.tuned) : Number.POSITIVE_INFINITY));
  const totalCombinations = caps.reduce((a, b) => a + b, 0);
  const samples = def.samples ?? (grid ? totalCombinations : 0);
  const tuningJobs = n === 1 ? "the tuning job" : `the ${n} tuning jobs (one per branch)`;
  if (grid && samples > totalCombinations) {
    const message = `samples: ${samples} is more than the ${totalCombinations} combinations of the categorical ranges; AMT refuses a grid whose MaxNumberOfTrainingJobs is above its combinations: lower samples, or leave it out to run every combination`;
    out.push(diagnostic("error", ["samples"], "value", message));
  }
  if (samples < n) {
    const message = `samples: ${samples} cannot be divided between ${tuningJobs}: each needs at least one training job; raise samples to at least ${n}`;
    out.push(diagnostic("error", ["samples"], "value", message));
  }
  const concurrency = def.limits.maxConcurrency;
  if (concurrency < n) {
    const message = `limits.max_concurrency: ${concurrency} cannot be divided between ${tuningJobs}, which run at the same time with at least one training job each; raise it to at least ${n}`;
    out.push(diagnostic("error", ["limits", "max_concurrency"], "value", message));
  }
  if (out.length > 0) return { diagnostics: out };
  const jobs = splitEvenly(samples, caps);
  const parallel = splitEvenly(
    concurrency,
    branches.map(() => Number.POSITIVE_INFINITY),
  ).map((p, i) => Math.min(p, jobs[i] ?? p));
  out.push(...allocationLimits(branches, strategy, jobs, parallel));
  return { allocation: { jobs, parallel }, diagnostics: out };
}

function allocationLimits(branches: readonly Branch[], strategy: AmtStrategy, jobs: readonly number[], parallel: readonly number[]) {
  const out: SpaceDiagnostic[] = [];
  const max = AMT_MAX_TRAINING_JOBS[strategy];
  jobs.forEach((count, i) => {
    const who = branchLabel(branches, i);
    if (count > max) {
      out.push(
        diagnostic(
          "error",
          ["samples"],
          "value",
          `${who} would run ${count} training jobs; a ${strategy} tuning job runs at most ${max.toLocaleString("en-US")}`,
        ),
      );
    } else if (count > AMT_DEFAULT_TRAINING_JOBS) {
      const message = `${who} would run ${count} training jobs; the default limit is ${AMT_DEFAULT_TRAINING_JOBS} per tuning job (${strategy} can be raised to ${max.toLocaleString("en-US")} through AWS Support)`;
      out.push(diagnostic("warning", ["samples"], "value", message));
    }
  });
  parallel.forEach((count, i) => {
    const who = branchLabel(branches, i);
    if (count > AMT_MAX_PARALLEL) {
      const message = `${who} would run ${count} training jobs at once; a tuning job runs at most ${AMT_MAX_PARALLEL} in parallel (MaxParallelTrainingJobs)`;
      out.push(diagnostic("error", ["limits", "max_concurrency"], "value", message));
    } else if (count > AMT_DEFAULT_PARALLEL) {
      const message = `${who} would run ${count} training jobs at once; the default limit is ${AMT_DEFAULT_PARALLEL} per tuning job (raised to at most ${AMT_MAX_PARALLEL} through Service Quotas)`;
      out.push(diagnostic("warning", ["limits", "max_concurrency"], "value", message));
    }
  });
  return out;
}
