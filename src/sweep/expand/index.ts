import type { SweepDefinition } from "../definition.js";
import { type FieldPath, formatPath } from "../diagnostic.js";
import { compileSearchSpace } from "./compile.js";
import { gridCombinationCount, gridStrategy } from "./grid.js";
import { includeOrigin } from "./matrix.js";
import { randomSeed, randomStrategy } from "./random.js";
import { diagnostic, show } from "./space.js";
import type { ExpansionStats, SearchStrategy, SpaceDiagnostic, SweepPoint } from "./types.js";

/**
 * Expanding a sweep's search space (`hyperparameters`, `strategy`, `samples`, `seed`, `include`,
 * `exclude`) into points. Pure: no I/O. Check first (`checkSearchSpace`), then expand lazily.
 */

export { DISTRIBUTION_NAMES, type DistributionName } from "./distributions.js";
export type { ExpansionStats, Scalar, SearchStrategy, SpaceDiagnostic, SweepPoint } from "./types.js";
export { gridStrategy, randomSeed, randomStrategy };

/** The client-side strategies; bayesian and hyperband exist only on the tuning engine (src/plan/tuning/). */
const STRATEGIES: Readonly<Partial<Record<SweepDefinition["strategy"], SearchStrategy>>> = {
  grid: gridStrategy,
  random: randomStrategy,
};

/**
 * Shape problems of the search space, found before expansion, each with its field path
 * (`hyperparameters.learning_rate[2]`, `exclude[0].backbone`, ...). Errors mean nothing can be
 * expanded; warnings (duplicate list values, an exclude that drops nothing, ...) do not.
 */
export function checkSearchSpace(def: SweepDefinition): SpaceDiagnostic[] {
  return [...compileSearchSpace(def).diagnostics];
}

/**
 * The points of a checked definition, lazily, in a stable order: the strategy's points (minus
 * excluded ones, extended by include) and then the points include adds. Updates `stats` as it goes.
 * Throws if `checkSearchSpace` reports errors: expanding a broken space would hide them.
 */
export function expandPoints(def: SweepDefinition, stats: ExpansionStats): Generator<SweepPoint> {
  const errors = compileSearchSpace(def).diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) {
    throw new Error(
      `expandPoints called on a search space with errors (call checkSearchSpace first): ${errors.map((d) => `${d.path}: ${d.message}`).join("; ")}`,
    );
  }
  const strategy = STRATEGIES[def.strategy];
  if (strategy === undefined)
    throw new Error(`strategy: ${def.strategy} runs only on the tuning engine; expandPoints has no client-side form of it`);
  return strategy.points(def, stats);
}

/**
 * How many points the strategy produces before exclude and include: the product of the list
 * lengths for a grid (1 when nothing is listed, 0 then if `include` is given), `samples` for random.
 * Cheap: use it to refuse a huge space before expanding it.
 */
export function gridSize(def: SweepDefinition): number {
  if (def.strategy === "random") return def.samples ?? 0;
  return gridCombinationCount(def, compileSearchSpace(def).params);
}

/**
 * Where a point's value of `key` came from in the sweep file, for error messages: the include
 * entry that set it (`include[1].momentum`), the list item (`hyperparameters.learning_rate[2]`),
 * the distribution (`hyperparameters.learning_rate.log_uniform`) or the fixed value
 * (`hyperparameters.num_classes`). Worked out on demand, so points carry no origin data.
 */
export function originOf(def: SweepDefinition, point: SweepPoint, key: string): FieldPath {
  const { params, rules } = compileSearchSpace(def);
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
 * After a random sweep has been expanded (with these stats): the exclude entries that dropped
 * none of the draws. Entries `checkSearchSpace` already flagged are not repeated, and a grid needs
 * no such pass: every listed value occurs, so its check before expansion is exact.
 */
export function unmatchedExcludeWarnings(def: SweepDefinition, stats: ExpansionStats): SpaceDiagnostic[] {
  if (def.strategy !== "random" || !stats.excludedBy) return [];
  const flagged = new Set(
    compileSearchSpace(def)
      .diagnostics.filter((d) => d.fieldPath[0] === "exclude")
      .map((d) => d.fieldPath[1]),
  );
  const counts = stats.excludedBy;
  return def.exclude.flatMap((entry, index) =>
    counts[index] === 0 && !flagged.has(index)
      ? [
          diagnostic(
            "warning",
            ["exclude", index],
            "value",
            `exclude[${index}] dropped no point: none of the ${def.samples ?? 0} random draws matched ${show(entry)}`,
          ),
        ]
      : [],
  );
}
