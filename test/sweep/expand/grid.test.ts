import { describe, expect, it } from "vitest";
import { checkSearchSpace, expandPoints, gridSize, originOf, originPath, type SweepPoint } from "../../../src/sweep/expand/index.js";
import { expandAll, lines, sweep } from "./helpers.js";

describe("grid: points", () => {
  it("takes the cartesian product in sorted key order, the last key varying fastest", () => {
    const { values } = expandAll(
      sweep({ hyperparameters: { mini_batch_size: [8, 16], learning_rate: [0.1, 0.01], backbone: ["resnet-50"] } }),
    );
    expect(values.map((v) => [v.backbone, v.learning_rate, v.mini_batch_size])).toEqual([
      ["resnet-50", 0.1, 8],
      ["resnet-50", 0.1, 16],
      ["resnet-50", 0.01, 8],
      ["resnet-50", 0.01, 16],
    ]);
  });

  it("gives every point the fixed values, with keys in sorted order, and numbers them from 1", () => {
    const points = [
      ...expandPoints(sweep({ hyperparameters: { num_classes: 21, epochs: [10, 20], algorithm: "fcn" } }), { expanded: 0, excluded: 0 }),
    ];
    expect(points.map((p) => p.index)).toEqual([1, 2]);
    expect(points.map((p) => Object.keys(p.values))).toEqual([
      ["algorithm", "epochs", "num_classes"],
      ["algorithm", "epochs", "num_classes"],
    ]);
    expect(points[1]?.values).toEqual({ algorithm: "fcn", epochs: 20, num_classes: 21 });
  });

  it("with only fixed values is one point", () => {
    expect(expandAll(sweep({ hyperparameters: { num_classes: 2 } })).values).toEqual([{ num_classes: 2 }]);
  });

  it("yields lazily: a 10^6-point grid can be stopped after a few points", () => {
    const axes = Object.fromEntries(["a", "b", "c", "d", "e", "f"].map((key) => [key, [...Array(10).keys()]]));
    const stats = { expanded: 0, excluded: 0 };
    const iterator = expandPoints(sweep({ hyperparameters: axes }), stats);
    const first = [iterator.next().value, iterator.next().value] as SweepPoint[];
    expect(first.map((p) => p.values.f)).toEqual([0, 1]);
    expect(stats.expanded).toBe(2);
  });
});

describe("grid: fixed values under include and exclude", () => {
  const def = sweep({
    hyperparameters: { num_classes: 19, mini_batch_size: 16, backbone: ["resnet-50", "resnet-101"], algorithm: ["fcn", "psp"] },
    exclude: [{ algorithm: "fcn", backbone: "resnet-101" }],
    include: [{ backbone: "resnet-101", mini_batch_size: 8 }],
  });

  it("an include entry replaces a fixed value only on the points it extends", () => {
    const { values, stats } = expandAll(def);
    expect(values).toEqual([
      { algorithm: "fcn", backbone: "resnet-50", mini_batch_size: 16, num_classes: 19 },
      { algorithm: "psp", backbone: "resnet-50", mini_batch_size: 16, num_classes: 19 },
      { algorithm: "psp", backbone: "resnet-101", mini_batch_size: 8, num_classes: 19 },
    ]);
    expect(stats).toMatchObject({ expanded: 4, excluded: 1 });
  });

  it("a new point added by include gets the fixed values as its base", () => {
    const { values } = expandAll(
      sweep({ hyperparameters: { num_classes: 19, backbone: ["resnet-50"] }, include: [{ backbone: "resnet-101", epochs: 5 }] }),
    );
    expect(values).toEqual([
      { backbone: "resnet-50", num_classes: 19 },
      { backbone: "resnet-101", epochs: 5, num_classes: 19 },
    ]);
  });

  it("exclude cannot name a fixed key: it is not part of the matrix", () => {
    const bad = sweep({ hyperparameters: { num_classes: 19, backbone: ["resnet-50", "resnet-101"] }, exclude: [{ num_classes: 19 }] });
    expect(lines(checkSearchSpace(bad))).toEqual([
      "error exclude[0].num_classes: exclude[0] names num_classes, but num_classes is fixed (19), not searched; exclude may only name searched keys (keys with a list of values): backbone",
    ]);
  });

  it("originOf points at the list item, the fixed value, or the include entry a value came from", () => {
    const points = [...expandPoints(def, { expanded: 0, excluded: 0 })];
    const psp101 = points.find((p) => p.values.algorithm === "psp" && p.values.backbone === "resnet-101") as SweepPoint;
    const fcn50 = points[0] as SweepPoint;
    expect(originPath(def, psp101, "mini_batch_size")).toBe("include[0].mini_batch_size");
    expect(originPath(def, fcn50, "mini_batch_size")).toBe("hyperparameters.mini_batch_size");
    expect(originPath(def, psp101, "backbone")).toBe("hyperparameters.backbone[1]");
    expect(originOf(def, psp101, "algorithm")).toEqual(["hyperparameters", "algorithm", 1]);
    expect(originOf(def, psp101, "crop_size")).toEqual(["hyperparameters"]);
  });

  it("originOf on a point added by include points at that entry, even if a later entry sets the same value", () => {
    const added = sweep({ hyperparameters: { backbone: ["resnet-50"] }, include: [{ backbone: "resnet-101", epochs: 5 }, { epochs: 5 }] });
    const points = [...expandPoints(added, { expanded: 0, excluded: 0 })];
    expect(points.map((p) => p.values)).toEqual([
      { backbone: "resnet-50", epochs: 5 },
      { backbone: "resnet-101", epochs: 5 },
    ]);
    expect(originPath(added, points[0] as SweepPoint, "epochs")).toBe("include[1].epochs");
    expect(originPath(added, points[1] as SweepPoint, "epochs")).toBe("include[0].epochs");
    expect(originPath(added, points[1] as SweepPoint, "backbone")).toBe("include[0].backbone");
  });
});

describe("grid: shape errors", () => {
  const check = (hyperparameters: Record<string, unknown>) => lines(checkSearchSpace(sweep({ hyperparameters })));

  it("rejects an empty list", () => {
    expect(check({ learning_rate: [] })).toEqual([
      "error hyperparameters.learning_rate: learning_rate is an empty list, which gives no points; list at least one value, or remove the key",
    ]);
  });

  it("rejects a nested list or a mapping inside a list, at the item", () => {
    expect(check({ learning_rate: [0.1, [0.2, 0.3], { uniform: [0, 1] }] })).toEqual([
      "error hyperparameters.learning_rate[1]: learning_rate[1] is a list; list items must each be a string, number or boolean (write one flat list, e.g. [0.001, 0.01])",
      "error hyperparameters.learning_rate[2]: learning_rate[2] is a mapping; list items must each be a string, number or boolean (a distribution replaces the whole list, under strategy: random)",
    ]);
  });

  it("rejects a distribution under grid, saying it needs strategy: random", () => {
    expect(check({ learning_rate: { log_uniform: [0.0001, 0.1] } })).toEqual([
      "error hyperparameters.learning_rate: learning_rate is a distribution ({log_uniform: ...}), which needs strategy: random; under strategy: grid, list the values instead, e.g. [0.001, 0.01]",
    ]);
  });

  it("rejects null and non-finite numbers, with what is allowed", () => {
    expect(check({ momentum: null, weight_decay: Number.POSITIVE_INFINITY, epochs: [10, Number.NaN] })).toEqual([
      "error hyperparameters.epochs[1]: epochs[1] is .nan, not a finite number; list items must each be a string, number or boolean",
      "error hyperparameters.momentum: momentum is empty (null); allowed: a string, number or boolean (fixed for every point), or a non-empty list of them (an axis of the grid)",
      "error hyperparameters.weight_decay: weight_decay is .inf, not a finite number; allowed: a string, number or boolean (fixed for every point), or a non-empty list of them (an axis of the grid)",
    ]);
  });

  it("warns about a value listed twice", () => {
    expect(check({ epochs: [10, 20, 10] })).toEqual([
      "warning hyperparameters.epochs[2]: epochs lists 10 twice (items 0 and 2), which repeats points; remove one",
    ]);
  });

  it("warns that samples and seed are ignored under grid", () => {
    const def = sweep({ hyperparameters: { epochs: [10] }, samples: 5, seed: 1 });
    expect(lines(checkSearchSpace(def)).map((l) => l.split(":")[0])).toEqual(["warning samples", "warning seed"]);
  });

  it("expandPoints refuses a space with errors instead of hiding them", () => {
    expect(() => expandPoints(sweep({ hyperparameters: { epochs: [] } }), { expanded: 0, excluded: 0 })).toThrow(/checkSearchSpace/);
  });
});

describe("grid: exclude and include checks", () => {
  it("warns when an exclude value is not among the listed values, with a hint when only case or type differ", () => {
    const def = sweep({
      hyperparameters: { backbone: ["resnet-50", "resnet-101"], epochs: [10, 20] },
      exclude: [{ backbone: "ResNet-50" }, { epochs: "20" }, { epochs: 30 }],
    });
    expect(lines(checkSearchSpace(def))).toEqual([
      'warning exclude[0].backbone: exclude[0] drops no point: backbone: "ResNet-50" is not one of its values ["resnet-50","resnet-101"] (values compare exactly: did you mean "resnet-50"?)',
      'warning exclude[1].epochs: exclude[1] drops no point: epochs: "20" is not one of its values [10,20] (values compare exactly: did you mean 20?)',
      "warning exclude[2].epochs: exclude[2] drops no point: epochs: 30 is not one of its values [10,20]",
    ]);
    expect(expandAll(def).stats.excluded).toBe(0);
  });

  it("warns when an include value differs from a listed value only by case or type", () => {
    const def = sweep({
      hyperparameters: { backbone: ["resnet-50", "resnet-101"] },
      include: [{ backbone: "RESNET-101", mini_batch_size: 8 }, { backbone: "resnet-152" }],
    });
    expect(lines(checkSearchSpace(def))).toEqual([
      'warning include[0].backbone: include[0] sets backbone: "RESNET-101", which is not one of its values (values compare exactly: did you mean "resnet-101"?), so this entry adds a new point instead of extending the points with backbone: "resnet-101"',
    ]);
  });
});

describe("gridSize", () => {
  it("is the product of the list lengths, before exclude and include", () => {
    expect(gridSize(sweep({ hyperparameters: { a: [1, 2, 3], b: [1, 2], c: 5 }, exclude: [{ a: 1 }], include: [{ a: 9 }] }))).toBe(6);
  });

  it("is 1 with no list, and 0 when include alone then makes the points", () => {
    expect(gridSize(sweep({ hyperparameters: { a: 1 } }))).toBe(1);
    expect(gridSize(sweep({ hyperparameters: { a: 1 }, include: [{ b: 2 }] }))).toBe(0);
  });

  it("counts a 10^9-point grid without expanding it", () => {
    const axes = Object.fromEntries(["a", "b", "c", "d", "e", "f", "g", "h", "i"].map((key) => [key, [...Array(10).keys()]]));
    expect(gridSize(sweep({ hyperparameters: axes }))).toBe(1e9);
  });
});
