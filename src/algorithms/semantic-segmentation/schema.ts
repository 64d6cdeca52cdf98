import { z } from "zod";
import { didYouMean } from "../../util/suggest.js";

/**
 * THE contract: the 24 hyperparameters of the SageMaker built-in semantic segmentation
 * algorithm, each with its type, range or values, default and required-ness, as in the
 * "Semantic Segmentation Hyperparameters" page (docs.aws.amazon.com/sagemaker/latest/dg/
 * segmentation-hyperparameters.html; the rows as enforced: docs/contract.md).
 *
 * Every per-field rule and every per-field message lives here. Bounds are written once: the
 * zod checks and the "allowed" text in messages and docs are both built from them.
 * Cross-field rules (what applies with which optimizer, lr_scheduler_step with step, ...) are in
 * resolve.ts. Defaults are those of the current page; older copies differ (crop_size 480,
 * epochs 30, mini_batch_size 4), which is why every default is sent explicitly.
 */

/** How the sweep file writes a value of this parameter (also picks the random distributions that fit). */
export type HyperparameterKind = "integer" | "float" | "boolean" | "enum" | "string";

/** One row of the contract: its schema, its kind, and the allowed values in words. */
export interface FieldSpec<S extends z.ZodType = z.ZodType> {
  readonly schema: S;
  readonly kind: HyperparameterKind;
  /** What is allowed, in the words messages and docs use, e.g. `a number with 0 < x ≤ 1`. */
  readonly allowed: string;
  readonly required: boolean;
  /** Integer and float fields: the interval the schema checks (the very object its checks are built from). */
  readonly bounds?: Bounds;
  /** Enum and boolean fields: every allowed value, spelled as sent. */
  readonly values?: readonly string[];
}

/** The algorithm rounds crop_size up to a multiple of this (HP-doc: "automatically rounded up to multiples of 8"). */
export const CROP_SIZE_MULTIPLE = 8;

/** A value as the sweep file wrote it, for messages: strings quoted, YAML's .nan/.inf spelled as YAML does. */
export function showValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (Number.isNaN(value)) return ".nan";
    if (!Number.isFinite(value)) return value > 0 ? ".inf" : "-.inf";
    return String(value);
  }
  if (value === null) return "null";
  if (typeof value === "object") return Array.isArray(value) ? "a list" : "a mapping";
  return String(value);
}

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Numeric strings ("0.001", "1e-3", "16") are read as the number they spell; anything else is left as given. */
function readNumericString(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const text = value.trim();
  return DECIMAL.test(text) ? Number(text) : value;
}

/** The zod issue as our error functions see it (the subset they read). */
interface RawIssue {
  readonly code?: string;
  readonly input?: unknown;
  readonly expected?: string;
  readonly origin?: string;
}

/** A numeric field's interval: at most one lower and one upper bound, each open or closed. */
export interface Bounds {
  /** Exclusive / inclusive lower bound (at most one). */
  readonly gt?: number;
  readonly gte?: number;
  /** Exclusive / inclusive upper bound (at most one). */
  readonly lt?: number;
  readonly lte?: number;
}

function describeBounds(kind: "integer" | "float", bounds: Bounds): string {
  const noun = kind === "integer" ? "an integer" : "a number";
  const v = kind === "integer" ? "n" : "x";
  const low = bounds.gt !== undefined ? `${bounds.gt} < ` : bounds.gte !== undefined ? `${bounds.gte} ≤ ` : "";
  const high = bounds.lt !== undefined ? ` < ${bounds.lt}` : bounds.lte !== undefined ? ` ≤ ${bounds.lte}` : "";
  // Only a lower bound: "n ≥ 1" reads better than "1 ≤ n".
  if (high === "") return `${noun} with ${v} ${bounds.gt !== undefined ? ">" : "≥"} ${bounds.gt ?? bounds.gte}`;
  return `${noun} with ${low}${v}${high}`;
}

function numberField(
  name: string,
  kind: "integer" | "float",
  bounds: Bounds,
  note = "",
): FieldSpec<z.ZodType<number, unknown>> & { readonly base: z.ZodType<number, unknown> } {
  const allowed = describeBounds(kind, bounds) + note;
  const error = (issue: RawIssue): string => {
    const given = showValue(issue.input);
    if (issue.input === undefined) return `${name} is required; allowed: ${allowed}`;
    if (typeof issue.input === "number" && !Number.isFinite(issue.input))
      return `${name}: ${given} is not a finite number; allowed: ${allowed}`;
    if (issue.code === "invalid_type" && issue.expected === "int") return `${name}: ${given} is not an integer; allowed: ${allowed}`;
    if (issue.code === "too_big" && issue.origin === "int") {
      return `${name}: ${given} is too large to be sent exactly (the limit is ${Number.MAX_SAFE_INTEGER}); allowed: ${allowed}`;
    }
    if (issue.code === "too_small" || issue.code === "too_big") return `${name}: ${given} is out of range; allowed: ${allowed}`;
    return `${name}: ${given} is not a number; allowed: ${allowed}`;
  };
  // abort: one message per field, the first rule broken.
  const check = { error, abort: true } as const;
  let inner: z.ZodNumber = kind === "integer" ? z.int(check) : z.number(check);
  if (bounds.gt !== undefined) inner = inner.gt(bounds.gt, check);
  if (bounds.gte !== undefined) inner = inner.gte(bounds.gte, check);
  if (bounds.lt !== undefined) inner = inner.lt(bounds.lt, check);
  if (bounds.lte !== undefined) inner = inner.lte(bounds.lte, check);
  const base = z.preprocess(readNumericString, inner);
  return { schema: base, base, kind, allowed, required: true, bounds };
}

function optionalNumber(name: string, kind: "integer" | "float", bounds: Bounds, fallback: number, note = "") {
  const field = numberField(name, kind, bounds, note);
  return { ...field, schema: field.base.default(fallback), required: false };
}

function enumField<const T extends readonly [string, ...string[]]>(
  name: string,
  values: T,
  fallback: T[number],
  notes: Readonly<Record<string, string>> = {},
) {
  const allowed = values.join(", ");
  const error = (issue: RawIssue): string => {
    const given = issue.input;
    const note = typeof given === "string" && Object.hasOwn(notes, given) ? notes[given] : undefined;
    const hint = typeof given === "string" || typeof given === "number" ? didYouMean(String(given), values) : undefined;
    const extra = note !== undefined ? ` (${note})` : hint !== undefined ? ` (did you mean "${hint}"?)` : "";
    return `${name}: ${showValue(given)} is not allowed; allowed: ${allowed}${extra}`;
  };
  return { schema: z.enum(values, { error }).default(fallback), kind: "enum", allowed, required: false, values } satisfies FieldSpec;
}

const BOOLEAN_WORDS = ["True", "False"] as const;

/** YAML booleans or the strings True / False (the spelling SageMaker gets). */
function booleanField(name: string, fallback: boolean) {
  const allowed = BOOLEAN_WORDS.join(", ");
  const error = (issue: RawIssue): string => {
    const given = issue.input;
    const hint = typeof given === "string" || typeof given === "number" ? didYouMean(String(given), BOOLEAN_WORDS) : undefined;
    return `${name}: ${showValue(given)} is not allowed; allowed: ${allowed}, as YAML booleans or those words${hint !== undefined ? ` (did you mean "${hint}"?)` : ""}`;
  };
  const schema = z
    .preprocess((value) => (value === "True" ? true : value === "False" ? false : value), z.boolean({ error }))
    .default(fallback);
  return { schema, kind: "boolean", allowed, required: false, values: BOOLEAN_WORDS } satisfies FieldSpec;
}

const STEP_EPOCHS_ALLOWED = `comma-separated positive integer epochs in increasing order, e.g. "10, 20"`;

/** lr_scheduler_step: "10, 20" or a single epoch (10) -> [10, 20]. Whether it is required depends on lr_scheduler (resolve.ts). */
function stepEpochsField(name: string) {
  const problem = (given: unknown, why: string): string =>
    `${name}: ${showValue(given)} is not allowed (${why}); allowed: ${STEP_EPOCHS_ALLOWED}`;
  const schema = z
    .preprocess(
      (value) => (typeof value === "number" && Number.isFinite(value) ? String(value) : value),
      z.string({
        error: (issue: RawIssue) => `${name}: ${showValue(issue.input)} is not a list of epochs; allowed: ${STEP_EPOCHS_ALLOWED}`,
      }),
    )
    .transform((text, ctx) => {
      const epochs: number[] = [];
      for (const part of text.split(",")) {
        const entry = part.trim();
        const epoch = /^\d+$/.test(entry) ? Number(entry) : Number.NaN;
        const why =
          entry === ""
            ? "an empty entry"
            : !Number.isSafeInteger(epoch) || epoch < 1
              ? `${JSON.stringify(entry)} is not a positive integer`
              : epochs.length > 0 && epoch <= (epochs[epochs.length - 1] ?? 0)
                ? `${epoch} does not come after ${epochs[epochs.length - 1]}`
                : undefined;
        if (why !== undefined) {
          ctx.issues.push({ code: "custom", input: text, message: problem(text, why) });
          return z.NEVER;
        }
        epochs.push(epoch);
      }
      return epochs;
    })
    .optional();
  return { schema, kind: "string", allowed: STEP_EPOCHS_ALLOWED, required: false } satisfies FieldSpec;
}

const COUNTS_EPOCHS = " (it counts epochs)";

/** The 24 rows, in the order of the documentation's table (architecture, data, training). */
export const FIELDS = {
  backbone: enumField("backbone", ["resnet-50", "resnet-101"], "resnet-50"),
  use_pretrained_model: booleanField("use_pretrained_model", true),
  algorithm: enumField("algorithm", ["fcn", "psp", "deeplab"], "fcn"),
  num_classes: numberField("num_classes", "integer", { gte: 2, lte: 254 }),
  num_training_samples: numberField("num_training_samples", "integer", { gte: 1 }),
  base_size: optionalNumber("base_size", "integer", { gt: 16 }, 520),
  crop_size: optionalNumber("crop_size", "integer", { gt: 16 }, 240, `, rounded up to a multiple of ${CROP_SIZE_MULTIPLE}`),
  early_stopping: booleanField("early_stopping", false),
  early_stopping_min_epochs: optionalNumber("early_stopping_min_epochs", "integer", { gte: 0 }, 5, COUNTS_EPOCHS),
  early_stopping_patience: optionalNumber("early_stopping_patience", "integer", { gte: 0 }, 4, COUNTS_EPOCHS),
  early_stopping_tolerance: optionalNumber("early_stopping_tolerance", "float", { gte: 0, lte: 1 }, 0),
  epochs: optionalNumber("epochs", "integer", { gte: 1 }, 10),
  gamma1: optionalNumber("gamma1", "float", { gte: 0, lte: 1 }, 0.9),
  gamma2: optionalNumber("gamma2", "float", { gte: 0, lte: 1 }, 0.9),
  learning_rate: optionalNumber("learning_rate", "float", { gt: 0, lte: 1 }, 0.001),
  lr_scheduler: enumField("lr_scheduler", ["poly", "cosine", "step"], "poly"),
  lr_scheduler_factor: optionalNumber("lr_scheduler_factor", "float", { gte: 0, lte: 1 }, 0.1),
  lr_scheduler_step: stepEpochsField("lr_scheduler_step"),
  mini_batch_size: optionalNumber("mini_batch_size", "integer", { gte: 1 }, 16),
  momentum: optionalNumber("momentum", "float", { gt: 0, lte: 1 }, 0.9),
  // adadelta: the tuning page lists it, the hyperparameter page (the contract) does not.
  optimizer: enumField("optimizer", ["adam", "adagrad", "nag", "rmsprop", "sgd"], "sgd", {
    adadelta: "the tuning page lists adadelta, but the hyperparameter page, which is the contract, does not",
  }),
  syncbn: booleanField("syncbn", false),
  validation_mini_batch_size: optionalNumber("validation_mini_batch_size", "integer", { gte: 1 }, 16),
  weight_decay: optionalNumber("weight_decay", "float", { gt: 0, lt: 1 }, 0.0001),
} as const satisfies Record<string, FieldSpec>;

/** A hyperparameter name of the contract. */
export type HyperparameterName = keyof typeof FIELDS;

/** Names mentioned by the documentation that are not parameters of this algorithm, with why. */
const NOT_PARAMETERS: Readonly<Record<string, string>> = {
  image_shape: "the documentation mentions image_shape in two descriptions inherited from another algorithm, but it is not in the table",
};

/** The message for a key that is not in the contract, with a suggestion when one is close. */
export function unknownKeyMessage(key: string): string {
  const note = Object.hasOwn(NOT_PARAMETERS, key) ? NOT_PARAMETERS[key] : undefined;
  const hint = note === undefined ? didYouMean(key, Object.keys(FIELDS)) : undefined;
  const extra = note !== undefined ? ` (${note})` : hint !== undefined ? ` (did you mean "${hint}"?)` : "";
  return `${key} is not a hyperparameter of the semantic segmentation algorithm${extra}`;
}

type Shape = { readonly [K in HyperparameterName]: (typeof FIELDS)[K]["schema"] };

function shapeOf(fields: typeof FIELDS): Shape {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, field] of Object.entries(fields)) shape[name] = field.schema;
  return shape as Shape;
}

/**
 * One point's hyperparameters, field by field (no cross-field rules: see resolve.ts).
 * Strict: an unknown key is an error, not silently dropped.
 */
export const SemSegHyperparameters = z.strictObject(shapeOf(FIELDS), {
  error: (issue) => (issue.code === "unrecognized_keys" ? issue.keys.map(unknownKeyMessage).join("\n") : undefined),
});
/** The checked values: numbers, booleans, enum strings, lr_scheduler_step as a list of epochs. */
export type SemSegHyperparameters = z.infer<typeof SemSegHyperparameters>;
