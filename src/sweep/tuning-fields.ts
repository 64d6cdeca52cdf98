import { z } from "zod";

/**
 * The sweep-file fields of the tuning engine (SageMaker Automatic Model Tuning, docs/tuning.md):
 * the strategies AMT adds, the engine switch and warm start. Their shape only; what they mean for
 * a campaign is checked by src/plan/tuning/.
 */

/** grid and random run client-side by default; bayesian and hyperband exist only as AMT strategies. */
export const Strategy = z.enum(["grid", "random", "bayesian", "hyperband"]);
export type Strategy = z.infer<typeof Strategy>;

/** `jobs`: segsweep launches every training job itself; `tuning`: one AMT tuning job per branch does. */
export const Engine = z.enum(["jobs", "tuning"]);
export type Engine = z.infer<typeof Engine>;

/** WarmStartConfig.ParentHyperParameterTuningJobs: 1 to 5 (API model; docs/sources.md#amt). */
export const WARM_START_MAX_PARENTS = 5;

/** `warm_start:` as written: parents by campaign name (a sweep beside this one) or tuning job name. */
export const WarmStart = z.strictObject({
  from: z
    .array(z.string().min(1, "a campaign name or a tuning job name"))
    .min(1, "at least one campaign name or tuning job name")
    .max(WARM_START_MAX_PARENTS, `at most ${WARM_START_MAX_PARENTS} parents (WarmStartConfig.ParentHyperParameterTuningJobs)`),
  type: z.enum(["identical_data_and_algorithm", "transfer_learning"]),
});
export type WarmStart = z.infer<typeof WarmStart>;

/** Whether a parsed sweep runs on the tuning engine: asked for, implied by its strategy, or by warm start. */
export function usesTuningEngine(def: {
  readonly strategy: Strategy;
  readonly engine?: Engine | undefined;
  readonly warm_start?: unknown;
}): boolean {
  return def.engine === "tuning" || def.strategy === "bayesian" || def.strategy === "hyperband" || def.warm_start !== undefined;
}
