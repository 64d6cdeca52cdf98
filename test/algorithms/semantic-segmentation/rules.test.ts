import { describe, expect, test } from "vitest";
import { resolveHyperparameters } from "../../../src/algorithms/semantic-segmentation/index.js";
import { errorMessages, REQUIRED, sent, warningMessages } from "./helpers.js";

describe("what is sent", () => {
  test("a minimal point gets every applicable parameter with the current page's defaults, in table order, as strings", () => {
    const resolution = resolveHyperparameters(REQUIRED);
    expect(resolution.warnings).toEqual([]);
    expect(Object.entries(sent(resolution))).toEqual([
      ["backbone", "resnet-50"],
      ["use_pretrained_model", "True"],
      ["algorithm", "fcn"],
      ["num_classes", "21"],
      ["num_training_samples", "1000"],
      ["base_size", "520"],
      ["crop_size", "240"],
      ["early_stopping", "False"],
      ["epochs", "10"],
      ["learning_rate", "0.001"],
      ["lr_scheduler", "poly"],
      ["mini_batch_size", "16"],
      ["momentum", "0.9"],
      ["optimizer", "sgd"],
      ["syncbn", "False"],
      ["validation_mini_batch_size", "16"],
      ["weight_decay", "0.0001"],
    ]);
  });

  test("with sgd, step and early stopping, all but rmsprop's gamma1/gamma2 are sent (22), each a string", () => {
    const hyperparameters = sent(
      resolveHyperparameters({
        ...REQUIRED,
        optimizer: "sgd",
        lr_scheduler: "step",
        lr_scheduler_step: "3, 6",
        early_stopping: "True",
        epochs: 8,
      }),
    );
    expect(Object.keys(hyperparameters)).toHaveLength(22);
    expect(hyperparameters).not.toHaveProperty("gamma1");
    expect(Object.values(hyperparameters).every((value) => typeof value === "string")).toBe(true);
    expect(hyperparameters).toMatchObject({
      lr_scheduler_factor: "0.1",
      lr_scheduler_step: "3,6",
      early_stopping_min_epochs: "5",
      early_stopping_patience: "4",
      early_stopping_tolerance: "0",
      momentum: "0.9",
      weight_decay: "0.0001",
    });
  });

  test("key order in the point does not change the map sent", () => {
    const a = resolveHyperparameters({ ...REQUIRED, optimizer: "adam", learning_rate: 0.01, crop_size: 256 });
    const b = resolveHyperparameters({ crop_size: 256, learning_rate: 0.01, optimizer: "adam", ...REQUIRED });
    expect(Object.entries(sent(a))).toEqual(Object.entries(sent(b)));
  });
});

/** Which parameters the algorithm reads under which settings. */
const APPLIES: ReadonlyArray<readonly [settings: Record<string, unknown>, sent: readonly string[], notSent: readonly string[]]> = [
  [{ optimizer: "sgd" }, ["momentum", "weight_decay"], ["gamma1", "gamma2"]],
  [{ optimizer: "rmsprop" }, ["gamma1", "gamma2"], ["momentum", "weight_decay"]],
  [{ optimizer: "adam" }, [], ["momentum", "weight_decay", "gamma1", "gamma2"]],
  [{ optimizer: "adagrad" }, [], ["momentum", "weight_decay", "gamma1", "gamma2"]],
  [{ optimizer: "nag" }, [], ["momentum", "weight_decay", "gamma1", "gamma2"]],
  [{ lr_scheduler: "step", lr_scheduler_step: "5" }, ["lr_scheduler_factor", "lr_scheduler_step"], []],
  [{ lr_scheduler: "poly" }, [], ["lr_scheduler_factor", "lr_scheduler_step"]],
  [{ lr_scheduler: "cosine" }, [], ["lr_scheduler_factor", "lr_scheduler_step"]],
  [{ early_stopping: true }, ["early_stopping_min_epochs", "early_stopping_patience", "early_stopping_tolerance"], []],
  [{ early_stopping: "False" }, [], ["early_stopping_min_epochs", "early_stopping_patience", "early_stopping_tolerance"]],
];

describe("parameters that apply only under other settings", () => {
  test.each(APPLIES)(
    "with %j: sent %j, not sent %j; defaults of ignored ones are not warned about",
    (settings, expectedSent, expectedNotSent) => {
      const resolution = resolveHyperparameters({ ...REQUIRED, epochs: 50, ...settings });
      const hyperparameters = sent(resolution);
      for (const name of expectedSent) expect(hyperparameters).toHaveProperty(name);
      for (const name of expectedNotSent) expect(hyperparameters).not.toHaveProperty(name);
      expect(resolution.warnings).toEqual([]);
    },
  );

  test.each([
    [
      "momentum",
      0.95,
      { optimizer: "adam" },
      "momentum is ignored when optimizer is adam; it applies only when optimizer is sgd, so it is not sent",
    ],
    [
      "weight_decay",
      0.001,
      { optimizer: "rmsprop" },
      "weight_decay is ignored when optimizer is rmsprop; it applies only when optimizer is sgd, so it is not sent",
    ],
    [
      "gamma1",
      0.5,
      { optimizer: "nag" },
      "gamma1 is ignored when optimizer is nag; it applies only when optimizer is rmsprop, so it is not sent",
    ],
    [
      "gamma2",
      0.5,
      {},
      "gamma2 is ignored when optimizer is sgd (the default); it applies only when optimizer is rmsprop, so it is not sent",
    ],
    [
      "lr_scheduler_factor",
      0.5,
      { lr_scheduler: "cosine" },
      "lr_scheduler_factor is ignored when lr_scheduler is cosine; it applies only when lr_scheduler is step, so it is not sent",
    ],
    [
      "lr_scheduler_step",
      "10, 20",
      {},
      "lr_scheduler_step is ignored when lr_scheduler is poly (the default); it applies only when lr_scheduler is step, so it is not sent",
    ],
    [
      "early_stopping_min_epochs",
      3,
      { early_stopping: false },
      "early_stopping_min_epochs is ignored when early_stopping is False; it applies only when early_stopping is True, so it is not sent",
    ],
    [
      "early_stopping_patience",
      2,
      {},
      "early_stopping_patience is ignored when early_stopping is False (the default); it applies only when early_stopping is True, so it is not sent",
    ],
    [
      "early_stopping_tolerance",
      0.01,
      { early_stopping: "False" },
      "early_stopping_tolerance is ignored when early_stopping is False; it applies only when early_stopping is True, so it is not sent",
    ],
  ])("%s: %j set with %j is warned about and left out", (name, value, settings, message) => {
    const resolution = resolveHyperparameters({ ...REQUIRED, ...settings, [name]: value });
    expect(sent(resolution)).not.toHaveProperty(name);
    expect(resolution.warnings).toEqual([{ key: name, value, message }]);
  });

  test.each([
    ["momentum", 2, { optimizer: "adam" }],
    ["gamma1", -1, {}],
    ["lr_scheduler_step", "20, 10", { lr_scheduler: "poly" }],
    ["early_stopping_patience", -1, {}],
  ])("an invalid %s (%j) is still an error when %j makes it ignored: a typo is a typo", (name, value, settings) => {
    expect(errorMessages(resolveHyperparameters({ ...REQUIRED, ...settings, [name]: value }))).toEqual([
      expect.stringMatching(new RegExp(`^${name}: `)),
    ]);
  });

  test("when the controlling parameter is itself invalid, only its error is reported", () => {
    const resolution = resolveHyperparameters({ ...REQUIRED, optimizer: "Adam", momentum: 0.95 });
    expect(errorMessages(resolution)).toEqual([expect.stringMatching(/^optimizer: "Adam"/)]);
    expect(resolution.warnings).toEqual([]);
  });
});

describe("early stopping that cannot stop anything", () => {
  test.each([
    [
      { early_stopping: true, epochs: 5 },
      ["early_stopping_min_epochs: 5 is not less than epochs (5), so early stopping can never end training early"],
    ],
    [
      { early_stopping: true, epochs: 20, early_stopping_min_epochs: 30 },
      ["early_stopping_min_epochs: 30 is not less than epochs (20), so early stopping can never end training early"],
    ],
    [{ early_stopping: true, epochs: 6 }, []],
    [{ early_stopping: false, epochs: 3 }, []],
  ])("%j warns %j", (settings, warnings) => {
    expect(warningMessages(resolveHyperparameters({ ...REQUIRED, ...settings }))).toEqual(warnings);
  });
});

describe("errors and warnings together", () => {
  test("every problem of a point is reported at once, not only the first", () => {
    const resolution = resolveHyperparameters({ num_classes: 300, optimizer: "Adam", learning_rate: 0, crop_size: 250, syncbn: "true" });
    expect(errorMessages(resolution)).toEqual([
      "num_classes: 300 is out of range; allowed: an integer with 2 ≤ n ≤ 254",
      "num_training_samples is required; allowed: an integer with n ≥ 1",
      "learning_rate: 0 is out of range; allowed: a number with 0 < x ≤ 1",
      'optimizer: "Adam" is not allowed; allowed: adam, adagrad, nag, rmsprop, sgd (did you mean "adam"?)',
      'syncbn: "true" is not allowed; allowed: True, False, as YAML booleans or those words (did you mean "True"?)',
    ]);
    expect(warningMessages(resolution)).toEqual(["crop_size: 250 is rounded up to 256 by the algorithm (a multiple of 8), so 256 is sent"]);
  });
});
