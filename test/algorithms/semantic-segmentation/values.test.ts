import { describe, expect, test } from "vitest";
import { resolveHyperparameters } from "../../../src/algorithms/semantic-segmentation/index.js";
import { errorMessages, REQUIRED, resolveWith, sent, warningMessages } from "./helpers.js";

const ENUMS = {
  backbone: ["resnet-50", "resnet-101"],
  algorithm: ["fcn", "psp", "deeplab"],
  lr_scheduler: ["poly", "cosine", "step"],
  optimizer: ["adam", "adagrad", "nag", "rmsprop", "sgd"],
} as const;

describe("enums", () => {
  const accepted = Object.entries(ENUMS).flatMap(([name, values]) => values.map((value) => [name, value] as const));
  test.each(accepted)("%s: %s is accepted and sent as is", (name, value) => {
    // lr_scheduler=step needs its epochs to be valid at all.
    expect(sent(resolveWith(name, value, { lr_scheduler_step: name === "lr_scheduler" ? "5" : undefined }))[name]).toBe(value);
  });

  test.each([
    ["optimizer", "Adam", 'optimizer: "Adam" is not allowed; allowed: adam, adagrad, nag, rmsprop, sgd (did you mean "adam"?)'],
    ["optimizer", "SGD", 'optimizer: "SGD" is not allowed; allowed: adam, adagrad, nag, rmsprop, sgd (did you mean "sgd"?)'],
    ["optimizer", "sdg", 'optimizer: "sdg" is not allowed; allowed: adam, adagrad, nag, rmsprop, sgd (did you mean "sgd"?)'],
    ["optimizer", "lbfgs", 'optimizer: "lbfgs" is not allowed; allowed: adam, adagrad, nag, rmsprop, sgd'],
    ["optimizer", "constructor", 'optimizer: "constructor" is not allowed; allowed: adam, adagrad, nag, rmsprop, sgd'],
    ["backbone", "resnet50", 'backbone: "resnet50" is not allowed; allowed: resnet-50, resnet-101 (did you mean "resnet-50"?)'],
    ["backbone", "ResNet-101", 'backbone: "ResNet-101" is not allowed; allowed: resnet-50, resnet-101 (did you mean "resnet-101"?)'],
    ["backbone", "resnet_101", 'backbone: "resnet_101" is not allowed; allowed: resnet-50, resnet-101 (did you mean "resnet-101"?)'],
    ["backbone", 50, "backbone: 50 is not allowed; allowed: resnet-50, resnet-101"],
    ["algorithm", "DeepLab", 'algorithm: "DeepLab" is not allowed; allowed: fcn, psp, deeplab (did you mean "deeplab"?)'],
    ["algorithm", "unet", 'algorithm: "unet" is not allowed; allowed: fcn, psp, deeplab'],
    ["lr_scheduler", "Step", 'lr_scheduler: "Step" is not allowed; allowed: poly, cosine, step (did you mean "step"?)'],
    ["lr_scheduler", true, "lr_scheduler: true is not allowed; allowed: poly, cosine, step"],
  ])("%s: %j is refused", (name, value, message) => {
    expect(errorMessages(resolveWith(name, value))).toEqual([message]);
  });

  test("adadelta is refused with the reason (the tuning page lists it, the hyperparameter page does not)", () => {
    expect(errorMessages(resolveWith("optimizer", "adadelta"))).toEqual([
      'optimizer: "adadelta" is not allowed; allowed: adam, adagrad, nag, rmsprop, sgd (the tuning page lists adadelta, but the hyperparameter page, which is the contract, does not)',
    ]);
  });
});

describe("booleans", () => {
  const NAMES = ["use_pretrained_model", "early_stopping", "syncbn"] as const;
  test.each(
    NAMES.flatMap(
      (name) =>
        [
          [name, true, "True"],
          [name, "True", "True"],
          [name, false, "False"],
          [name, "False", "False"],
        ] as const,
    ),
  )("%s: %j is sent as %s", (name, value, expected) => {
    expect(sent(resolveWith(name, value))[name]).toBe(expected);
  });

  test.each([
    ["syncbn", "true", ' (did you mean "True"?)'],
    ["syncbn", "FALSE", ' (did you mean "False"?)'],
    ["early_stopping", "false", ' (did you mean "False"?)'],
    ["use_pretrained_model", "yes", ""],
    ["use_pretrained_model", 1, ""],
    ["use_pretrained_model", 0, ""],
  ])("%s: %j is refused%s", (name, value, hint) => {
    const shown = typeof value === "string" ? `"${value}"` : String(value);
    expect(errorMessages(resolveWith(name, value))).toEqual([
      `${name}: ${shown} is not allowed; allowed: True, False, as YAML booleans or those words${hint}`,
    ]);
  });
});

describe("lr_scheduler_step", () => {
  test.each([
    ["10, 20", "10,20"],
    ["10,20", "10,20"],
    [" 5 ,10 , 15 ", "5,10,15"],
    ["7", "7"],
    [7, "7"],
    ["010, 20", "10,20"],
  ])("%j is sent as %s", (value, expected) => {
    expect(sent(resolveWith("lr_scheduler_step", value, { epochs: 100 })).lr_scheduler_step).toBe(expected);
  });

  const ALLOWED = 'comma-separated positive integer epochs in increasing order, e.g. "10, 20"';
  test.each([
    ["20, 10", "10 does not come after 20"],
    ["10, 10", "10 does not come after 10"],
    ["0", '"0" is not a positive integer'],
    ["-5", '"-5" is not a positive integer'],
    ["10.5", '"10.5" is not a positive integer'],
    ["10, x", '"x" is not a positive integer'],
    ["10,,20", "an empty entry"],
    ["", "an empty entry"],
    ["10 20", '"10 20" is not a positive integer'],
  ])("%j is refused: %s", (value, why) => {
    expect(errorMessages(resolveWith("lr_scheduler_step", value))).toEqual([
      `lr_scheduler_step: ${JSON.stringify(value)} is not allowed (${why}); allowed: ${ALLOWED}`,
    ]);
  });

  test.each([
    [10.5, '"10.5" is not a positive integer'],
    [0, '"0" is not a positive integer'],
  ])("the number %j is refused: %s", (value, why) => {
    expect(errorMessages(resolveWith("lr_scheduler_step", value))).toEqual([
      `lr_scheduler_step: "${value}" is not allowed (${why}); allowed: ${ALLOWED}`,
    ]);
  });

  test.each([true, null])("%j is not a list of epochs", (value) => {
    expect(errorMessages(resolveWith("lr_scheduler_step", value))).toEqual([
      `lr_scheduler_step: ${String(value)} is not a list of epochs; allowed: ${ALLOWED}`,
    ]);
  });

  test("is required when lr_scheduler is step", () => {
    expect(errorMessages(resolveHyperparameters({ ...REQUIRED, lr_scheduler: "step" }))).toEqual([
      `lr_scheduler_step is required when lr_scheduler is step; allowed: ${ALLOWED}`,
    ]);
  });

  test.each([
    [10, "5, 9", []],
    [10, "5, 10", ["lr_scheduler_step: the decay after epoch 10 never happens, because training runs 10 epochs"]],
    [20, "5, 20, 30", ["lr_scheduler_step: the decay after epochs 20, 30 never happens, because training runs 20 epochs"]],
    [undefined, "12", ["lr_scheduler_step: the decay after epoch 12 never happens, because training runs 10 epochs"]],
  ])("with epochs %s, steps %j warn: %j", (epochs, steps, warnings) => {
    const resolution = resolveWith("lr_scheduler_step", steps, { epochs });
    expect(sent(resolution).lr_scheduler_step).toBeDefined();
    expect(warningMessages(resolution)).toEqual(warnings);
  });

  test("a value sent may have 256 characters, not 257 (CreateTrainingJob.HyperParameters)", () => {
    const range = (from: number, to: number): string => Array.from({ length: to - from + 1 }, (_, i) => from + i).join(",");
    const longest = range(97, 161); // 3 two-digit and 62 three-digit epochs: 9 + 248 - 1 characters
    const tooLong = range(98, 162);
    expect([longest.length, tooLong.length]).toEqual([256, 257]);
    expect(sent(resolveWith("lr_scheduler_step", longest, { epochs: 1000 })).lr_scheduler_step).toBe(longest);
    expect(errorMessages(resolveWith("lr_scheduler_step", tooLong, { epochs: 1000 }))).toEqual([
      'lr_scheduler_step: "98,99,100,101,102,103,104,105,106,107..." is 257 characters when sent; SageMaker accepts at most 256 per hyperparameter value (CreateTrainingJob.HyperParameters)',
    ]);
  });
});

describe("validation_mini_batch_size", () => {
  test("1 is accepted with a warning: whole-image validation is slow", () => {
    const resolution = resolveWith("validation_mini_batch_size", 1);
    expect(sent(resolution).validation_mini_batch_size).toBe("1");
    expect(warningMessages(resolution)).toEqual([
      "validation_mini_batch_size: 1 scores whole uncropped images with a new network per image, which slows validation and training",
    ]);
  });

  test("2 is accepted without one", () => {
    expect(warningMessages(resolveWith("validation_mini_batch_size", 2))).toEqual([]);
  });
});
