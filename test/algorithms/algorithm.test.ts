import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { FIELDS, HYPERPARAMETER_NAMES, semanticSegmentation } from "../../src/algorithms/semantic-segmentation/index.js";
import { fitsBounds, type ParameterSpec } from "../../src/algorithms/types.js";
import { Objective } from "../../src/sweep/definition.js";
import { ENABLING, REQUIRED } from "./semantic-segmentation/helpers.js";

/**
 * The Algorithm interface exposes the contract as data. Each datum is tested against the behaviour
 * of the contract itself (the zod schema and the resolver), so the data cannot drift from the rules.
 */
const algorithm = semanticSegmentation;
const spec = (name: string): ParameterSpec => {
  const found = algorithm.parameter(name);
  if (found === undefined) throw new Error(`no parameter ${name}`);
  return found;
};

describe("the semantic segmentation algorithm as data", () => {
  test("lists the 24 parameters in the order of the map sent", () => {
    expect(algorithm.parameters.map((p) => p.name)).toEqual(HYPERPARAMETER_NAMES);
    expect(algorithm.parameters).toHaveLength(24);
  });

  test("gives each parameter its type", () => {
    expect(spec("learning_rate").type).toBe("continuous");
    expect(spec("mini_batch_size").type).toBe("integer");
    expect(spec("optimizer").type).toBe("categorical");
    expect(spec("syncbn").type).toBe("boolean");
    expect(spec("lr_scheduler_step").type).toBe("string");
  });

  test("gives the bounds with their open and closed ends", () => {
    expect(spec("learning_rate").bounds).toEqual({ min: { value: 0, inclusive: false }, max: { value: 1, inclusive: true } });
    expect(spec("weight_decay").bounds).toEqual({ min: { value: 0, inclusive: false }, max: { value: 1, inclusive: false } });
    expect(spec("num_classes").bounds).toEqual({ min: { value: 2, inclusive: true }, max: { value: 254, inclusive: true } });
    expect(spec("base_size").bounds).toEqual({ min: { value: 16, inclusive: false } });
    expect(spec("optimizer").bounds).toBeUndefined();
  });

  // The property that makes the bounds trustworthy: for every number, the data and the schema agree.
  const numeric = algorithm.parameters.filter((p) => p.bounds !== undefined);
  test.each(numeric.map((p) => [p.name, p] as const))("%s: its bounds accept exactly what its schema accepts", (name, p) => {
    const ends = [p.bounds?.min?.value, p.bounds?.max?.value].filter((v): v is number => v !== undefined);
    const near = ends.flatMap((v) => [v, v - 1e-9, v + 1e-9, v - 1, v + 1]);
    const values = fc.oneof(
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      fc.constantFrom(...near),
      fc.integer({ min: -1000, max: 1000 }),
    );
    fc.assert(
      fc.property(values, (x) => {
        const integral = p.type !== "integer" || Number.isInteger(x);
        const schema = FIELDS[name as keyof typeof FIELDS].schema.safeParse(x).success;
        expect(schema).toBe(integral && fitsBounds(p.bounds ?? {}, x));
      }),
      { numRuns: 400 },
    );
  });

  test("gives the values of categorical and boolean parameters as sent", () => {
    expect(spec("optimizer").values).toEqual(["adam", "adagrad", "nag", "rmsprop", "sgd"]);
    expect(spec("backbone").values).toEqual(["resnet-50", "resnet-101"]);
    expect(spec("use_pretrained_model").values).toEqual(["True", "False"]);
    for (const p of algorithm.parameters.filter((q) => q.values !== undefined)) {
      for (const value of p.values ?? []) expect(algorithm.checkValue(p.name, value)).toMatchObject({ ok: true, sent: value });
    }
  });

  test("gives the defaults exactly as the resolver sends them", () => {
    for (const p of algorithm.parameters.filter((q) => q.default !== undefined)) {
      // A point where the parameter applies, leaving the parameter itself out.
      const point: Record<string, unknown> = { ...REQUIRED, ...ENABLING[p.name] };
      delete point[p.name];
      const resolved = algorithm.resolve(point);
      expect(resolved.ok && resolved.hyperparameters[p.name], p.name).toBe(p.default);
    }
    expect(spec("learning_rate").default).toBe("0.001");
    expect(spec("use_pretrained_model").default).toBe("True");
    expect(spec("num_classes").default).toBeUndefined();
    expect(spec("lr_scheduler_step").default).toBeUndefined();
  });

  test("says what is required, and when", () => {
    expect(algorithm.parameters.filter((p) => p.required === "always").map((p) => p.name)).toEqual(["num_classes", "num_training_samples"]);
    expect(spec("lr_scheduler_step").required).toBe("when-applies");
    // ... as the resolver enforces it:
    expect(algorithm.resolve({ ...REQUIRED, lr_scheduler: "step" }).ok).toBe(false);
    expect(algorithm.resolve({ ...REQUIRED, lr_scheduler: "poly" }).ok).toBe(true);
    expect(algorithm.resolve({ num_classes: 21 }).ok).toBe(false);
  });

  test("gives the conditions under which a parameter applies, as the resolver applies them", () => {
    expect(spec("momentum").appliesWhen).toEqual({ parameter: "optimizer", equals: "sgd" });
    expect(spec("gamma1").appliesWhen).toEqual({ parameter: "optimizer", equals: "rmsprop" });
    expect(spec("lr_scheduler_step").appliesWhen).toEqual({ parameter: "lr_scheduler", equals: "step" });
    expect(spec("learning_rate").appliesWhen).toBeUndefined();
    for (const p of algorithm.parameters.filter((q) => q.appliesWhen !== undefined && q.default !== undefined)) {
      const when = p.appliesWhen as { parameter: string; equals: string };
      const other = spec(when.parameter).values?.find((v) => v !== when.equals);
      const applies = algorithm.resolve({ ...REQUIRED, [when.parameter]: when.equals, lr_scheduler_step: "5" });
      const ignored = algorithm.resolve({ ...REQUIRED, [when.parameter]: other });
      expect(applies.ok && applies.hyperparameters[p.name], p.name).toBe(p.default);
      expect(ignored.ok && ignored.hyperparameters[p.name], p.name).toBeUndefined();
    }
  });

  test("gives its objective metrics, both maximized, and the sweep file's objective accepts exactly those", () => {
    expect(algorithm.objectiveMetrics).toEqual([
      { name: "validation:mIOU", direction: "Maximize" },
      { name: "validation:pixel_accuracy", direction: "Maximize" },
    ]);
    expect(Objective.options).toEqual(algorithm.objectiveMetrics.map((m) => m.name));
  });

  test("checks one value by the contract's own rule and message", () => {
    expect(algorithm.checkValue("learning_rate", 2)).toEqual({
      ok: false,
      message: "learning_rate: 2 is out of range; allowed: a number with 0 < x ≤ 1",
    });
    expect(algorithm.checkValue("learning_rate", "1e-3")).toEqual({ ok: true, sent: "0.001" });
    expect(algorithm.checkValue("use_pretrained_model", false)).toEqual({ ok: true, sent: "False" });
    expect(algorithm.checkValue("crop_size", 241)).toMatchObject({ ok: true, sent: "248", warning: expect.stringContaining("rounded up") });
    expect(algorithm.checkValue("learning_rte", 1)).toEqual({
      ok: false,
      message: 'learning_rte is not a hyperparameter of the semantic segmentation algorithm (did you mean "learning_rate"?)',
    });
    expect(algorithm.parameter("__proto__")).toBeUndefined();
  });
});

describe("fitsBounds", () => {
  test("honours open and closed ends", () => {
    const bounds = { min: { value: 0, inclusive: false }, max: { value: 1, inclusive: true } };
    expect([0, 1e-12, 1, 1.0000001, Number.NaN].map((x) => fitsBounds(bounds, x))).toEqual([false, true, true, false, false]);
    expect(fitsBounds({}, -1e300)).toBe(true);
  });
});
