import { describe, expect, it } from "vitest";
import { campaignPolicy, creepUp, nextAttempt, pastFailureLimit, quotaWaitMs, stepDown } from "../../src/campaign/policy.js";

const policy = campaignPolicy({ maxConcurrency: 6, maxFailures: 2, pollIntervalMs: 30_000 });

describe("the campaign's policy", () => {
  it("is data: retries, failure budget, launch rate, quota waits and creep-up follow from what a launch is told", () => {
    expect(policy).toEqual({
      maxConcurrency: 6,
      maxRetries: 2,
      retryCauses: ["capacity", "internal"],
      maxFailures: 2,
      launchRate: { perSecond: 2, burst: 5 },
      quotaWait: { baseMs: 120_000, capMs: 1_200_000 },
      creepUpAfterMs: 300_000,
    });
  });

  it.each([
    // state, cause, attempt -> next attempt
    ["failed", "capacity", 0, 1],
    ["failed", "capacity", 1, 2],
    ["failed", "capacity", 2, undefined],
    ["failed", "internal", 0, 1],
    ["failed", "algorithm", 0, undefined],
    ["stopped", "stopped", 0, undefined],
    ["terminated", undefined, 0, undefined],
    ["completed", undefined, 0, undefined],
    ["failed", undefined, 0, undefined],
  ] as const)("gives a %s job (%s, attempt %i) the next attempt %s", (state, cause, attempt, expected) => {
    expect(nextAttempt(policy, { state, attempt, ...(cause !== undefined ? { cause } : {}) })).toBe(expected);
  });

  it.each([
    [0, false],
    [2, false],
    [3, true],
  ])("with max_failures 2, %i failed points stop the launching: %s", (failed, stops) => {
    expect(pastFailureLimit(policy, failed)).toBe(stops);
  });

  it.each([
    // current concurrency, jobs holding an instance -> after ResourceLimitExceeded
    [6, 3, 3],
    [6, 0, 1],
    [3, 5, 3],
    [1, 0, 1],
  ])("steps concurrency %i down to %i running jobs: %i", (current, holding, expected) => {
    expect(stepDown(current, holding)).toBe(expected);
  });

  it.each([
    // current, ms since the last ResourceLimitExceeded -> after a job ended
    [3, 299_999, 3],
    [3, 300_000, 4],
    [6, 10_000_000, 6],
    [5, Number.POSITIVE_INFINITY, 6],
  ])("creeps concurrency %i up after %i ms of quiet: %i", (current, quietMs, expected) => {
    expect(creepUp(policy, current, quietMs)).toBe(expected);
  });

  it("waits longer for the quota round after round, never past the cap, with jitter in the upper half", () => {
    const low = [0, 1, 2, 5, 10].map((round) => quotaWaitMs(policy, round, () => 0));
    const high = [0, 1, 2, 5, 10].map((round) => quotaWaitMs(policy, round, () => 0.999_999));
    expect(low).toEqual([60_000, 120_000, 240_000, 600_000, 600_000]);
    expect(high.every((ms, i) => ms >= (low[i] ?? 0) && ms < 2 * (low[i] ?? 0))).toBe(true);
  });
});
