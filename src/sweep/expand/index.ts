import type { SweepDefinition } from "../definition.js";
import { type FieldPath, formatPath } from "../diagnostic.js";
import { compileSearchSpace } from "./compile.js";
import { gridStrategy } from "./grid.js";
import { includeOrigin } from "./matrix.js";
import { randomSeed, randomStrategy } from "./random.js";
import type { ExpansionStats, SearchStrategy, SpaceDiagnostic, SweepPoint } from "./types.js";

/**
 * Expanding a sweep's search space (`hyperparameters`, `strategy`, `samples`, `seed`, `include`,
 * `exclude`) into points. Pure: no I/O. Check first (`checkSearchSpace`), then expand lazily.
 * Everything that depends on the strategy is asked of the strategy (one file each).
 */

export { DISTRIBUTION_NAMES, type DistributionName } from "./distributions.js";
export type { ExpansionStats, Scalar, SearchStrategy, SpaceDiagnostic, SweepPoint } from "./types.js";
export { gridStrategy, randomSeed, randomStrategy };

/** The client-side strategies; bayesian and hyperband exist only on the tuning engine (src/plan/tuning/). */
const STRATEGIES: Readonly<Partial<Record<SweepDefinition["strategy"], SearchStrategy>>> = {
  grid: gridStrategy,
  random: randomStrategy,
};

/** The client-side strategy a definition names, or undefined for one only the tuning engine runs. */
export function clientStrategy(def: SweepDefinition): SearchStrategy | undefined {
  return STRATEGIES[def.strategy];
}

/** The strategy of a definition the jobs engine plans; asking it of a tuning-only strategy is a bug. */
export function strategyOf(def: SweepDefinition): SearchStrategy {
  const strategy = STRATEGIES[def.strategy];
  if (strategy === undefined) throw new Error(`strategy: ${def.strategy} runs only on the tuning engine; it has no client-side form`);
  return strategy;
}

function compiled(def: SweepDefinition) {
  return compileSearchSpace(def, strategyOf(def));
}

/**
 * Shape problems of the search space, found before expansion, each with its field path
 * (`hyperparameters.learning_rate[2]`, `exclude[0].backbone`, ...). Errors mean nothing can be
 * expanded; warnings (duplicate list values, an exclude that drops nothing, ...) do not.
 */
export function checkSearchSpace(def: SweepDefinition): SpaceDiagnostic[] {
  return [...compiled(def).diagnostics];
}

/** Keys of `hyperparameters:` whose value has an error: `expandDespiteErrors` leaves them out of the points. */
export function brokenKeys(def: SweepDefinition): ReadonlySet<string> {
  return compiled(def).broken;
}

/**
 * The points of a checked definition, lazily, in a stable order: the strategy's points (minus
 * excluded ones, extended by include) and then the points include adds. Updates `stats` as it goes.
 * Throws if `checkSearchSpace` reports errors: expanding a broken space would hide them.
 */
export function expandPoints(def: SweepDefinition, stats: ExpansionStats): Generator<SweepPoint> {
  const errors = compiled(def).diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) {
    throw new Error(
      `expandPoints called on a search space with errors (call checkSearchSpace first): ${errors.map((d) => `${d.path}: ${d.message}`).join("; ")}`,
    );
  }
  return strategyOf(def).points(def, stats);
}

/**
 * The points of a definition whose search space has errors, without the keys that have them
 * (`brokenKeys`) and without empty exclude entries, so that the other values can be checked in the
 * same pass. Never a plan: what the broken keys would have been is unknown.
 */
export function expandDespiteErrors(def: SweepDefinition, stats: ExpansionStats): Generator<SweepPoint> {
  const lenient: SweepDefinition = { ...def, exclude: def.exclude.filter((entry) => Object.keys(entry).length > 0) };
  return strategyOf(lenient).points(lenient, stats);
}

/**
 * How many points the strategy produces before exclude and include (the product of the list
 * lengths for a grid, `samples` for random). Cheap: use it to refuse a huge space before expanding it.
 */
export function gridSize(def: SweepDefinition): number {
  return strategyOf(def).size(def, compiled(def).params);
}

/**
 * Where a point's value of `key` came from in the sweep file, for error messages: the include
 * entry that set it (`include[1].momentum`), the list item (`hyperparameters.learning_rate[2]`),
 * the distribution (`hyperparameters.learning_rate.log_uniform`) or the fixed value
 * (`hyperparameters.num_classes`). Worked out on demand, so points carry no origin data.
 */
export function originOf(def: SweepDefinition, point: SweepPoint, key: string): FieldPath {
  const { params, rules } = compiled(def);
  const entry = includeOrigin(rules, point, key);
  if (entry !== undefined) return ["include", entry, key];
  const param = params.find((candidate) => candidate.key === key);
  if (!param) return ["hyperparameters"];
  switch (param.kind) {
    case "fixed":
      return ["hyperparameters", key];
    case "distribution":
      return ["hyperparameters", key, param.distribution];
    case "list": {
      const value = point.values[key];
      const item = value === undefined ? -1 : param.values.indexOf(value);
      return item < 0 ? ["hyperparameters", key] : ["hyperparameters", key, item];
    }
  }
}

/** `originOf` formatted as a dotted path, e.g. `hyperparameters.learning_rate[2]`. */
export function originPath(def: SweepDefinition, point: SweepPoint, key: string): string {
  return formatPath(originOf(def, point, key));
}

/**
 * After the definition has been expanded (with these stats): problems only the expansion shows,
 * such as an exclude entry that matched none of a random sweep's draws. Entries `checkSearchSpace`
 * already flagged are not repeated.
 */
export function unmatchedExcludeWarnings(def: SweepDefinition, stats: ExpansionStats): SpaceDiagnostic[] {
  const flagged = new Set(
    compiled(def)
      .diagnostics.filter((d) => d.fieldPath[0] === "exclude" && typeof d.fieldPath[1] === "number")
      .map((d) => d.fieldPath[1] as number),
  );
  return strategyOf(def).checkExpanded(def, stats, flagged);
}
