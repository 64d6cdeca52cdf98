import type { ContractIssue } from "../types.js";
import { CROP_SIZE_MULTIPLE, FIELDS, type FieldSpec, type HyperparameterName, showValue } from "./schema.js";

/**
 * One field alone: checked by its schema, serialised as SageMaker gets it, memoised.
 * The planner resolves up to a million points whose values repeat, so each (key, value) is
 * evaluated once: a one-entry memo catches a grid's unchanged axes, a bounded Map the rest
 * (its SameValueZero keys keep 16, "16" and true apart).
 */

export type { ContractIssue };

/** A field's value checked on its own: the typed value and the string sent, or its error. */
export type FieldOutcome =
  | { readonly ok: true; readonly value: unknown; readonly sent: string; readonly warning?: ContractIssue }
  | { readonly ok: false; readonly error: ContractIssue };

/**
 * CreateTrainingJob.HyperParameters (API model shape `HyperParameters`): at most 100 entries;
 * keys (`HyperParameterKey`) at most 256 characters. `HyperParameterValue` allows 2500 in the
 * model, but the API reference says "Each key and value is limited to 256 characters": we keep 256.
 */
export const SAGEMAKER_LIMITS = { maxEntries: 100, maxKeyChars: 256, maxValueChars: 256 } as const;

/** The 24 names, in the documentation's table order (also the order of the map sent). */
export const HYPERPARAMETER_NAMES: readonly HyperparameterName[] = Object.keys(FIELDS) as HyperparameterName[];

if (
  HYPERPARAMETER_NAMES.length > SAGEMAKER_LIMITS.maxEntries ||
  HYPERPARAMETER_NAMES.some((name) => name.length > SAGEMAKER_LIMITS.maxKeyChars)
) {
  throw new Error("the contract no longer fits CreateTrainingJob.HyperParameters (100 keys of at most 256 characters)");
}

/** Index of each name in HYPERPARAMETER_NAMES (a prototype-free object: `__proto__` is just an unknown key). */
export const NAME_INDEX: Readonly<Record<string, number | undefined>> = Object.assign(
  Object.create(null) as Record<string, number>,
  Object.fromEntries(HYPERPARAMETER_NAMES.map((name, i) => [name, i])),
);

/** Per key; beyond this the oldest entry goes (random draws rarely repeat; grids stay far below). */
const CACHE_LIMIT = 4096;

/** A field's evaluator and its memo. */
export interface FieldSlot {
  readonly name: HyperparameterName;
  readonly field: FieldSpec;
  readonly cache: Map<unknown, FieldOutcome>;
  lastRaw: unknown;
  lastOutcome: FieldOutcome | undefined;
  /** The outcome when the point leaves the key out: the default, "required", or undefined (nothing to send). */
  readonly fallback: FieldOutcome | undefined;
}

/** How SageMaker gets a checked value: booleans as True/False, lists comma-separated, numbers as JS prints them. */
function serialise(value: unknown): string {
  if (typeof value === "boolean") return value ? "True" : "False";
  if (Array.isArray(value)) return value.join(",");
  return String(value);
}

/** Checks and serialises one field alone; per-field warnings ride along. */
function evaluate(name: HyperparameterName, field: FieldSpec, raw: unknown): FieldOutcome {
  const parsed = field.schema.safeParse(raw);
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? `${name}: ${showValue(raw)} is not allowed; allowed: ${field.allowed}`;
    return { ok: false, error: raw === undefined ? { key: name, message } : { key: name, message, value: raw } };
  }
  let value: unknown = parsed.data;
  let warning: ContractIssue | undefined;
  if (name === "crop_size" && typeof value === "number" && value % CROP_SIZE_MULTIPLE !== 0) {
    const rounded = Math.ceil(value / CROP_SIZE_MULTIPLE) * CROP_SIZE_MULTIPLE;
    const message = `crop_size: ${showValue(raw)} is rounded up to ${rounded} by the algorithm (a multiple of ${CROP_SIZE_MULTIPLE}), so ${rounded} is sent`;
    warning = { key: name, value: raw, message };
    value = rounded;
  }
  if (name === "validation_mini_batch_size" && value === 1 && raw !== undefined) {
    const message =
      "validation_mini_batch_size: 1 scores whole uncropped images with a new network per image, which slows validation and training";
    warning = { key: name, value: raw, message };
  }
  const sent = serialise(value);
  if (sent.length > SAGEMAKER_LIMITS.maxValueChars) {
    const shown = sent.length > 40 ? `${sent.slice(0, 37)}...` : sent;
    const message = `${name}: "${shown}" is ${sent.length} characters when sent; SageMaker accepts at most ${SAGEMAKER_LIMITS.maxValueChars} per hyperparameter value (CreateTrainingJob.HyperParameters)`;
    return { ok: false, error: { key: name, message, value: raw } };
  }
  return warning === undefined ? { ok: true, value, sent } : { ok: true, value, sent, warning };
}

/** The fields in table order, each with its default outcome computed once. */
export const SLOTS: readonly FieldSlot[] = HYPERPARAMETER_NAMES.map((name) => {
  const field: FieldSpec = FIELDS[name];
  const absent = field.schema.safeParse(undefined);
  const fallback = absent.success && absent.data === undefined ? undefined : evaluate(name, field, undefined);
  return { name, field, cache: new Map(), lastRaw: undefined, lastOutcome: undefined, fallback };
});

/** evaluate(), memoised per primitive value; objects (never produced by YAML scalars) are not cached. */
export function checkField(slot: FieldSlot, raw: unknown): FieldOutcome {
  const primitive = raw === null || (typeof raw !== "object" && typeof raw !== "function");
  if (!primitive) return evaluate(slot.name, slot.field, raw);
  if (raw === slot.lastRaw && slot.lastOutcome !== undefined) return slot.lastOutcome;
  let outcome = slot.cache.get(raw);
  if (outcome === undefined) {
    outcome = evaluate(slot.name, slot.field, raw);
    if (slot.cache.size >= CACHE_LIMIT) slot.cache.delete(slot.cache.keys().next().value);
    slot.cache.set(raw, outcome);
  }
  slot.lastRaw = raw;
  slot.lastOutcome = outcome;
  return outcome;
}
