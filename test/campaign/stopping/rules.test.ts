import { describe, expect, it } from "vitest";
import { ashaRule } from "../../../src/campaign/stopping/asha.js";
import { medianRule } from "../../../src/campaign/stopping/median.js";
import { quantile } from "../../../src/campaign/stopping/rule.js";

const METRIC = "validation:mIOU";

describe("quantile", () => {
  it.each([
    [[3], 0.9, 3],
    [[1, 2], 0.5, 1.5],
    [[1, 2, 3, 4], 0.5, 2.5],
    [[1, 2, 3], 2 / 3, 7 / 3],
    [[0, 10], 1, 10],
  ])("of %j at %d is %d", (sorted, q, expected) => {
    expect(quantile(sorted, q)).toBeCloseTo(expected, 12);
  });
  it("of nothing is NaN", () => {
    expect(quantile([], 0.5)).toBeNaN();
  });
});

describe("ASHA", () => {
  const rule = ashaRule({ minEpochs: 3, reductionFactor: 3, metric: METRIC });

  it("judges at the rungs min_epochs · η^k only", () => {
    const judged = Array.from({ length: 90 }, (_, i) => i + 1).filter((epoch) => rule.judgesAt(epoch));
    expect(judged).toEqual([3, 9, 27, 81]);
    expect(ashaRule({ minEpochs: 1, reductionFactor: 2, metric: METRIC }).judgesAt(1)).toBe(true);
    expect(rule.mark([0.1, 0.2, 0.35])).toBe(0.35);
  });

  // value at the rung, the values of the jobs that reached it before (sorted), continue?
  const cases: [string, number, number[], boolean][] = [
    ["the first job at a rung always goes on", 0.1, [], true],
    ["of two, the better goes on", 0.5, [0.4], true],
    ["of two, the worse stops", 0.4, [0.5], false],
    ["of three, only the best goes on", 0.5, [0.4, 0.6], false],
    ["of three, the best goes on", 0.7, [0.4, 0.6], true],
    ["a tie with the best goes on", 0.6, [0.4, 0.6], true],
    ["of five, only the best goes on (⌊5/3⌋ = 1)", 0.6, [0.3, 0.4, 0.5, 0.7], false],
    ["of six, the best two go on", 0.6, [0.3, 0.4, 0.5, 0.55, 0.7], true],
    ["of six, the third best stops", 0.55, [0.3, 0.4, 0.5, 0.6, 0.7], false],
    ["of nine, the third best goes on", 0.6, [0.1, 0.2, 0.3, 0.4, 0.5, 0.55, 0.7, 0.8], true],
  ];
  it.each(cases)("%s", (_name, value, peers, goesOn) => {
    const verdict = rule.judge({ epoch: 3, values: [0, 0, value], peers });
    expect(verdict.stop).toBe(!goesOn);
  });

  it("says why, with the value, the cutoff and how many jobs reached the rung", () => {
    const verdict = ashaRule({ minEpochs: 2, reductionFactor: 2, metric: METRIC }).judge({ epoch: 2, values: [0.2, 0.3], peers: [0.5] });
    expect(verdict).toEqual({
      stop: true,
      reason:
        "ASHA: validation:mIOU 0.3000 after epoch 2 is outside the top 1/2 of the 2 jobs that reached epoch 2 (the best 1 reached 0.5000)",
    });
  });
});

describe("the median rule", () => {
  const rule = medianRule({ minEpochs: 3, metric: METRIC });

  it("judges every epoch from min_epochs, and marks the running average", () => {
    expect([1, 2, 3, 4, 30].map((e) => rule.judgesAt(e))).toEqual([false, false, true, true, true]);
    expect(rule.mark([0.2, 0.4, 0.6])).toBeCloseTo(0.4, 12);
  });

  // the job's values so far, the running averages of the jobs before it (sorted), continue?
  const cases: [string, number[], number[], boolean][] = [
    ["with no job before it, it goes on", [0.1, 0.1, 0.1], [], true],
    ["its best, not its last, is compared", [0.1, 0.5, 0.2], [0.3, 0.4, 0.45], true],
    ["below the median of the running averages, it stops", [0.1, 0.2, 0.25], [0.2, 0.3, 0.4], false],
    ["at the median, it goes on", [0.1, 0.2, 0.3], [0.2, 0.3, 0.4], true],
    ["an even count compares with the mean of the middle two", [0.1, 0.2, 0.34], [0.2, 0.3, 0.4, 0.5], false],
    ["an even count, just above the middle", [0.1, 0.2, 0.36], [0.2, 0.3, 0.4, 0.5], true],
  ];
  it.each(cases)("%s", (_name, values, peers, goesOn) => {
    expect(rule.judge({ epoch: values.length, values, peers }).stop).toBe(!goesOn);
  });

  it("says why", () => {
    expect(rule.judge({ epoch: 3, values: [0.1, 0.2, 0.25], peers: [0.2, 0.3, 0.4] })).toEqual({
      stop: true,
      reason:
        "median rule: best validation:mIOU 0.2500 by epoch 3 is below the median 0.3000 of the running averages of the 3 jobs that reached epoch 3 before it",
    });
  });
});
