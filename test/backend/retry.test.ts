import { describe, expect, it } from "vitest";
import { backoffMs, createRetrier } from "../../src/backend/retry.js";
import { BackendError, type RetryNotice } from "../../src/backend/types.js";
import { createFakeClock } from "../kit/clock.js";

const throttled = () => Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });

describe("retry in one place", () => {
  it("retries throttled calls with growing, jittered waits on its clock, tells listeners, and counts every call", async () => {
    const clock = createFakeClock();
    const retrier = createRetrier({ clock, policy: { maxAttempts: 5, baseMs: 100, capMs: 1000 }, random: () => 0.5 });
    const notices: RetryNotice[] = [];
    retrier.onRetry((notice) => notices.push(notice));
    let calls = 0;
    const answer = await retrier.run("ListTrainingJobs", async () => {
      if (++calls < 4) throw throttled();
      return "page";
    });
    expect(answer).toBe("page");
    expect(retrier.calls).toEqual({ ListTrainingJobs: 4 });
    expect(clock.sleeps).toEqual([75, 150, 300]);
    expect(notices.map(({ retry, waitMs, code }) => [retry, waitMs, code])).toEqual([
      [1, 75, "ThrottlingException"],
      [2, 150, "ThrottlingException"],
      [3, 300, "ThrottlingException"],
    ]);
  });

  it("gives up after its attempts with the classified error, and never retries what retrying cannot fix", async () => {
    const clock = createFakeClock();
    const retrier = createRetrier({ clock, policy: { maxAttempts: 3, baseMs: 100, capMs: 1000 } });
    const stillThrottled = await retrier.run("CreateTrainingJob", async () => Promise.reject(throttled())).catch((e: unknown) => e);
    expect(stillThrottled).toMatchObject({ kind: "throttled", code: "ThrottlingException" });
    const invalid = Object.assign(new Error("bad"), { name: "ValidationException" });
    const refused = await retrier.run("CreateTrainingJob", async () => Promise.reject(invalid)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BackendError);
    expect(retrier.calls).toEqual({ CreateTrainingJob: 4 });
  });

  it("stops waiting at once when its signal aborts", async () => {
    const clock = createFakeClock();
    const retrier = createRetrier({ clock, policy: { maxAttempts: 10, baseMs: 60_000, capMs: 60_000 } });
    const controller = new AbortController();
    const run = retrier.run("DescribeTrainingJob", async () => Promise.reject(throttled()), controller.signal);
    controller.abort(new Error("Ctrl-C"));
    await expect(run).rejects.toBeDefined();
    expect(retrier.calls.DescribeTrainingJob).toBe(1);
  });

  it("backs off with equal jitter under a cap", () => {
    expect([0, 1, 2, 3, 20].map((attempt) => backoffMs(attempt, { baseMs: 500, capMs: 20_000 }, () => 0))).toEqual([
      250, 500, 1000, 2000, 10_000,
    ]);
    expect(backoffMs(3, { baseMs: 500, capMs: 20_000 }, () => 0.999)).toBeLessThan(4000);
  });
});
