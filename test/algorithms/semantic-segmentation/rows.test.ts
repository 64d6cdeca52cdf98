import { describe, expect, test } from "vitest";
import {
  FIELDS,
  HYPERPARAMETER_NAMES,
  hyperparameterKind,
  resolveHyperparameters,
} from "../../../src/algorithms/semantic-segmentation/index.js";
import { errorMessages, REQUIRED, resolveWith, sent, warningMessages } from "./helpers.js";

/**
 * The 24 rows of the contract (docs/contract.md), as the user sees them:
 * kind, what is allowed (the words in every message), default sent, and whether it is required.
 */
const ROWS: ReadonlyArray<readonly [name: string, kind: string, allowed: string, defaultSent: string | undefined]> = [
  ["backbone", "enum", "resnet-50, resnet-101", "resnet-50"],
  ["use_pretrained_model", "boolean", "True, False", "True"],
  ["algorithm", "enum", "fcn, psp, deeplab", "fcn"],
  ["num_classes", "integer", "an integer with 2 ≤ n ≤ 254", undefined],
  ["num_training_samples", "integer", "an integer with n ≥ 1", undefined],
  ["base_size", "integer", "an integer with n > 16", "520"],
  ["crop_size", "integer", "an integer with n > 16, rounded up to a multiple of 8", "240"],
  ["early_stopping", "boolean", "True, False", "False"],
  ["early_stopping_min_epochs", "integer", "an integer with n ≥ 0 (it counts epochs)", "5"],
  ["early_stopping_patience", "integer", "an integer with n ≥ 0 (it counts epochs)", "4"],
  ["early_stopping_tolerance", "float", "a number with 0 ≤ x ≤ 1", "0"],
  ["epochs", "integer", "an integer with n ≥ 1", "10"],
  ["gamma1", "float", "a number with 0 ≤ x ≤ 1", "0.9"],
  ["gamma2", "float", "a number with 0 ≤ x ≤ 1", "0.9"],
  ["learning_rate", "float", "a number with 0 < x ≤ 1", "0.001"],
  ["lr_scheduler", "enum", "poly, cosine, step", "poly"],
  ["lr_scheduler_factor", "float", "a number with 0 ≤ x ≤ 1", "0.1"],
  ["lr_scheduler_step", "string", 'comma-separated positive integer epochs in increasing order, e.g. "10, 20"', undefined],
  ["mini_batch_size", "integer", "an integer with n ≥ 1", "16"],
  ["momentum", "float", "a number with 0 < x ≤ 1", "0.9"],
  ["optimizer", "enum", "adam, adagrad, nag, rmsprop, sgd", "sgd"],
  ["syncbn", "boolean", "True, False", "False"],
  ["validation_mini_batch_size", "integer", "an integer with n ≥ 1", "16"],
  ["weight_decay", "float", "a number with 0 < x < 1", "0.0001"],
];
const allowedOf = (name: string): string => ROWS.find((row) => row[0] === name)?.[2] ?? "?";

describe("the 24 rows", () => {
  test("are the documented parameters, in table order", () => {
    expect(HYPERPARAMETER_NAMES).toEqual(ROWS.map((row) => row[0]));
  });

  test.each(ROWS)("%s is a %s allowing %s", (name, kind, allowed) => {
    expect(hyperparameterKind(name)).toBe(kind);
    expect(FIELDS[name as keyof typeof FIELDS].allowed).toBe(allowed);
  });

  test.each(ROWS.filter((row) => row[3] !== undefined))(
    "%s defaults to %s (current page), sent explicitly",
    (name, _kind, _allowed, defaultSent) => {
      const point: Record<string, unknown> = { ...REQUIRED };
      // Make conditional parameters apply without setting them.
      if (name.startsWith("gamma")) point.optimizer = "rmsprop";
      if (name.startsWith("early_stopping_")) point.early_stopping = true;
      if (name === "lr_scheduler_factor") Object.assign(point, { lr_scheduler: "step", lr_scheduler_step: "5" });
      expect(sent(resolveHyperparameters(point))[name]).toBe(defaultSent);
    },
  );

  test.each(["image_shape", "learning_rte", "toString", "__proto__", "Optimizer"])("%s is not a hyperparameter", (name) => {
    expect(hyperparameterKind(name)).toBeUndefined();
  });
});

describe("required parameters", () => {
  test.each([
    ["num_classes", { num_training_samples: 1000 }],
    ["num_training_samples", { num_classes: 21 }],
  ])("a point without %s is refused", (name, point) => {
    expect(errorMessages(resolveHyperparameters(point))).toEqual([`${name} is required; allowed: ${allowedOf(name)}`]);
  });

  test("a point with neither gets both errors, in table order", () => {
    expect(errorMessages(resolveHyperparameters({}))).toEqual([
      "num_classes is required; allowed: an integer with 2 ≤ n ≤ 254",
      "num_training_samples is required; allowed: an integer with n ≥ 1",
    ]);
  });

  test("a key set to undefined counts as absent", () => {
    expect(errorMessages(resolveHyperparameters({ ...REQUIRED, num_classes: undefined }))[0]).toMatch(/^num_classes is required/);
  });
});

/** Both sides of every bound: [name, value, accepted?, sent when accepted]. */
type Bound = [name: string, value: number, accepted: boolean, sent?: string];
const BOUNDS: Bound[] = [
  ["learning_rate", 0, false],
  ["learning_rate", -0.1, false],
  ["learning_rate", 1e-9, true, "1e-9"],
  ["learning_rate", 1, true, "1"],
  ["learning_rate", 1.0000001, false],
  ["weight_decay", 0, false],
  ["weight_decay", 1e-9, true, "1e-9"],
  ["weight_decay", 0.9999999, true, "0.9999999"],
  ["weight_decay", 1, false],
  ["momentum", 0, false],
  ["momentum", 1e-9, true, "1e-9"],
  ["momentum", 1, true, "1"],
  ["momentum", 1.0000001, false],
  ...["gamma1", "gamma2", "lr_scheduler_factor", "early_stopping_tolerance"].flatMap((name): Bound[] => [
    [name, -1e-9, false],
    [name, 0, true, "0"],
    [name, 0.5, true, "0.5"],
    [name, 1, true, "1"],
    [name, 1.0000001, false],
  ]),
  ["num_classes", 1, false],
  ["num_classes", 2, true, "2"],
  ["num_classes", 254, true, "254"],
  ["num_classes", 255, false],
  ["num_training_samples", 0, false],
  ["num_training_samples", -5, false],
  ["num_training_samples", 1, true, "1"],
  ["num_training_samples", 1_000_000_000, true, "1000000000"],
  ["base_size", 16, false],
  ["base_size", 17, true, "17"],
  ["base_size", 4096, true, "4096"],
  ["crop_size", 16, false],
  ["crop_size", 24, true, "24"],
  ...["epochs", "mini_batch_size", "validation_mini_batch_size"].flatMap((name): Bound[] => [
    [name, -1, false],
    [name, 0, false],
    [name, 1, true, "1"],
    [name, 64, true, "64"],
  ]),
  ...["early_stopping_min_epochs", "early_stopping_patience"].flatMap((name): Bound[] => [
    [name, -1, false],
    [name, 0, true, "0"],
    [name, 7, true, "7"],
  ]),
];

describe("bounds, both sides", () => {
  test.each(BOUNDS.filter((row) => row[2]))("%s: %s is accepted and sent as %s", (name, value, _ok, expected) => {
    expect(sent(resolveWith(name, value))[name]).toBe(expected);
  });

  test.each(BOUNDS.filter((row) => !row[2]))("%s: %s is out of range", (name, value) => {
    expect(errorMessages(resolveWith(name, value))).toEqual([`${name}: ${value} is out of range; allowed: ${allowedOf(name)}`]);
  });

  test("the message of the issue's example, word for word", () => {
    expect(errorMessages(resolveWith("learning_rate", 0))).toEqual(["learning_rate: 0 is out of range; allowed: a number with 0 < x ≤ 1"]);
  });

  test("the value given is kept on the issue for the caller", () => {
    const resolution = resolveWith("momentum", 2);
    expect(resolution.ok ? [] : resolution.errors).toEqual([
      { key: "momentum", value: 2, message: expect.stringContaining("momentum: 2") },
    ]);
  });
});

describe("numbers", () => {
  test.each([
    ["learning_rate", "0.001", "0.001"],
    ["learning_rate", "1e-3", "0.001"],
    ["learning_rate", " 0.5 ", "0.5"],
    ["learning_rate", ".25", "0.25"],
    ["learning_rate", 0.1 + 0.2, "0.30000000000000004"],
    ["mini_batch_size", "16", "16"],
    ["mini_batch_size", 16.0, "16"],
    ["mini_batch_size", "16.0", "16"],
    ["mini_batch_size", "1e1", "10"],
    ["num_classes", "+21", "21"],
  ])("%s: %j is read as a number and sent as %s", (name, value, expected) => {
    expect(sent(resolveWith(name, value))[name]).toBe(expected);
  });

  test.each([
    ["mini_batch_size", 16.5, "mini_batch_size: 16.5 is not an integer"],
    ["mini_batch_size", "16.5", "mini_batch_size: 16.5 is not an integer"],
    ["num_classes", 2.000001, "num_classes: 2.000001 is not an integer"],
    ["learning_rate", Number.NaN, "learning_rate: .nan is not a finite number"],
    ["learning_rate", Number.POSITIVE_INFINITY, "learning_rate: .inf is not a finite number"],
    ["epochs", Number.NEGATIVE_INFINITY, "epochs: -.inf is not a finite number"],
    ["learning_rate", "abc", 'learning_rate: "abc" is not a number'],
    ["learning_rate", "", 'learning_rate: "" is not a number'],
    ["learning_rate", "0x10", 'learning_rate: "0x10" is not a number'],
    ["learning_rate", "1,5", 'learning_rate: "1,5" is not a number'],
    ["learning_rate", "NaN", 'learning_rate: "NaN" is not a number'],
    ["learning_rate", true, "learning_rate: true is not a number"],
    ["epochs", null, "epochs: null is not a number"],
    ["epochs", [10, 20], "epochs: a list is not a number"],
  ])("%s: %j is refused (%s)", (name, value, start) => {
    expect(errorMessages(resolveWith(name, value))).toEqual([`${start}; allowed: ${allowedOf(name)}`]);
  });

  test("an integer too large to send exactly is refused", () => {
    expect(errorMessages(resolveWith("num_training_samples", 2 ** 53))[0]).toMatch(
      /^num_training_samples: 9007199254740992 is too large to be sent exactly/,
    );
    expect(sent(resolveWith("num_training_samples", 2 ** 53 - 1)).num_training_samples).toBe("9007199254740991");
  });
});

describe("crop_size is rounded up to a multiple of 8 by the algorithm", () => {
  test.each([
    [240, "240"],
    [24, "24"],
    [17, "24"],
    [241, "248"],
    [250, "256"],
    ["250", "256"],
    [255.0, "256"],
  ])("%j is sent as %s", (value, expected) => {
    expect(sent(resolveWith("crop_size", value)).crop_size).toBe(expected);
  });

  test("a value that changes is warned about; one that does not is not", () => {
    expect(warningMessages(resolveWith("crop_size", 250))).toEqual([
      "crop_size: 250 is rounded up to 256 by the algorithm (a multiple of 8), so 256 is sent",
    ]);
    expect(warningMessages(resolveWith("crop_size", 256))).toEqual([]);
  });
});
