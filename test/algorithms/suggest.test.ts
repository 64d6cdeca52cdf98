import { describe, expect, test } from "vitest";
import { HYPERPARAMETER_NAMES } from "../../src/algorithms/semantic-segmentation/index.js";
import { didYouMean, editDistance, normalizeForSuggestion } from "../../src/util/suggest.js";

const OPTIMIZERS = ["adam", "adagrad", "nag", "rmsprop", "sgd"];

describe("didYouMean", () => {
  test.each([
    ["Adam", OPTIMIZERS, "adam"],
    ["SGD", OPTIMIZERS, "sgd"],
    ["sdg", OPTIMIZERS, "sgd"],
    ["rms_prop", OPTIMIZERS, "rmsprop"],
    ["resnet50", ["resnet-50", "resnet-101"], "resnet-50"],
    ["ResNet-101", ["resnet-50", "resnet-101"], "resnet-101"],
    ["true", ["True", "False"], "True"],
    ["FALSE", ["True", "False"], "False"],
    ["learning_rte", HYPERPARAMETER_NAMES, "learning_rate"],
    ["optimzer", HYPERPARAMETER_NAMES, "optimizer"],
    ["lr_schedular", HYPERPARAMETER_NAMES, "lr_scheduler"],
    ["momentun", HYPERPARAMETER_NAMES, "momentum"],
    ["num_class", HYPERPARAMETER_NAMES, "num_classes"],
    ["batch_size", HYPERPARAMETER_NAMES, "mini_batch_size"],
    ["crop-size", HYPERPARAMETER_NAMES, "crop_size"],
  ])("%s -> %s", (given, candidates, expected) => {
    expect(didYouMean(given, candidates)).toBe(expected);
  });

  test.each([
    ["lbfgs", OPTIMIZERS],
    ["adadelta", OPTIMIZERS],
    ["yes", ["True", "False"]],
    ["image_shape", HYPERPARAMETER_NAMES],
    ["dropout", HYPERPARAMETER_NAMES],
    ["lr", HYPERPARAMETER_NAMES],
    ["", OPTIMIZERS],
    ["--", OPTIMIZERS],
  ])("%j gets no suggestion", (given, candidates) => {
    expect(didYouMean(given, candidates)).toBeUndefined();
  });

  test("a tie goes to the earlier candidate", () => {
    expect(didYouMean("cat", ["bat", "hat"])).toBe("bat");
    expect(didYouMean("cat", ["hat", "bat"])).toBe("hat");
  });

  test("no candidates, no suggestion", () => {
    expect(didYouMean("adam", [])).toBeUndefined();
  });
});

describe("editDistance (optimal string alignment)", () => {
  test.each([
    ["", "", 0],
    ["abc", "", 3],
    ["", "abc", 3],
    ["abc", "abc", 0],
    ["abc", "acb", 1],
    ["kitten", "sitting", 3],
    ["sgd", "sdg", 1],
    ["ca", "abc", 3],
  ])("%j to %j is %i", (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });

  test("stops early past a cap, returning cap + 1", () => {
    expect(editDistance("kitten", "sitting", 1)).toBe(2);
    expect(editDistance("a", "abcdef", 2)).toBe(3);
    expect(editDistance("kitten", "sitting", 3)).toBe(3);
  });
});

test("normalisation drops case and punctuation only", () => {
  expect(normalizeForSuggestion("ResNet-101")).toBe("resnet101");
  expect(normalizeForSuggestion("learning_rate")).toBe("learningrate");
  expect(normalizeForSuggestion(" True ")).toBe("true");
});
