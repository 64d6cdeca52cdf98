import { describe, expect, it } from "vitest";
import { makespanRatio, quantile, refillLatencies, slotUsage } from "../../bench/launch/metrics.js";

const s = (seconds: number): number => seconds * 1000;

describe("the launch benchmark's figures", () => {
  it("counts free slots only while points still wait, and refill latency per freed slot", () => {
    // Two slots, three jobs: the third starts 10 s after the first ends.
    const jobs = [
      { createdAt: s(0), endedAt: s(100) },
      { createdAt: s(0), endedAt: s(300) },
      { createdAt: s(110), endedAt: s(200) },
    ];
    expect(slotUsage(jobs, 2, 0)).toEqual({ busySeconds: 490, idleWhileWaitingSeconds: 10 });
    expect(refillLatencies(jobs, 2)).toEqual([s(10)]);
    expect(makespanRatio(jobs, 2, 0)).toEqual({ makespanSeconds: 300, lowerBoundSeconds: 300, ratio: 1 });
  });

  it("takes nearest-rank quantiles", () => {
    expect(quantile([5, 1, 3, 2, 4], 0.5)).toBe(3);
    expect(quantile([5, 1, 3, 2, 4], 0.99)).toBe(5);
  });
});
