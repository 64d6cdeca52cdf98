import { HYPERPARAMETER_NAMES, hyperparameterKind } from "../algorithms/semantic-segmentation/index.js";
import { didYouMean } from "../util/suggest.js";
import type { Diagnostic, FieldPath } from "./diagnostic.js";

/**
 * Checks once per file what would otherwise fail on every point: hyperparameter names in
 * `hyperparameters`, `include` and `exclude` must be the algorithm's, and a random distribution
 * must suit its parameter (int_uniform only for integers, uniform/log_uniform for numbers).
 * Reads the file's data as written, not the parsed definition: the schema drops a `__proto__` key,
 * and the names are worth checking even when another section of the file is broken.
 * Returns diagnostics with field paths; the caller adds file positions.
 */
export function checkParameterNames(data: unknown): Array<Diagnostic & { readonly fieldPath: FieldPath; readonly at: "key" | "value" }> {
  const found: Array<Diagnostic & { fieldPath: FieldPath; at: "key" | "value" }> = [];
  const checkKey = (key: string, fieldPath: FieldPath): void => {
    if (hyperparameterKind(key) !== undefined) return;
    const hint = didYouMean(key, HYPERPARAMETER_NAMES);
    found.push({
      severity: "error",
      fieldPath,
      at: "key",
      message: `${key} is not a hyperparameter of the semantic segmentation algorithm${hint ? ` (did you mean "${hint}"?)` : ""}`,
    });
  };
  const hyperparameters = mappingAt(data, "hyperparameters");
  for (const key of Object.keys(hyperparameters ?? {})) {
    checkKey(key, ["hyperparameters", key]);
    const distribution = distributionName(hyperparameters?.[key]);
    if (distribution !== undefined) {
      const problem = distributionMismatch(key, distribution);
      if (problem) found.push({ severity: "error", fieldPath: ["hyperparameters", key], at: "value", message: problem });
    }
  }
  for (const field of ["include", "exclude"] as const) {
    const entries = (data as Record<string, unknown> | null)?.[field];
    if (!Array.isArray(entries)) continue;
    entries.forEach((entry, index) => {
      if (isMapping(entry)) for (const key of Object.keys(entry)) checkKey(key, [field, index, key]);
    });
  }
  return found;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function mappingAt(data: unknown, field: string): Record<string, unknown> | undefined {
  const value = isMapping(data) && Object.hasOwn(data, field) ? data[field] : undefined;
  return isMapping(value) ? value : undefined;
}

function distributionName(value: unknown): string | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  return keys.length === 1 ? keys[0] : undefined;
}

function distributionMismatch(key: string, distribution: string): string | undefined {
  const kind = hyperparameterKind(key);
  if (kind === undefined) return undefined;
  if (distribution === "int_uniform" && kind !== "integer") {
    return `${key}: int_uniform draws integers, but ${key} is ${kind === "float" ? "a float: use uniform or log_uniform" : `${kind}: list its values instead`}`;
  }
  if ((distribution === "uniform" || distribution === "log_uniform") && kind !== "float" && kind !== "integer") {
    return `${key}: ${distribution} draws numbers, but ${key} is ${kind}: list its values instead`;
  }
  if ((distribution === "uniform" || distribution === "log_uniform") && kind === "integer") {
    return `${key}: ${distribution} draws real numbers, but ${key} is an integer: use int_uniform`;
  }
  return undefined;
}
