import { describe, expect, it } from "vitest";
import { createFakeClock } from "../kit/clock.js";
import { InMemorySageMaker } from "../kit/sagemaker.js";
import { launchAgainst, makePlan } from "./fixtures.js";

const HOUR = 3_600_000;

describe("an events queue that receives nothing (a misrouted rule)", () => {
  it("is said once, and the launcher follows by listing at the poll interval instead", async () => {
    const clock = createFakeClock();
    const backend = new InMemorySageMaker({ clock, durationMs: () => HOUR });
    const plan = makePlan({ jobs: 12, maxConcurrency: 2 });
    const silent = { receive: async () => [], calls: {}, waitsForEvents: false };
    const pollIntervalMs = 30_000;
    const start = clock.now();
    const { result, events } = await launchAgainst(backend, plan, clock, { events: silent, pollIntervalMs });
    expect(result.outcome).toBe("finished");
    const warnings = events.filter(({ event }) => event.type === "warning" && /events queue/.test(event.message));
    expect(warnings).toHaveLength(1);
    // 6 waves of 1 h: an end is seen within a few poll intervals, not the reconcile interval's 10 or more.
    expect(clock.now() - start).toBeLessThan(6 * HOUR + 6 * 4 * pollIntervalMs + 10 * pollIntervalMs);
  });
});
