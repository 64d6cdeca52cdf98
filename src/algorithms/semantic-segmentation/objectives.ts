import type { ObjectiveMetric } from "../types.js";

/**
 * The metrics the algorithm reports and a tuning job may optimise: "The semantic segmentation
 * algorithm reports two validation metrics. When tuning hyperparameter values, choose one of these
 * metrics as the objective." Both are maximized (docs/sources.md#algorithm, "Metrics").
 */
export const OBJECTIVE_METRIC_NAMES = ["validation:mIOU", "validation:pixel_accuracy"] as const;

/** The objective metrics with their direction. */
export const OBJECTIVE_METRICS: readonly ObjectiveMetric[] = OBJECTIVE_METRIC_NAMES.map((name) => ({ name, direction: "Maximize" }));
