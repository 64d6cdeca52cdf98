import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PartialAssignment } from "../../../src/sweep/definition.js";
import { checkSearchSpace, gridSize, type Scalar } from "../../../src/sweep/expand/index.js";
import { canonical, expandAll, sweep } from "./helpers.js";

/** Property tests of the expansion against the documented rules (fast-check, 100 runs each). */

const scalar: fc.Arbitrary<Scalar> = fc.oneof(
  fc.integer({ min: -3, max: 30 }),
  fc.constantFrom("sgd", "adam", "fcn", "psp", "resnet-50"),
  fc.boolean(),
);
const axis = fc.uniqueArray(scalar, { minLength: 1, maxLength: 4, comparator: "IsStrictlyEqual" });
const keyName = fc.constantFrom("algorithm", "backbone", "epochs", "learning_rate", "momentum", "optimizer", "crop_size", "num_classes");

/** hyperparameters: each key fixed or a list of distinct values (at most 4^5 points). */
const gridSpace = fc.dictionary(keyName, fc.oneof(scalar, axis), { maxKeys: 5 });

const axesOf = (hyperparameters: Record<string, unknown>) =>
  Object.entries(hyperparameters).filter((entry): entry is [string, Scalar[]] => Array.isArray(entry[1]));

/** The same mapping with its keys in another order. */
const reordered = (record: Record<string, unknown>, order: readonly string[]) => Object.fromEntries(order.map((key) => [key, record[key]]));
const withShuffledKeys = gridSpace.chain((hyperparameters) =>
  fc.tuple(
    fc.constant(hyperparameters),
    fc.shuffledSubarray(Object.keys(hyperparameters), { minLength: Object.keys(hyperparameters).length }),
  ),
);

/** Entries over the space's keys (and a new key), with values from the lists or elsewhere. */
function entries(hyperparameters: Record<string, unknown>, extraKeys: readonly string[]): fc.Arbitrary<PartialAssignment[]> {
  const keys = [...Object.keys(hyperparameters), ...extraKeys];
  const valueFor = (key: string) =>
    Array.isArray(hyperparameters[key]) ? fc.oneof(fc.constantFrom(...(hyperparameters[key] as Scalar[])), scalar) : scalar;
  if (keys.length === 0) return fc.constant([]);
  const entry = fc
    .uniqueArray(fc.constantFrom(...keys), { minLength: 1, maxLength: 3 })
    .chain((chosen) => fc.tuple(...chosen.map((key) => valueFor(key).map((value) => [key, value] as const))));
  return fc.array(
    entry.map((pairs) => Object.fromEntries(pairs)),
    { maxLength: 3 },
  );
}

/**
 * The documented algorithm, written as literally as possible: the product; drop combinations
 * matching all pairs of an exclude entry; for each include entry, add its pairs to every original
 * combination none of whose original values it would overwrite, else append it as a new one.
 */
function reference(hyperparameters: Record<string, unknown>, exclude: PartialAssignment[], include: PartialAssignment[]): string[] {
  const axes = axesOf(hyperparameters).sort(([a], [b]) => (a < b ? -1 : 1));
  const base = Object.fromEntries(Object.entries(hyperparameters).filter(([, value]) => !Array.isArray(value))) as Record<string, Scalar>;
  let product: Record<string, Scalar>[] = axes.length === 0 ? (include.length === 0 ? [{}] : []) : [{}];
  for (const [key, values] of axes) product = product.flatMap((combo) => values.map((value) => ({ ...combo, [key]: value })));
  const kept = product.filter((combo) => !exclude.some((entry) => Object.entries(entry).every(([key, value]) => combo[key] === value)));
  const points = kept.map((original) => ({ original, values: { ...base, ...original } }));
  const added: Record<string, Scalar>[] = [];
  for (const entry of include) {
    let extended = false;
    for (const point of points) {
      if (Object.entries(entry).some(([key, value]) => key in point.original && point.original[key] !== value)) continue;
      Object.assign(point.values, entry);
      extended = true;
    }
    if (!extended) added.push({ ...base, ...entry });
  }
  return [...points.map((point) => point.values), ...added].map(canonical);
}

describe("grid properties", () => {
  it("without include/exclude: as many points as the product of the list lengths, all distinct", () => {
    fc.assert(
      fc.property(gridSpace, (hyperparameters) => {
        const def = sweep({ hyperparameters });
        const { values, stats } = expandAll(def);
        const product = axesOf(hyperparameters).reduce((n, [, list]) => n * list.length, 1);
        expect(values).toHaveLength(product);
        expect(gridSize(def)).toBe(product);
        expect(stats).toMatchObject({ expanded: product, excluded: 0 });
        expect(new Set(values.map(canonical)).size).toBe(product);
      }),
    );
  });

  it("is deterministic and does not depend on the order of keys in the file", () => {
    fc.assert(
      fc.property(withShuffledKeys, ([hyperparameters, order]) => {
        const first = expandAll(sweep({ hyperparameters })).values;
        expect(expandAll(sweep({ hyperparameters })).values).toEqual(first);
        const shuffled = expandAll(sweep({ hyperparameters: reordered(hyperparameters, order) })).values;
        expect(shuffled.map((v) => JSON.stringify(v))).toEqual(first.map((v) => JSON.stringify(v)));
      }),
    );
  });

  it("never yields a point that matches an exclude entry, and counts what it dropped", () => {
    const space = gridSpace.chain((hyperparameters) => {
      const axisKeys = axesOf(hyperparameters).map(([key]) => key);
      return fc.tuple(fc.constant(hyperparameters), entries(Object.fromEntries(axisKeys.map((key) => [key, hyperparameters[key]])), []));
    });
    fc.assert(
      fc.property(space, ([hyperparameters, exclude]) => {
        const def = sweep({ hyperparameters, exclude });
        expect(checkSearchSpace(def).filter((d) => d.severity === "error")).toEqual([]);
        const { values, stats } = expandAll(def);
        for (const entry of exclude) {
          expect(values.filter((v) => Object.entries(entry).every(([key, value]) => v[key] === value))).toEqual([]);
        }
        expect(stats.expanded - stats.excluded).toBe(values.length);
      }),
    );
  });

  it("applies exclude and include exactly as the documented algorithm does", () => {
    const space = gridSpace.chain((hyperparameters) => {
      const axes = Object.fromEntries(axesOf(hyperparameters));
      return fc.tuple(fc.constant(hyperparameters), entries(axes, []), entries(hyperparameters, ["weight_decay", "mini_batch_size"]));
    });
    fc.assert(
      fc.property(space, ([hyperparameters, exclude, include]) => {
        const { values, stats } = expandAll(sweep({ hyperparameters, exclude, include }));
        const expected = reference(hyperparameters, exclude, include);
        expect(values.map(canonical)).toEqual(expected);
        expect(stats.expanded - stats.excluded).toBe(expected.length);
      }),
    );
  });
});

describe("random properties", () => {
  const bounds = fc
    .tuple(fc.double({ min: 1e-6, max: 1e3, noNaN: true }), fc.double({ min: 1e-6, max: 1e3, noNaN: true }))
    .filter(([a, b]) => a !== b)
    .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);
  const intBounds = fc
    .tuple(fc.integer({ min: -100, max: 100 }), fc.integer({ min: 1, max: 50 }))
    .map(([low, width]) => [low, low + width] as const);
  const randomSpace = fc.record({
    uniform: bounds,
    log_uniform: bounds,
    int_uniform: intBounds,
    choice: axis,
    seed: fc.integer(),
    samples: fc.integer({ min: 1, max: 30 }),
  });
  const define = (s: typeof randomSpace extends fc.Arbitrary<infer T> ? T : never, reverse = false) => {
    const hyperparameters: Record<string, unknown> = {
      a: { uniform: [...s.uniform] },
      b: { log_uniform: [...s.log_uniform] },
      c: { int_uniform: [...s.int_uniform] },
      d: s.choice,
      e: "fixed",
    };
    const keys = Object.keys(hyperparameters);
    return sweep({
      strategy: "random",
      samples: s.samples,
      seed: s.seed,
      hyperparameters: reordered(hyperparameters, reverse ? keys.reverse() : keys),
    });
  };

  it("draws within bounds, integers for int_uniform, list values for lists", () => {
    fc.assert(
      fc.property(randomSpace, (s) => {
        const { values } = expandAll(define(s));
        expect(values).toHaveLength(s.samples);
        for (const v of values) {
          expect(v.a).toBeGreaterThanOrEqual(s.uniform[0]);
          expect(v.a).toBeLessThanOrEqual(s.uniform[1]);
          expect(v.b).toBeGreaterThanOrEqual(s.log_uniform[0]);
          expect(v.b).toBeLessThanOrEqual(s.log_uniform[1]);
          expect(Number.isInteger(v.c)).toBe(true);
          expect(v.c).toBeGreaterThanOrEqual(s.int_uniform[0]);
          expect(v.c).toBeLessThanOrEqual(s.int_uniform[1]);
          expect(s.choice).toContain(v.d);
          expect(v.e).toBe("fixed");
        }
      }),
    );
  });

  it("gives the same points for the same seed, whatever the key order", () => {
    fc.assert(
      fc.property(randomSpace, (s) => {
        const points = expandAll(define(s)).values.map((v) => JSON.stringify(v));
        expect(expandAll(define(s)).values.map((v) => JSON.stringify(v))).toEqual(points);
        expect(expandAll(define(s, true)).values.map((v) => JSON.stringify(v))).toEqual(points);
      }),
    );
  });
});
