import { describe, expect, it } from "vitest";
import {
  checkSearchSpace,
  type ExpansionStats,
  expandPoints,
  gridSize,
  originPath,
  randomSeed,
  type SweepPoint,
  unmatchedExcludeWarnings,
} from "../../../src/sweep/expand/index.js";
import { expandAll, lines, type SpaceInput, sweep } from "./helpers.js";

const space: SpaceInput = {
  strategy: "random",
  samples: 40,
  seed: 7,
  hyperparameters: {
    num_classes: 21,
    learning_rate: { log_uniform: [0.0001, 0.1] },
    momentum: { uniform: [0.8, 0.99] },
    epochs: { int_uniform: [5, 50] },
    optimizer: ["sgd", "adam", "rmsprop"],
  },
};

describe("random: points", () => {
  it("draws `samples` points, each within its distribution, with the fixed values", () => {
    const { values, stats } = expandAll(sweep(space));
    expect(values).toHaveLength(40);
    expect(stats).toMatchObject({ expanded: 40, excluded: 0 });
    for (const v of values) {
      expect(v.num_classes).toBe(21);
      expect(v.learning_rate).toBeGreaterThanOrEqual(0.0001);
      expect(v.learning_rate).toBeLessThanOrEqual(0.1);
      expect(v.momentum).toBeGreaterThanOrEqual(0.8);
      expect(v.momentum).toBeLessThanOrEqual(0.99);
      expect(Number.isInteger(v.epochs)).toBe(true);
      expect(["sgd", "adam", "rmsprop"]).toContain(v.optimizer);
    }
  });

  it("rounds continuous draws to 6 significant digits", () => {
    for (const v of expandAll(sweep(space)).values) {
      for (const key of ["learning_rate", "momentum"]) {
        const value = v[key] as number;
        expect(Number(value.toPrecision(6))).toBe(value);
      }
    }
  });

  it("spreads log_uniform draws over the decades, not only the top one", () => {
    const rates = expandAll(sweep({ ...space, samples: 400 })).values.map((v) => v.learning_rate as number);
    for (const [low, high] of [
      [1e-4, 1e-3],
      [1e-3, 1e-2],
      [1e-2, 1e-1],
    ] as const) {
      expect(rates.filter((r) => r >= low && r < high).length).toBeGreaterThan(80); // about 133 each
    }
  });

  it("gives the same points for the same file and seed, and different ones for another seed", () => {
    const once = expandAll(sweep(space)).values;
    expect(expandAll(sweep(space)).values).toEqual(once);
    expect(expandAll(sweep({ ...space, seed: 8 })).values).not.toEqual(once);
  });

  it("without a seed, derives one from the campaign name", () => {
    const unseeded = { ...space, seed: undefined };
    const a = sweep({ ...unseeded, name: "city-scapes" });
    expect(randomSeed(a)).toBe(randomSeed(sweep({ ...unseeded, name: "city-scapes" })));
    expect(expandAll(a).values).toEqual(expandAll(sweep({ ...unseeded, name: "city-scapes" })).values);
    expect(expandAll(sweep({ ...unseeded, name: "city-scapes-2" })).values).not.toEqual(expandAll(a).values);
    expect(randomSeed(sweep(space))).toBe(7);
  });

  it("keeps the other keys' draws when a key is added, and the first points when samples grows", () => {
    const base = expandAll(sweep(space)).values;
    const widened = expandAll(
      sweep({ ...space, hyperparameters: { ...space.hyperparameters, weight_decay: { log_uniform: [1e-5, 1e-3] } } }),
    ).values;
    expect(widened.map(({ weight_decay: _, ...rest }) => rest)).toEqual(base);
    expect(expandAll(sweep({ ...space, samples: 60 })).values.slice(0, 40)).toEqual(base);
  });

  it("pins the draws, so a seed keeps its points across segsweep versions", () => {
    const def = sweep({
      strategy: "random",
      samples: 3,
      seed: 42,
      hyperparameters: { lr: { log_uniform: [0.0001, 0.1] }, bs: { int_uniform: [4, 32] }, opt: ["sgd", "adam"] },
    });
    expect(expandAll(def).values).toMatchInlineSnapshot(`
      [
        {
          "bs": 28,
          "lr": 0.000555541,
          "opt": "sgd",
        },
        {
          "bs": 28,
          "lr": 0.0525013,
          "opt": "adam",
        },
        {
          "bs": 25,
          "lr": 0.000447563,
          "opt": "sgd",
        },
      ]
    `);
  });

  it("gridSize is the number of samples", () => {
    expect(gridSize(sweep(space))).toBe(40);
  });
});

describe("random: include and exclude over the drawn points", () => {
  it("drops draws that match an exclude entry, and extends or adds points with include", () => {
    const def = sweep({
      ...space,
      exclude: [{ optimizer: "rmsprop" }],
      include: [
        { optimizer: "adam", weight_decay: 0.0005, num_classes: 19 },
        { optimizer: "adagrad", learning_rate: 0.01 },
      ],
    });
    expect(checkSearchSpace(def)).toEqual([]);
    const stats = { expanded: 0, excluded: 0 };
    const points = [...expandPoints(def, stats)];
    const values = points.map((p) => p.values);
    const drawn = expandAll(sweep(space)).values;
    const rmsprop = drawn.filter((v) => v.optimizer === "rmsprop").length;
    const adam = drawn.filter((v) => v.optimizer === "adam").length;
    expect(rmsprop).toBeGreaterThan(0);
    expect(adam).toBeGreaterThan(0);
    expect(stats).toMatchObject({ expanded: 41, excluded: rmsprop });
    expect(values.filter((v) => v.optimizer === "rmsprop")).toEqual([]);
    const extended = values.filter((v) => v.optimizer === "adam");
    expect(extended).toHaveLength(adam);
    expect(extended.every((v) => v.weight_decay === 0.0005 && v.num_classes === 19)).toBe(true);
    expect(values.filter((v) => v.optimizer === "sgd").every((v) => v.weight_decay === undefined && v.num_classes === 21)).toBe(true);
    expect(values.at(-1)).toEqual({ learning_rate: 0.01, num_classes: 21, optimizer: "adagrad" });
    const first = points.find((p) => p.values.optimizer === "adam") as SweepPoint;
    expect(originPath(def, first, "weight_decay")).toBe("include[0].weight_decay");
    expect(originPath(def, first, "learning_rate")).toBe("hyperparameters.learning_rate.log_uniform");
    expect(originPath(def, first, "optimizer")).toBe("hyperparameters.optimizer[1]");
  });

  it("an include entry that sets a drawn key extends only points that drew exactly that value", () => {
    // momentum is drawn, so it is an original value: include cannot overwrite it, and adds a new point.
    const def = sweep({ ...space, include: [{ optimizer: "adam", momentum: 0.9 }] });
    const { values, stats } = expandAll(def);
    expect(stats.expanded).toBe(41);
    expect(values.at(-1)).toEqual({ momentum: 0.9, num_classes: 21, optimizer: "adam" });
  });

  it("warns after expansion about an exclude entry that matched no draw", () => {
    const def = sweep({ ...space, samples: 5, exclude: [{ epochs: 7, optimizer: "adam" }, { optimizer: "sgd" }, { epochs: 60 }] });
    const stats: ExpansionStats = { expanded: 0, excluded: 0 };
    [...expandPoints(def, stats)];
    expect(stats.excludedBy?.[1]).toBeGreaterThan(0);
    // exclude[2] (epochs 60, outside the range) was already reported by checkSearchSpace.
    expect(lines(unmatchedExcludeWarnings(def, stats))).toEqual([
      'warning exclude[0]: exclude[0] dropped no point: none of the 5 random draws matched {"epochs":7,"optimizer":"adam"}',
    ]);
  });

  it("warns before expansion about exclude values a distribution can never draw", () => {
    const def = sweep({ ...space, exclude: [{ epochs: 60 }, { epochs: 7.5 }, { momentum: "high" }] });
    expect(lines(checkSearchSpace(def))).toEqual([
      "warning exclude[0].epochs: exclude[0] drops no point: epochs: 60 is outside its range int_uniform: [5, 50]",
      "warning exclude[1].epochs: exclude[1] drops no point: epochs: 7.5 is not an integer, and int_uniform draws integers",
      'warning exclude[2].momentum: exclude[2] drops no point: momentum: "high" is not a number, and momentum draws numbers from uniform: [0.8, 0.99]',
    ]);
  });
});

describe("random: shape checks", () => {
  const check = (input: Partial<SpaceInput>) => lines(checkSearchSpace(sweep({ ...space, ...input })));
  const withParam = (value: unknown) => check({ hyperparameters: { learning_rate: value } });

  it("needs samples", () => {
    expect(check({ samples: undefined })).toEqual([
      "error strategy: strategy: random needs samples, the number of points to draw (e.g. samples: 20)",
    ]);
  });

  it("rejects bounds that are not two numbers with low < high", () => {
    expect(withParam({ uniform: [0.1, 0.01] })).toEqual([
      "error hyperparameters.learning_rate.uniform: learning_rate: uniform needs low less than high; got [0.1,0.01]",
    ]);
    expect(withParam({ uniform: [0.1] })).toEqual([
      "error hyperparameters.learning_rate.uniform: learning_rate: uniform needs two numbers [low, high]; got [0.1]",
    ]);
    expect(withParam({ uniform: [0, "1"] })).toEqual([
      'error hyperparameters.learning_rate.uniform: learning_rate: uniform needs two numbers [low, high]; got [0,"1"]',
    ]);
    expect(withParam({ uniform: 0.5 })).toEqual([
      "error hyperparameters.learning_rate.uniform: learning_rate: uniform needs two numbers [low, high]; got 0.5",
    ]);
  });

  it("needs low > 0 for log_uniform and integers for int_uniform", () => {
    expect(withParam({ log_uniform: [0, 1] })).toEqual([
      "error hyperparameters.learning_rate.log_uniform: learning_rate: log_uniform needs low greater than 0 (log_uniform draws on a log scale); got [0,1]",
    ]);
    expect(withParam({ int_uniform: [1, 2.5] })).toEqual([
      "error hyperparameters.learning_rate.int_uniform: learning_rate: int_uniform needs two integers [low, high]; got [1,2.5]",
    ]);
  });

  it("names the allowed distributions for an unknown one, or for a mapping with several keys", () => {
    expect(withParam({ normal: [0, 1] })).toEqual([
      'error hyperparameters.learning_rate.normal: learning_rate: unknown distribution "normal"; allowed: uniform, log_uniform, int_uniform',
    ]);
    expect(withParam({ uniform: [0, 1], log_uniform: [0.1, 1] })).toEqual([
      "error hyperparameters.learning_rate: learning_rate is a mapping with the keys uniform, log_uniform; a distribution has exactly one key, one of: uniform, log_uniform, int_uniform",
    ]);
  });

  it("warns when nothing is searched, or when samples exceed the distinct combinations", () => {
    expect(check({ hyperparameters: { num_classes: 2 } })).toEqual([
      "warning hyperparameters: no hyperparameter is searched (every value is fixed), so all 40 samples are the same point; give a key a list or a distribution",
    ]);
    expect(check({ hyperparameters: { optimizer: ["sgd", "adam"], epochs: { int_uniform: [1, 3] } } })).toEqual([
      "warning samples: samples: 40 is more than the 6 distinct combinations of the searched values, so draws repeat; strategy: grid covers them all exactly once",
    ]);
  });
});
