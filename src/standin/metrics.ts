import { learningCurve } from "./curves.js";

/**
 * The validation metrics a completed simulated job reports in FinalMetricDataList: the last epoch
 * of its learning curve (curves.ts, docs/standin.md), so the final values and the per-epoch
 * metrics in CloudWatch and the log always agree. It depends on the hyperparameters only: the same
 * point always scores the same, whatever its job name or seed. Nothing here claims to predict a
 * real model's accuracy.
 */
export interface SimulatedMetrics {
  /** `validation:mIOU`, in [0, 1]. */
  readonly mIOU: number;
  /** `validation:pixel_accuracy`, in [0, 1]. */
  readonly pixelAccuracy: number;
}

/** The final metrics of a job trained with `hyperparameters` (SageMaker's string map; defaults from the algorithm docs). */
export function simulatedMetrics(hyperparameters: Readonly<Record<string, string>>): SimulatedMetrics {
  const last = learningCurve(hyperparameters).epochs.at(-1);
  return { mIOU: last?.mIOU ?? 0, pixelAccuracy: last?.pixelAccuracy ?? 0 };
}
