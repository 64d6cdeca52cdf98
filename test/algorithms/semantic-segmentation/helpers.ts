import { expect } from "vitest";
import { type Resolution, resolveHyperparameters } from "../../../src/algorithms/semantic-segmentation/index.js";

/** The two required parameters, so a point is otherwise valid. */
export const REQUIRED = { num_classes: 21, num_training_samples: 1000 } as const;

/** Settings under which each conditional parameter applies (the others always apply). */
export const ENABLING: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  gamma1: { optimizer: "rmsprop" },
  gamma2: { optimizer: "rmsprop" },
  lr_scheduler_factor: { lr_scheduler: "step", lr_scheduler_step: "5" },
  lr_scheduler_step: { lr_scheduler: "step" },
  early_stopping_min_epochs: { early_stopping: true, epochs: 100 },
  early_stopping_patience: { early_stopping: true },
  early_stopping_tolerance: { early_stopping: true },
};

/** Resolves a valid point in which `name` applies, with `name` set to `value`. */
export function resolveWith(name: string, value: unknown, extra: Readonly<Record<string, unknown>> = {}): Resolution {
  return resolveHyperparameters({ ...REQUIRED, ...ENABLING[name], ...extra, [name]: value });
}

/** The point must resolve; returns the map sent. */
export function sent(resolution: Resolution): Record<string, string> {
  if (!resolution.ok) expect.fail(`expected the point to resolve, got: ${resolution.errors.map((e) => e.message).join(" | ")}`);
  return resolution.hyperparameters;
}

/** The point must be refused; returns the error messages. */
export function errorMessages(resolution: Resolution): string[] {
  if (resolution.ok) expect.fail(`expected errors, got ${JSON.stringify(resolution.hyperparameters)}`);
  return resolution.errors.map((e) => e.message);
}

export function warningMessages(resolution: Resolution): string[] {
  return resolution.warnings.map((w) => w.message);
}
