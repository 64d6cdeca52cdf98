import { z } from "zod";
import { OBJECTIVE_METRIC_NAMES } from "../algorithms/semantic-segmentation/index.js";

/**
 * The sweep file's optional `early_termination:` block: stop losing jobs of a campaign early, by
 * asynchronous successive halving (`asha`) or the median stopping rule (`median`), judged on the
 * campaign's objective after each epoch (docs/early-termination.md). Only the shape is checked
 * here; `plan` checks it against every point's `epochs` (src/plan/early-termination.ts).
 */

/** Epochs are whole and positive; a rule cannot judge before the first one. */
const MinEpochs = z
  .number()
  .int("a whole number of epochs")
  .min(1, "at least 1: the first epoch a job can be judged after")
  .max(10_000, "at most 10000 epochs");

const Asha = z.strictObject({
  rule: z.literal("asha"),
  min_epochs: MinEpochs,
  // 4 is Optuna's and Ray Tune's default (and the benchmark's); 2 halves, 10 keeps a tenth.
  reduction_factor: z.number().int("a whole number").min(2, "at least 2").max(10, "at most 10").default(4),
  // Where a rung draws the line: "top" keeps the best ⌊n/η⌋ (Optuna), "quantile" stops below the
  // (1 − 1/η) quantile of the earlier jobs (Ray Tune). The default is the benchmark's choice (BENCHMARKS.md).
  cutoff: z.enum(["top", "quantile"], { error: "top (Optuna's) or quantile (Ray Tune's)" }).default("top"),
});

const Median = z.strictObject({
  rule: z.literal("median"),
  min_epochs: MinEpochs,
});

/** Every key the block may hold (for did-you-mean suggestions). */
export const EARLY_TERMINATION_KEYS: readonly string[] = [...new Set([...Object.keys(Asha.shape), ...Object.keys(Median.shape)])];

/** The block as written. */
export const EarlyTerminationFields = z.discriminatedUnion("rule", [Asha, Median], {
  error: (issue) =>
    issue.code === "invalid_union" ? "rule must be asha (with min_epochs and reduction_factor) or median (with min_epochs)" : undefined,
});

/** ASHA as the rest of segsweep reads it; without `cutoff`, the rule's default ("top"). */
interface AshaConfig {
  readonly rule: "asha";
  readonly minEpochs: number;
  readonly reductionFactor: number;
  readonly cutoff?: "top" | "quantile";
}

/** The block as the rest of segsweep reads it. */
export const EarlyTermination = EarlyTerminationFields.transform(
  (block): AshaConfig | { readonly rule: "median"; readonly minEpochs: number } =>
    block.rule === "asha"
      ? { rule: "asha", minEpochs: block.min_epochs, reductionFactor: block.reduction_factor, cutoff: block.cutoff }
      : { rule: "median", minEpochs: block.min_epochs },
);
export type EarlyTermination = z.infer<typeof EarlyTermination>;

/** The objectives the algorithm reports after every epoch's validation, all maximised (docs/sources.md#algorithm): both of its objective metrics. */
export const PER_EPOCH_OBJECTIVES: readonly string[] = OBJECTIVE_METRIC_NAMES;

/** ASHA's rungs for a job of `epochs` epochs: min_epochs · η^k, strictly below `epochs` (judging the last epoch saves nothing). */
export function ashaRungs(minEpochs: number, reductionFactor: number, epochs: number): number[] {
  const rungs: number[] = [];
  for (let rung = minEpochs; rung < epochs; rung *= reductionFactor) rungs.push(rung);
  return rungs;
}

/** The epochs at which `config` judges a job of `epochs` epochs (median: every one from min_epochs, below the last). */
export function judgedEpochs(config: EarlyTermination, epochs: number): number[] {
  if (config.rule === "asha") return ashaRungs(config.minEpochs, config.reductionFactor, epochs);
  const out: number[] = [];
  for (let epoch = config.minEpochs; epoch < epochs; epoch++) out.push(epoch);
  return out;
}
