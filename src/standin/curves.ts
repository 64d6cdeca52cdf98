import { hashUnit } from "../util/random.js";

/**
 * The stand-in's learning curves: per epoch `validation:mIOU`, `validation:pixel_accuracy` and
 * `train:loss` of a simulated semantic segmentation job, as a made-up but documented function of
 * its hyperparameters (docs/standin.md, "Learning curves"). A saturating rise towards a level set
 * by the hyperparameters, at a speed set by them too, plus a late gain from the learning-rate
 * schedule and per-epoch noise. Higher learning rates and smaller models rise faster but level
 * off lower, so curves cross: early ranks are not final ranks, and early termination can be
 * wrong. Everything depends on the hyperparameters only (hash-keyed noise): the same point always
 * draws the same curve, whatever its job name, seed or the order of requests. Nothing here claims
 * to predict a real model's accuracy. The parameters are fixed in docs/standin.md.
 */

/** One epoch of a curve. */
export interface CurvePoint {
  /** 1-based. */
  readonly epoch: number;
  readonly mIOU: number;
  readonly pixelAccuracy: number;
  readonly trainLoss: number;
}

/** A job's whole simulated training. */
export interface LearningCurve {
  /** The `epochs` hyperparameter (default 10). */
  readonly plannedEpochs: number;
  /** Epochs actually trained: fewer when the algorithm's own early stopping ends the job on a plateau. */
  readonly epochs: readonly CurvePoint[];
}

/** log10 of the learning rate at which each optimizer reaches its highest level. */
const BEST_LOG_LR: Readonly<Record<string, number>> = { sgd: -2, nag: -2, adagrad: -1.7, rmsprop: -3, adam: -3.3 };
const ALGORITHM_BASE: Readonly<Record<string, number>> = { fcn: 0.6, psp: 0.64, deeplab: 0.66 };
/** Seconds per epoch relative to FCN. */
const ALGORITHM_COST: Readonly<Record<string, number>> = { fcn: 1, psp: 1.2, deeplab: 1.5 };

/** The model's fixed parameters (docs/standin.md lists them; change both together, never to suit a stopping rule). */
export const CURVE_MODEL = {
  /** mIOU before the first epoch (a random head). */
  start: 0.05,
  /** Epochs to cover 63% of the rise at the optimizer's best learning rate, ResNet-50, batch 16, pretrained. */
  tau: 4,
  /** Each decade of learning rate above the best divides tau by 10^0.4 (about 2.5); below, multiplies it. */
  tauPerDecade: 0.4,
  tauBounds: [0.5, 40] as const,
  /** mIOU lost per squared decade away from the best learning rate. */
  levelPerDecadeSquared: 0.08,
  resnet101: { level: 0.02, tau: 1.4 },
  unpretrained: { level: -0.15, tau: 3 },
  /** tau grows with sqrt(mini_batch_size / 16): fewer updates per epoch. */
  batchTauExponent: 0.5,
  /** The late gain of a decaying learning rate, reached at the last planned epoch. */
  scheduleGain: { poly: 0.03, cosine: 0.035, step: 0.03 } as Readonly<Record<string, number>>,
  /** Half-widths: a per-point offset of the level (uniform) and per-epoch noise (triangular). */
  pointNoise: 0.01,
  epochNoise: 0.01,
} as const;

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

/** The hyperparameters as one canonical string (sorted keys): the key of every draw. */
export function canonicalKey(hyperparameters: Readonly<Record<string, string>>): string {
  return Object.keys(hyperparameters)
    .sort()
    .map((key) => `${key}=${hyperparameters[key] ?? ""}`)
    .join("&");
}

/** The planned `epochs` (default 10), as a whole number of at least 1. */
export function plannedEpochs(hyperparameters: Readonly<Record<string, string>>): number {
  return clamp(Math.floor(numberOr(hyperparameters.epochs, 10)), 1, 10_000);
}

/** The level a job approaches and how fast (tau, in epochs). */
function levelAndSpeed(hp: Readonly<Record<string, string>>): { level: number; tau: number } {
  const m = CURVE_MODEL;
  const optimizer = hp.optimizer ?? "sgd";
  const learningRate = numberOr(hp.learning_rate, 0.001);
  const miniBatch = numberOr(hp.mini_batch_size, 16);
  const cropSize = numberOr(hp.crop_size, 240);
  const decades = learningRate > 0 ? Math.log10(learningRate) - (BEST_LOG_LR[optimizer] ?? -2) : 3;
  let level = (ALGORITHM_BASE[hp.algorithm ?? "fcn"] ?? 0.6) - m.levelPerDecadeSquared * decades * decades;
  let tau = m.tau * 10 ** (-m.tauPerDecade * decades) * (Math.max(miniBatch, 1) / 16) ** m.batchTauExponent;
  if (hp.backbone === "resnet-101") {
    level += m.resnet101.level;
    tau *= m.resnet101.tau;
  }
  if (hp.use_pretrained_model === "False") {
    level += m.unpretrained.level;
    tau *= m.unpretrained.tau;
  }
  if (miniBatch < 4) level -= 0.02;
  level += 0.01 * clamp(Math.log2(Math.max(cropSize, 1) / 240), -1, 1);
  return { level, tau: clamp(tau, m.tauBounds[0], m.tauBounds[1]) };
}

/** How far the schedule has decayed the learning rate after `epoch` of `total` (0 = not at all, 1 = fully). */
export function scheduleDecay(hp: Readonly<Record<string, string>>, epoch: number, total: number): number {
  const t = clamp(epoch / total, 0, 1);
  const scheduler = hp.lr_scheduler ?? "poly";
  if (scheduler === "cosine") return (1 - Math.cos(Math.PI * t)) / 2;
  if (scheduler === "step") {
    const steps = (hp.lr_scheduler_step ?? "")
      .split(",")
      .map((s) => Number(s.trim()))
      .filter((s) => Number.isFinite(s) && s > 0);
    const factor = clamp(numberOr(hp.lr_scheduler_factor, 0.1), 0, 1);
    return 1 - factor ** steps.filter((s) => s < epoch).length;
  }
  return 1 - (1 - t) ** 0.9;
}

/** Triangular noise in [-width, width] that depends only on `parts`. */
function noise(width: number, ...parts: readonly (string | number)[]): number {
  return (hashUnit(...parts, 1) + hashUnit(...parts, 2) - 1) * width;
}

/** The epoch (≥ early_stopping_min_epochs) at which the algorithm's own early stopping ends training, if it does. */
export function algorithmStopEpoch(hp: Readonly<Record<string, string>>, mIOU: readonly number[]): number | undefined {
  if (hp.early_stopping !== "True") return undefined;
  const minEpochs = numberOr(hp.early_stopping_min_epochs, 5);
  const patience = numberOr(hp.early_stopping_patience, 4);
  const tolerance = numberOr(hp.early_stopping_tolerance, 0);
  let best = mIOU[0] ?? 0;
  let stale = 0;
  for (let index = 1; index < mIOU.length; index++) {
    const value = mIOU[index] ?? 0;
    // "relative mIOU improvement below the tolerance counts as no improvement" (the seed's row).
    if (best > 0 && (value - best) / best > tolerance) {
      best = value;
      stale = 0;
    } else {
      stale += 1;
    }
    const epoch = index + 1;
    if (epoch >= minEpochs && stale >= patience && epoch < mIOU.length) return epoch;
  }
  return undefined;
}

/** The whole learning curve of a job trained with `hyperparameters` (SageMaker's string map). */
export function learningCurve(hyperparameters: Readonly<Record<string, string>>): LearningCurve {
  const m = CURVE_MODEL;
  const key = canonicalKey(hyperparameters);
  const total = plannedEpochs(hyperparameters);
  const { level: baseLevel, tau } = levelAndSpeed(hyperparameters);
  const level = baseLevel + (hashUnit("mIOU", key) - 0.5) * 2 * m.pointNoise;
  const gain = m.scheduleGain[hyperparameters.lr_scheduler ?? "poly"] ?? 0;
  const mIOU: number[] = [];
  for (let epoch = 1; epoch <= total; epoch++) {
    const rise = 1 - Math.exp(-epoch / tau);
    const value = m.start + (level - m.start) * rise + gain * scheduleDecay(hyperparameters, epoch, total);
    mIOU.push(round(clamp(value + noise(m.epochNoise, "curve", key, epoch), 0.01, 0.95)));
  }
  const trained = algorithmStopEpoch(hyperparameters, mIOU) ?? total;
  const epochs: CurvePoint[] = [];
  for (let epoch = 1; epoch <= trained; epoch++) {
    const value = mIOU[epoch - 1] ?? 0;
    const loss = 0.25 + 1.5 * Math.exp(-epoch / tau) - 0.5 * gain * scheduleDecay(hyperparameters, epoch, total);
    epochs.push({
      epoch,
      mIOU: value,
      pixelAccuracy: round(clamp(0.5 + 0.5 * value + noise(0.005, "pixel", key, epoch), 0, 0.99)),
      trainLoss: round(Math.max(0.01, loss + noise(0.01, "loss", key, epoch))),
    });
  }
  return { plannedEpochs: total, epochs };
}

/**
 * SageMaker seconds a job trains for, from creation to completion had nothing stopped it: a fixed
 * start-up and upload share (12%) plus `epochs` epochs of `baseEpochSeconds` scaled by the model's
 * size (ResNet-101 1.6×, PSP 1.2×, DeepLab 1.5×) and the crop area. For benchmarks that want
 * durations to follow the epochs (the stand-in's `duration` option); the default is a log-normal draw.
 */
export function simulatedTrainingSeconds(hyperparameters: Readonly<Record<string, string>>, baseEpochSeconds: number): number {
  const crop = numberOr(hyperparameters.crop_size, 240);
  let perEpoch = baseEpochSeconds * (ALGORITHM_COST[hyperparameters.algorithm ?? "fcn"] ?? 1) * (crop / 240) ** 2;
  if (hyperparameters.backbone === "resnet-101") perEpoch *= 1.6;
  return (plannedEpochs(hyperparameters) * perEpoch) / 0.88;
}
