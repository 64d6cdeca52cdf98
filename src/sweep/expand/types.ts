import type { SweepDefinition } from "../definition.js";
import type { Diagnostic, FieldPath } from "../diagnostic.js";

/** One hyperparameter value of a point, as written in the sweep file (SageMaker gets strings later). */
export type Scalar = string | number | boolean;

/** One combination of hyperparameters, before validation against the algorithm. */
export interface SweepPoint {
  /** 1-based position in expansion order (what `point 7` refers to in messages). */
  readonly index: number;
  /** Every hyperparameter of the point, keys in sorted order for the fixed and search keys. */
  readonly values: Readonly<Record<string, Scalar>>;
  /**
   * Set only on a point that an `include` entry added as a new combination (it extended no
   * original combination): the 0-based index of that entry. Lets `originOf` point at it.
   */
  readonly include?: number;
}

/**
 * Counters a strategy updates while its generator runs, so a caller that stops early still
 * knows how far expansion went. Pass `{ expanded: 0, excluded: 0 }`.
 */
export interface ExpansionStats {
  /** Points the strategy produced (grid combinations or samples) plus points `include` added. */
  expanded: number;
  /** Points dropped by `exclude`. */
  excluded: number;
  /**
   * How many points each `exclude` entry dropped, by entry index; set by the expansion.
   * `unmatchedExcludeWarnings` reads it after a random sweep, where matches depend on the draws.
   */
  excludedBy?: number[];
}

/** A way to turn the search space of a sweep file into points (one file per strategy). */
export interface SearchStrategy {
  /** Lazily yields the points of a definition that `checkSearchSpace` accepted. */
  points(def: SweepDefinition, stats: ExpansionStats): Generator<SweepPoint>;
}

/**
 * A search-space problem with its field path as data (`path` holds the same, formatted),
 * so the caller can add the file's line and column. `at` says whether the key or the value is at fault.
 */
export interface SpaceDiagnostic extends Diagnostic {
  readonly fieldPath: FieldPath;
  readonly at: "key" | "value";
}
