import type { PartialAssignment, SweepDefinition } from "../definition.js";
import type { Param } from "./space.js";
import type { ExpansionStats, Scalar, SweepPoint } from "./types.js";

/**
 * `exclude` and `include`, with GitHub Actions' matrix semantics (docs.github.com, "Running
 * variations of jobs in a workflow": "Excluding matrix configurations", "Expanding or adding
 * matrix configurations"; and the runner's MatrixBuilder, which applies them):
 *
 * 1. exclude first: an original combination is dropped when it matches every key: value pair of
 *    some exclude entry (a partial match). Exclude may only name matrix keys.
 * 2. then each include entry, in order: its pairs on matrix keys are a filter, the others are
 *    extras. For every remaining original combination whose values equal the whole filter (so no
 *    original value is overwritten), the extras are added; a later entry may overwrite extras an
 *    earlier one added. An entry that extended no combination becomes a new combination.
 *
 * segsweep's mapping: the matrix keys are the searched keys (grid lists; under random, lists and
 * distributions); fixed values are a base under every point, like a job's `env` in Actions.
 */

interface Filter {
  readonly keys: readonly string[];
  readonly values: readonly Scalar[];
}

interface IncludeRule {
  /** Pairs on matrix keys: which combinations the entry extends. */
  readonly filter: Filter;
  /** Pairs on other keys: what it adds (or, for fixed keys, replaces). */
  readonly extra: Filter;
  /** The whole entry, for a new combination. */
  readonly entry: PartialAssignment;
}

/** exclude and include, compiled against the search space. */
export interface MatrixRules {
  readonly excludes: readonly Filter[];
  readonly includes: readonly IncludeRule[];
  /** Fixed values: the base of a new combination added by include. */
  readonly base: Readonly<Record<string, Scalar>>;
  /** Sorted union of every hyperparameter key and include key: the key order of merged points. */
  readonly allKeys: readonly string[];
}

/** Splits an entry into pairs on matrix keys and the other pairs. */
function split(entry: PartialAssignment, matrixKeys: ReadonlySet<string>): { filter: Filter; extra: Filter } {
  const filter = { keys: [] as string[], values: [] as Scalar[] };
  const extra = { keys: [] as string[], values: [] as Scalar[] };
  for (const [key, value] of Object.entries(entry)) {
    const side = matrixKeys.has(key) ? filter : extra;
    side.keys.push(key);
    side.values.push(value);
  }
  return { filter, extra };
}

/** Whether a combination has every value of the filter (an empty filter matches everything). */
function matches(values: Readonly<Record<string, Scalar>>, filter: Filter): boolean {
  for (let i = 0; i < filter.keys.length; i++) {
    if (values[filter.keys[i] as string] !== filter.values[i]) return false;
  }
  return true;
}

/** Splits every include and exclude entry once, against the matrix keys, for `applyMatrixRules`. */
export function compileMatrixRules(def: SweepDefinition, params: readonly Param[], matrixKeys: ReadonlySet<string>): MatrixRules {
  const base: Record<string, Scalar> = {};
  for (const param of params) if (param.kind === "fixed") base[param.key] = param.value;
  const keys = new Set(params.map((param) => param.key));
  for (const entry of def.include) for (const key of Object.keys(entry)) keys.add(key);
  return {
    excludes: def.exclude.map((entry) => split(entry, matrixKeys).filter),
    includes: def.include.map((entry) => ({ ...split(entry, matrixKeys), entry })),
    base,
    allKeys: [...keys].sort(),
  };
}

/** Values in `allKeys` order: `over` wins over `under`. */
function merge(
  allKeys: readonly string[],
  under: Readonly<Record<string, Scalar>>,
  over: Readonly<Record<string, Scalar>>,
): Record<string, Scalar> {
  const values: Record<string, Scalar> = {};
  for (const key of allKeys) {
    const value = over[key] ?? under[key];
    if (value !== undefined) values[key] = value;
  }
  return values;
}

/**
 * Applies exclude then include to a stream of original combinations, lazily. New combinations
 * from include come last, in include order (they are only known once every combination was seen).
 */
export function* applyMatrixRules(
  combinations: Iterable<Record<string, Scalar>>,
  rules: MatrixRules,
  stats: ExpansionStats,
): Generator<SweepPoint> {
  const { excludes, includes, allKeys } = rules;
  const excludedBy = new Array<number>(excludes.length).fill(0);
  stats.excludedBy = excludedBy;
  const extended = new Array<boolean>(includes.length).fill(false);
  let index = 0;
  for (const values of combinations) {
    stats.expanded++;
    let dropped = false;
    for (let e = 0; e < excludes.length; e++) {
      if (matches(values, excludes[e] as Filter)) {
        // Count every entry that matches (not only the first), so "matches nothing" is exact.
        excludedBy[e] = (excludedBy[e] ?? 0) + 1;
        dropped = true;
      }
    }
    if (dropped) {
      stats.excluded++;
      continue;
    }
    let extras: Record<string, Scalar> | undefined;
    for (let i = 0; i < includes.length; i++) {
      const rule = includes[i] as IncludeRule;
      if (!matches(values, rule.filter)) continue;
      extended[i] = true;
      if (rule.extra.keys.length > 0) {
        extras ??= {};
        for (let k = 0; k < rule.extra.keys.length; k++) extras[rule.extra.keys[k] as string] = rule.extra.values[k] as Scalar;
      }
    }
    yield { index: ++index, values: extras ? merge(allKeys, values, extras) : values };
  }
  for (let i = 0; i < includes.length; i++) {
    if (extended[i]) continue;
    stats.expanded++;
    yield { index: ++index, values: merge(allKeys, rules.base, (includes[i] as IncludeRule).entry), include: i };
  }
}

/** The include entry a key's value of this point came from, if any (the last one that set it). */
export function includeOrigin(rules: MatrixRules, point: SweepPoint, key: string): number | undefined {
  if (point.include !== undefined) return Object.hasOwn(rules.includes[point.include]?.entry ?? {}, key) ? point.include : undefined;
  for (let i = rules.includes.length - 1; i >= 0; i--) {
    const rule = rules.includes[i] as IncludeRule;
    if (rule.extra.keys.includes(key) && matches(point.values, rule.filter)) return i;
  }
  return undefined;
}
