/**
 * The seam between segsweep and a SageMaker algorithm: its hyperparameters as data (types,
 * bounds with open and closed ends, enums, defaults, conditions) and its objective metrics, next
 * to the resolver that turns a point into what CreateTrainingJob receives. Engines that do not
 * send points (Automatic Model Tuning sends ranges) check against the same data the resolver
 * checks with, so a bound is written once (docs/architecture.md, "Seams").
 */

/** How a hyperparameter's values vary: what a tuner may search over and how. */
export type ParameterType = "integer" | "continuous" | "categorical" | "boolean" | "string";

/** One end of a numeric range: `0 < x` is `{ value: 0, inclusive: false }`. */
export interface Bound {
  readonly value: number;
  readonly inclusive: boolean;
}

/** The allowed interval of a numeric parameter; an absent end is unbounded. */
export interface ParameterBounds {
  readonly min?: Bound;
  readonly max?: Bound;
}

/** "Applies only when `parameter` is sent as `equals`" (e.g. momentum when optimizer is sgd). */
export interface Condition {
  readonly parameter: string;
  /** The controlling parameter's value as sent. */
  readonly equals: string;
}

/**
 * Whether a point must set the parameter: always, only where it applies (lr_scheduler_step under
 * lr_scheduler=step), or never (it has a default or may be left out).
 */
export type Requirement = "always" | "when-applies" | "never";

/** One hyperparameter as data. */
export interface ParameterSpec {
  readonly name: string;
  readonly type: ParameterType;
  /** Integer and continuous parameters: the allowed interval. */
  readonly bounds?: ParameterBounds;
  /** Categorical and boolean parameters: every allowed value, as sent. */
  readonly values?: readonly string[];
  /** The value sent when a point leaves the parameter out, as sent; absent when there is none. */
  readonly default?: string;
  readonly required: Requirement;
  /** Absent: the parameter always applies. */
  readonly appliesWhen?: Condition;
  /** What is allowed, in the words messages use, e.g. `a number with 0 < x ≤ 1`. */
  readonly allowed: string;
}

/** A metric the algorithm emits that a tuner may optimise. */
export interface ObjectiveMetric {
  readonly name: string;
  readonly direction: "Maximize" | "Minimize";
}

/** A problem with one hyperparameter of one point. The caller adds file, line and point. */
export interface ContractIssue {
  /** The hyperparameter name (or the unknown key as written). */
  readonly key: string;
  /** One sentence naming the parameter, the value given and what is allowed. */
  readonly message: string;
  /** The value as given in the point, when there was one. */
  readonly value?: unknown;
}

/** One value checked alone: the string sent (and a note, e.g. a rounding), or why it is refused. */
export type ValueCheck =
  | { readonly ok: true; readonly sent: string; readonly warning?: string }
  | { readonly ok: false; readonly message: string };

/** A point resolved: what to send, or every error; warnings either way. */
export type Resolution =
  | { readonly ok: true; readonly hyperparameters: Record<string, string>; readonly warnings: readonly ContractIssue[] }
  | { readonly ok: false; readonly errors: readonly ContractIssue[]; readonly warnings: readonly ContractIssue[] };

/** A SageMaker algorithm as segsweep knows it. */
export interface Algorithm {
  /** A stable identifier, e.g. `semantic-segmentation`. */
  readonly id: string;
  /** As messages name it, e.g. `the semantic segmentation algorithm`. */
  readonly title: string;
  /** Every hyperparameter, in the order the map sent to SageMaker lists them. */
  readonly parameters: readonly ParameterSpec[];
  readonly objectiveMetrics: readonly ObjectiveMetric[];
  /** The parameter of that name; undefined for a name that is not one (own names only). */
  parameter(name: string): ParameterSpec | undefined;
  /** One value of one parameter checked alone, by the same rules `resolve` applies. */
  checkValue(name: string, value: unknown): ValueCheck;
  /** A point -> exactly what CreateTrainingJob.HyperParameters receives, or every error. */
  resolve(point: Readonly<Record<string, unknown>>): Resolution;
  /** The message for a name that is not a hyperparameter, with a suggestion when one is close. */
  unknownParameterMessage(name: string): string;
}

/** Whether `x` lies within `bounds`, each end open or closed as given. */
export function fitsBounds(bounds: ParameterBounds, x: number): boolean {
  const { min, max } = bounds;
  if (Number.isNaN(x)) return false;
  if (min !== undefined && (min.inclusive ? x < min.value : x <= min.value)) return false;
  if (max !== undefined && (max.inclusive ? x > max.value : x >= max.value)) return false;
  return true;
}
