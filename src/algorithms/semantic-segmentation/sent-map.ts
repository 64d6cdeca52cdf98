import { HYPERPARAMETER_NAMES } from "./fields.js";

/**
 * Builds the map sent (CreateTrainingJob.HyperParameters) from the values of the parameters
 * that apply, keys in table order: the parameters whose bit is set in `mask`
 * (bit i = HYPERPARAMETER_NAMES[i]), each with `values[i]`.
 */
export function buildSentMap(mask: number, values: readonly string[]): Record<string, string> {
  const sent: Record<string, string> = {};
  for (let i = 0; i < HYPERPARAMETER_NAMES.length; i++) {
    if (mask & (1 << i)) sent[HYPERPARAMETER_NAMES[i] ?? ""] = values[i] ?? "";
  }
  return sent;
}
