import { hash32, seededUniform } from "../../util/random.js";
import type { SweepDefinition } from "../definition.js";
import { compileSearchSpace } from "./compile.js";
import { drawFrom } from "./distributions.js";
import { applyMatrixRules } from "./matrix.js";
import { DISTRIBUTIONS_WRITTEN, diagnostic, SCALAR, show } from "./space.js";
import type { ExpansionStats, Param, Scalar, SearchStrategy, SpaceDiagnostic, SpaceParams, SweepPoint } from "./types.js";

/**
 * `strategy: random`: `samples` points, each searched key drawn independently (a list: one of its
 * values, uniformly; a distribution: a draw from it), over the fixed values.
 *
 * Reproducible: every searched key has its own seeded stream (seed + key name), so the same file
 * and seed give the same points whatever the key order in the file, adding or removing a key does
 * not change the draws of the others, and raising `samples` keeps the earlier points.
 */
export const randomStrategy: SearchStrategy = {
  name: "random",
  allowedValues: `${SCALAR} (fixed for every point), a non-empty list of them (one is chosen per point), or a distribution: ${DISTRIBUTIONS_WRITTEN}`,
  searchedKeys: "keys with a list or a distribution",
  distributions: true,
  check: checkRandom,
  size: (def) => def.samples ?? 0,
  points(def: SweepDefinition, stats: ExpansionStats): Generator<SweepPoint> {
    const { params, rules } = compileSearchSpace(def, randomStrategy);
    return applyMatrixRules(randomDraws(def, params), rules, stats);
  },
  checkExpanded: unmatchedExcludes,
};

function checkRandom(def: SweepDefinition, { params, broken }: SpaceParams): SpaceDiagnostic[] {
  if (def.samples === undefined) {
    return [diagnostic("error", ["strategy"], "value", "strategy: random needs samples, the number of points to draw (e.g. samples: 20)")];
  }
  // Counted from the file, not the compiled params: a malformed distribution is still meant to be searched.
  if (!Object.values(def.hyperparameters).some((value) => value !== null && typeof value === "object")) {
    return [
      diagnostic(
        "warning",
        ["hyperparameters"],
        "key",
        `no hyperparameter is searched (every value is fixed), so all ${count(def.samples)} samples are the same point; give a key a list or a distribution`,
      ),
    ];
  }
  const searched = params.filter((param) => param.kind !== "fixed");
  // With a key dropped for an error, the number of combinations is unknown: no warning rather than a false one.
  if (searched.length === 0 || broken.size > 0) return [];
  const distinct = searched.reduce((product, param) => product * choices(param), 1);
  if (def.samples <= distinct) return [];
  return [
    diagnostic(
      "warning",
      ["samples"],
      "value",
      `samples: ${count(def.samples)} is more than the ${count(distinct)} distinct combinations of the searched values, so draws repeat; strategy: grid covers them all exactly once`,
    ),
  ];
}

/** How many values a random draw of this param can take (Infinity for a continuous distribution). */
function choices(param: Param): number {
  if (param.kind === "list") return new Set(param.values).size;
  if (param.kind === "distribution") return param.distribution === "int_uniform" ? param.high - param.low + 1 : Number.POSITIVE_INFINITY;
  return 1;
}

/** The exclude entries that dropped none of the draws (entries already flagged before expansion are not repeated). */
function unmatchedExcludes(def: SweepDefinition, stats: ExpansionStats, flagged: ReadonlySet<number>): SpaceDiagnostic[] {
  const counts = stats.excludedBy;
  if (!counts) return [];
  return def.exclude.flatMap((entry, index) =>
    counts[index] === 0 && !flagged.has(index)
      ? [
          diagnostic(
            "warning",
            ["exclude", index],
            "value",
            `exclude[${index}] dropped no point: none of the ${count(def.samples ?? 0)} random draws matched ${show(entry)}`,
          ),
        ]
      : [],
  );
}

function count(value: number): string {
  return value.toLocaleString("en-US");
}

/** The seed used: `seed` from the file, else a 32-bit hash of the campaign name (stable for the file). */
export function randomSeed(def: SweepDefinition): number {
  return def.seed ?? hash32(`segsweep:${def.name}`);
}

type SearchedParam = Exclude<Param, { kind: "fixed" }>;

function* randomDraws(def: SweepDefinition, params: readonly Param[]): Generator<Record<string, Scalar>> {
  const seed = randomSeed(def);
  const template: Record<string, Scalar> = {};
  const searched: SearchedParam[] = [];
  for (const param of params) {
    if (param.kind === "fixed") template[param.key] = param.value;
    else {
      template[param.key] = 0; // placeholder that fixes the key order
      searched.push(param);
    }
  }
  const streams = searched.map((param) => seededUniform(`${seed}/${param.key}`));
  for (let sample = 0; sample < (def.samples ?? 0); sample++) {
    const values = { ...template };
    for (let s = 0; s < searched.length; s++) {
      const param = searched[s] as SearchedParam;
      const u = (streams[s] as () => number)();
      values[param.key] =
        param.kind === "list"
          ? (param.values[Math.floor(u * param.values.length)] as Scalar)
          : drawFrom(param.distribution, param.low, param.high, u);
    }
    yield values;
  }
}
