import type { SweepDefinition } from "../definition.js";
import { compileSearchSpace } from "./compile.js";
import { applyMatrixRules } from "./matrix.js";
import { diagnostic, SCALAR } from "./space.js";
import type { ExpansionStats, Param, Scalar, SearchStrategy, SpaceDiagnostic, SweepPoint } from "./types.js";

type ListParam = Extract<Param, { kind: "list" }>;

/**
 * `strategy: grid`: every combination of the listed values (the cartesian product in sorted key
 * order, the last key varying fastest), each over the fixed values. Keys are sorted so the points
 * and their order do not depend on the order of keys in the file (as Optuna's GridSampler and
 * Ray Tune's grid search sort them).
 */
export const gridStrategy: SearchStrategy = {
  name: "grid",
  allowedValues: `${SCALAR} (fixed for every point), or a non-empty list of them (an axis of the grid)`,
  searchedKeys: "keys with a list of values",
  distributions: false,
  check: (def) => ignoredRandomFields(def),
  size: gridCombinationCount,
  points(def: SweepDefinition, stats: ExpansionStats): Generator<SweepPoint> {
    const { params, rules } = compileSearchSpace(def, gridStrategy);
    return applyMatrixRules(gridCombinations(def, params), rules, stats);
  },
  // Every listed value occurs in some combination, so the checks before expansion are exact.
  checkExpanded: () => [],
};

function ignoredRandomFields(def: SweepDefinition): SpaceDiagnostic[] {
  return (["samples", "seed"] as const)
    .filter((field) => def[field] !== undefined)
    .map((field) =>
      diagnostic(
        "warning",
        [field],
        "key",
        `${field} is only used by strategy: random; under strategy: grid every combination is a point, so ${field} is ignored`,
      ),
    );
}

/** The number of original combinations: the product of the list lengths (see `gridCombinations`). */
function gridCombinationCount(def: SweepDefinition, params: readonly Param[]): number {
  const axes = params.filter((param): param is ListParam => param.kind === "list");
  if (axes.length === 0) return def.include.length > 0 ? 0 : 1;
  return axes.reduce((product, axis) => product * axis.values.length, 1);
}

/**
 * The original combinations, lazily: an odometer of indices into the lists, one new object per
 * point, copied from a template of the fixed values (no per-point sorting or lookups).
 *
 * With no list at all there is one combination (the fixed values), unless `include` is given:
 * then, as in GitHub Actions when a matrix has no variables, only the include entries run.
 */
function* gridCombinations(def: SweepDefinition, params: readonly Param[]): Generator<Record<string, Scalar>> {
  const axes = params.filter((param): param is ListParam => param.kind === "list");
  const template: Record<string, Scalar> = {};
  for (const param of params) {
    if (param.kind === "fixed") template[param.key] = param.value;
    else if (param.kind === "list") template[param.key] = param.values[0] as Scalar; // placeholder that fixes the key order
  }
  if (axes.length === 0) {
    if (def.include.length === 0) yield template;
    return;
  }
  const axisKeys = axes.map((axis) => axis.key);
  const axisValues = axes.map((axis) => axis.values);
  const digits = new Int32Array(axes.length);
  const last = axes.length - 1;
  for (;;) {
    const values = { ...template };
    for (let a = 0; a <= last; a++) values[axisKeys[a] as string] = (axisValues[a] as readonly Scalar[])[digits[a] as number] as Scalar;
    yield values;
    let a = last;
    while (a >= 0) {
      const next = (digits[a] as number) + 1;
      if (next < (axisValues[a] as readonly Scalar[]).length) {
        digits[a] = next;
        break;
      }
      digits[a] = 0;
      a--;
    }
    if (a < 0) return;
  }
}
