import type { SweepDefinition } from "../definition.js";
import type { Diagnostic, FieldPath } from "../diagnostic.js";
import type { DistributionName } from "./distributions.js";

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

/**
 * What each entry of `hyperparameters:` means for the search: a fixed value, a list (a grid axis,
 * or a uniform choice under random), or a distribution (random only).
 */
export type Param =
  | { readonly kind: "fixed"; readonly key: string; readonly value: Scalar }
  | { readonly kind: "list"; readonly key: string; readonly values: readonly Scalar[] }
  | {
      readonly kind: "distribution";
      readonly key: string;
      readonly distribution: DistributionName;
      readonly low: number;
      readonly high: number;
    };

/** The search space as a strategy sees it: the params that compiled, and the keys whose value had an error. */
export interface SpaceParams {
  /** Every hyperparameter that compiled, sorted by key. */
  readonly params: readonly Param[];
  /** Keys of `hyperparameters:` left out of `params` because their value has an error. */
  readonly broken: ReadonlySet<string>;
}

/**
 * A way to turn the search space of a sweep file into points: one file per strategy, which owns
 * its wording, its checks, its size and its points. Nothing outside a strategy asks which one it is.
 */
export interface SearchStrategy {
  /** As written after `strategy:`. */
  readonly name: string;
  /** What a `hyperparameters:` value may be under this strategy, for messages. */
  readonly allowedValues: string;
  /** Which keys are searched (the matrix keys exclude may name), for messages. */
  readonly searchedKeys: string;
  /** Whether `{uniform: [low, high]}` and the other distributions are values under this strategy. */
  readonly distributions: boolean;
  /** Problems of the strategy's own fields (`samples`, `seed`, ...) and of the space as a whole. */
  check(def: SweepDefinition, space: SpaceParams): SpaceDiagnostic[];
  /** How many points the strategy produces before exclude and include: cheap, before expanding. */
  size(def: SweepDefinition, params: readonly Param[]): number;
  /** Lazily yields the points of a definition that `checkSearchSpace` accepted. */
  points(def: SweepDefinition, stats: ExpansionStats): Generator<SweepPoint>;
  /** Problems that only the expansion can show (an exclude entry that matched none of the draws). */
  checkExpanded(def: SweepDefinition, stats: ExpansionStats, flagged: ReadonlySet<number>): SpaceDiagnostic[];
}

/**
 * A search-space problem with its field path as data (`path` holds the same, formatted),
 * so the caller can add the file's line and column. `at` says whether the key or the value is at fault.
 */
export interface SpaceDiagnostic extends Diagnostic {
  readonly fieldPath: FieldPath;
  readonly at: "key" | "value";
}
