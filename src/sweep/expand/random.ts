import { hash32, seededUniform } from "../../util/random.js";
import type { SweepDefinition } from "../definition.js";
import { compileSearchSpace } from "./compile.js";
import { drawFrom } from "./distributions.js";
import { applyMatrixRules } from "./matrix.js";
import type { Param } from "./space.js";
import type { ExpansionStats, Scalar, SearchStrategy, SweepPoint } from "./types.js";

/**
 * `strategy: random`: `samples` points, each searched key drawn independently (a list: one of its
 * values, uniformly; a distribution: a draw from it), over the fixed values.
 *
 * Reproducible: every searched key has its own seeded stream (seed + key name), so the same file
 * and seed give the same points whatever the key order in the file, adding or removing a key does
 * not change the draws of the others, and raising `samples` keeps the earlier points.
 */
export const randomStrategy: SearchStrategy = {
  points(def: SweepDefinition, stats: ExpansionStats): Generator<SweepPoint> {
    const { params, rules } = compileSearchSpace(def);
    return applyMatrixRules(randomDraws(def, params), rules, stats);
  },
};

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
