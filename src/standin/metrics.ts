import { hashUnit } from "../util/random.js";

/**
 * The validation metrics a completed simulated job reports: a smooth, made-up response surface
 * over the semantic segmentation hyperparameters (docs/sources.md#algorithm) plus a little
 * deterministic noise, so that a leaderboard has a clear and testable order. It depends on the
 * hyperparameters only: the same point always scores the same, whatever its job name or seed.
 * Nothing here claims to predict a real model's accuracy.
 */
export interface SimulatedMetrics {
  /** `validation:mIOU`, in [0, 1]. */
  readonly mIOU: number;
  /** `validation:pixel_accuracy`, in [0, 1]. */
  readonly pixelAccuracy: number;
}

/** log10 of the learning rate each optimizer scores best at in the simulation. */
const BEST_LOG_LR: Readonly<Record<string, number>> = { sgd: -2, nag: -2, adagrad: -1.7, rmsprop: -3, adam: -3.3 };
const ALGORITHM_BASE: Readonly<Record<string, number>> = { fcn: 0.6, psp: 0.64, deeplab: 0.66 };

function numberOr(text: string | undefined, fallback: number): number {
  const value = text === undefined ? Number.NaN : Number(text);
  return Number.isFinite(value) ? value : fallback;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** The metrics of a job trained with `hyperparameters` (SageMaker's string map; defaults from the algorithm docs). */
export function simulatedMetrics(hyperparameters: Readonly<Record<string, string>>): SimulatedMetrics {
  const optimizer = hyperparameters.optimizer ?? "sgd";
  const learningRate = numberOr(hyperparameters.learning_rate, 0.001);
  const epochs = numberOr(hyperparameters.epochs, 10);
  const miniBatch = numberOr(hyperparameters.mini_batch_size, 16);
  const cropSize = numberOr(hyperparameters.crop_size, 240);

  let score = ALGORITHM_BASE[hyperparameters.algorithm ?? "fcn"] ?? 0.6;
  if (hyperparameters.backbone === "resnet-101") score += 0.02;
  if (hyperparameters.use_pretrained_model === "False") score -= 0.15;
  // A smooth optimum in log(learning rate): one decade off costs 0.08 mIOU.
  const decadesOff = learningRate > 0 ? Math.log10(learningRate) - (BEST_LOG_LR[optimizer] ?? -2) : 3;
  score -= 0.08 * decadesOff * decadesOff;
  // More epochs help, with diminishing returns (10 epochs is the reference).
  score += 0.06 * (1 - Math.exp(-Math.max(0, epochs) / 15)) - 0.06 * (1 - Math.exp(-10 / 15));
  if (miniBatch < 4) score -= 0.02;
  score += 0.01 * clamp(Math.log2(Math.max(cropSize, 1) / 240), -1, 1);

  const canonical = Object.keys(hyperparameters)
    .sort()
    .map((key) => `${key}=${hyperparameters[key] ?? ""}`)
    .join("&");
  const mIOU = clamp(score + (hashUnit("mIOU", canonical) - 0.5) * 0.02, 0.02, 0.92);
  const pixelAccuracy = clamp(0.5 + 0.5 * mIOU + (hashUnit("pixel", canonical) - 0.5) * 0.01, 0, 0.99);
  return { mIOU: round(mIOU), pixelAccuracy: round(pixelAccuracy) };
}
