import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  HYPERPARAMETER_NAMES,
  resolveHyperparameters,
  SAGEMAKER_LIMITS,
  SemSegHyperparameters,
} from "../../../src/algorithms/semantic-segmentation/index.js";
import { errorMessages, REQUIRED, sent } from "./helpers.js";

describe("unknown keys", () => {
  test.each([
    ["learning_rte", 'learning_rte is not a hyperparameter of the semantic segmentation algorithm (did you mean "learning_rate"?)'],
    ["optimzer", 'optimzer is not a hyperparameter of the semantic segmentation algorithm (did you mean "optimizer"?)'],
    ["Learning_Rate", 'Learning_Rate is not a hyperparameter of the semantic segmentation algorithm (did you mean "learning_rate"?)'],
    ["batch_size", 'batch_size is not a hyperparameter of the semantic segmentation algorithm (did you mean "mini_batch_size"?)'],
    ["num_class", 'num_class is not a hyperparameter of the semantic segmentation algorithm (did you mean "num_classes"?)'],
    [
      "image_shape",
      "image_shape is not a hyperparameter of the semantic segmentation algorithm (the documentation mentions image_shape in two descriptions inherited from another algorithm, but it is not in the table)",
    ],
    ["dropout", "dropout is not a hyperparameter of the semantic segmentation algorithm"],
  ])("%s is an error", (key, message) => {
    const resolution = resolveHyperparameters({ ...REQUIRED, [key]: 1 });
    expect(resolution.ok ? [] : resolution.errors).toEqual([{ key, value: 1, message }]);
  });

  test("a key named like an Object property (own __proto__, as a YAML mapping can have) is just unknown", () => {
    const point = JSON.parse('{"num_classes": 21, "num_training_samples": 10, "__proto__": 5, "constructor": 1}') as Record<
      string,
      unknown
    >;
    expect(errorMessages(resolveHyperparameters(point))).toEqual([
      "__proto__ is not a hyperparameter of the semantic segmentation algorithm",
      "constructor is not a hyperparameter of the semantic segmentation algorithm",
    ]);
  });
});

describe("the point object", () => {
  test("only its own keys are read, whatever its prototype", () => {
    const inherited = Object.create({ learning_rate: 0 }) as Record<string, unknown>;
    Object.assign(inherited, REQUIRED, { epochs: 12 });
    expect(sent(resolveHyperparameters(inherited))).toMatchObject({ learning_rate: "0.001", epochs: "12" });
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, REQUIRED, { epochs: 13 });
    expect(sent(resolveHyperparameters(bare)).epochs).toBe("13");
  });

  test("points with different keys in turn are each read right (keys are memoised by position)", () => {
    expect(sent(resolveHyperparameters({ ...REQUIRED, epochs: 12 })).epochs).toBe("12");
    expect(sent(resolveHyperparameters({ ...REQUIRED, mini_batch_size: 12 }))).toMatchObject({ epochs: "10", mini_batch_size: "12" });
    expect(errorMessages(resolveHyperparameters({ ...REQUIRED, epoch: 12 }))).toEqual([
      'epoch is not a hyperparameter of the semantic segmentation algorithm (did you mean "epochs"?)',
    ]);
    expect(sent(resolveHyperparameters({ ...REQUIRED, epochs: 14 })).epochs).toBe("14");
  });
});

describe("SageMaker's limits on CreateTrainingJob.HyperParameters", () => {
  test("the contract's 24 names fit: at most 100 keys of at most 256 characters", () => {
    expect(SAGEMAKER_LIMITS).toEqual({ maxEntries: 100, maxKeyChars: 256, maxValueChars: 256 });
    expect(HYPERPARAMETER_NAMES).toHaveLength(24);
    expect(Math.max(...HYPERPARAMETER_NAMES.map((name) => name.length))).toBeLessThanOrEqual(256);
  });
});

/** Values per parameter for generated points: valid ones, near misses and wrong types. */
const POOLS: Readonly<Record<string, readonly unknown[]>> = {
  backbone: ["resnet-50", "resnet-101", "resnet50", 50],
  use_pretrained_model: [true, false, "True", "False", "true", 1],
  algorithm: ["fcn", "psp", "deeplab", "FCN"],
  num_classes: [2, 21, 254, 1, 255, "21", 21.5],
  num_training_samples: [1, 1000, "1000", 0, -1],
  base_size: [17, 520, 16, "520"],
  crop_size: [17, 240, 241, 250, 16, "256"],
  early_stopping: [true, false, "True", "false"],
  early_stopping_min_epochs: [0, 5, 50, -1],
  early_stopping_patience: [0, 4, -1, 2.5],
  early_stopping_tolerance: [0, 0.01, 1, 1.5, -0.1],
  epochs: [1, 10, 30, 0, Number.NaN],
  gamma1: [0, 0.9, 1, 1.1],
  gamma2: [0, 0.5, 1, -0.5],
  learning_rate: [1e-9, 0.001, "1e-3", 1, 0, 1.5, Number.POSITIVE_INFINITY, "abc"],
  lr_scheduler: ["poly", "cosine", "step", "Step"],
  lr_scheduler_factor: [0, 0.1, 1, 2],
  lr_scheduler_step: ["10, 20", 5, "20, 10", "0", "x"],
  mini_batch_size: [1, 16, "16", 0, 16.5],
  momentum: [1e-9, 0.9, 1, 0, 1.01],
  optimizer: ["adam", "adagrad", "nag", "rmsprop", "sgd", "Adam", "adadelta"],
  syncbn: [true, false, "True", "yes"],
  validation_mini_batch_size: [1, 16, 0],
  weight_decay: [1e-9, 0.0001, 0.999, 0, 1],
};
const KEYS = Object.keys(POOLS);

const points = fc
  .tuple(
    fc.subarray(KEYS),
    fc.array(fc.nat(), { minLength: KEYS.length, maxLength: KEYS.length }),
    fc.option(fc.constantFrom("learning_rte", "image_shape", "optimzer"), { nil: undefined }),
  )
  .map(([keys, picks, unknownKey]) => {
    const point: Record<string, unknown> = {};
    keys.forEach((key, i) => {
      const pool = POOLS[key] ?? [];
      point[key] = pool[(picks[i] ?? 0) % pool.length];
    });
    if (unknownKey !== undefined) point[unknownKey] = 1;
    return point;
  });

/** Errors that no single field has: the cross-field rule of this contract. */
const CROSS_FIELD = /^lr_scheduler_step is required when/;

describe("generated points", () => {
  test("a resolved map holds only the contract's names, in table order, with string values of at most 256 characters", () => {
    fc.assert(
      fc.property(points, (point) => {
        const resolution = resolveHyperparameters(point);
        if (!resolution.ok) return;
        const keys = Object.keys(resolution.hyperparameters);
        expect(keys).toEqual(HYPERPARAMETER_NAMES.filter((name) => keys.includes(name)));
        for (const value of Object.values(resolution.hyperparameters)) {
          expect(typeof value).toBe("string");
          expect(value.length).toBeLessThanOrEqual(SAGEMAKER_LIMITS.maxValueChars);
        }
        expect(resolution.hyperparameters).toHaveProperty("num_classes");
        expect(resolution.hyperparameters).toHaveProperty("num_training_samples");
      }),
      { numRuns: 2000 },
    );
  });

  test("the memoised resolver reports exactly the per-field errors the zod schema itself reports", () => {
    fc.assert(
      fc.property(points, (point) => {
        const resolution = resolveHyperparameters(point);
        const fieldErrors = resolution.ok ? [] : resolution.errors.map((e) => e.message).filter((m) => !CROSS_FIELD.test(m));
        const parsed = SemSegHyperparameters.safeParse(point);
        // The schema reports all unknown keys in one issue, a line each.
        const schemaErrors = parsed.success ? [] : parsed.error.issues.flatMap((issue) => issue.message.split("\n"));
        expect(new Set(fieldErrors)).toEqual(new Set(schemaErrors));
      }),
      { numRuns: 2000 },
    );
  });

  test("a point resolves the same however many other points came before it (the memo changes nothing)", () => {
    fc.assert(
      fc.property(fc.array(points, { minLength: 2, maxLength: 20 }), (batch) => {
        const first = batch.map((point) => JSON.stringify(resolveHyperparameters(point)));
        const again = [...batch]
          .reverse()
          .map((point) => JSON.stringify(resolveHyperparameters(point)))
          .reverse();
        expect(again).toEqual(first);
      }),
      { numRuns: 300 },
    );
  });
});

describe("the memo", () => {
  test("stays correct past its bound (4096 values per key)", () => {
    const values = Array.from({ length: 5000 }, (_, i) => (i + 1) / 10_000);
    for (const learning_rate of values) sent(resolveHyperparameters({ ...REQUIRED, learning_rate }));
    expect(sent(resolveHyperparameters({ ...REQUIRED, learning_rate: values[0] })).learning_rate).toBe("0.0001");
    expect(errorMessages(resolveHyperparameters({ ...REQUIRED, learning_rate: 0 }))).toHaveLength(1);
  });

  test('keeps 16, "16" and a boolean apart', () => {
    expect(sent(resolveHyperparameters({ ...REQUIRED, mini_batch_size: 16 })).mini_batch_size).toBe("16");
    expect(sent(resolveHyperparameters({ ...REQUIRED, mini_batch_size: "16" })).mini_batch_size).toBe("16");
    expect(errorMessages(resolveHyperparameters({ ...REQUIRED, mini_batch_size: true }))).toEqual([
      "mini_batch_size: true is not a number; allowed: an integer with n ≥ 1",
    ]);
  });

  test("never hands out a map another point can change", () => {
    const a = sent(resolveHyperparameters(REQUIRED));
    a.epochs = "999";
    expect(sent(resolveHyperparameters(REQUIRED)).epochs).toBe("10");
  });
});
