import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RunningJob } from "../../../src/campaign/observer.js";
import { type CampaignJob, createEarlyTermination } from "../../../src/campaign/stopping/early-termination.js";
import type { EarlyTermination } from "../../../src/sweep/early-termination.js";
import { curve, fakeSource } from "./fake-source.js";

const MIN = 60_000;
const signal = new AbortController().signal;
const ASHA: EarlyTermination = { rule: "asha", minEpochs: 3, reductionFactor: 3 };

/**
 * Four 10-epoch jobs created a minute apart, an epoch every 5 minutes. ASHA (rungs 3 and 9):
 * at epoch 3, a (0.5) goes on, b (0.3) and c (0.45) stop, d (0.6) goes on; at epoch 9, a (0.7)
 * arrives first and d (0.65) stops. b and c ended once stopped; e was stopped by a user at epoch 2.
 */
const CURVES = new Map(
  [
    curve("a", 0, 5 * MIN, [0.2, 0.4, 0.5, 0.55, 0.6, 0.62, 0.65, 0.68, 0.7, 0.71]),
    curve("b", 1 * MIN, 5 * MIN, [0.1, 0.2, 0.3]),
    curve("c", 2 * MIN, 5 * MIN, [0.2, 0.3, 0.45, 0.5]),
    curve("d", 3 * MIN, 5 * MIN, [0.3, 0.5, 0.6, 0.62, 0.63, 0.64, 0.64, 0.65, 0.65]),
    curve("e", 0, 5 * MIN, [0.1, 0.1]),
  ].map((c) => [c.name, c]),
);
const JOBS: CampaignJob[] = [
  { name: "a", plannedName: "a", createdAt: 0 },
  { name: "b", plannedName: "b", createdAt: 1 * MIN, endedAt: 21 * MIN },
  { name: "c", plannedName: "c", createdAt: 2 * MIN, endedAt: 26 * MIN },
  { name: "d", plannedName: "d", createdAt: 3 * MIN },
  { name: "e", plannedName: "e", createdAt: 0, endedAt: 12 * MIN },
];
const running = (...names: string[]): RunningJob[] => names.map((name) => ({ name, plannedName: name, attempt: 0 }));

function setup(now: { value: number }, config: EarlyTermination = ASHA, curves = CURVES, jobs = JOBS) {
  const source = fakeSource(curves);
  const observer = createEarlyTermination({
    config,
    objective: "validation:mIOU",
    source,
    epochsOf: () => 10,
    campaignJobs: async () => jobs.filter((job) => job.createdAt <= now.value),
    clock: { now: () => now.value },
  });
  return { observer, source };
}

describe("the early-termination observer", () => {
  it("stops what the rule says once the epoch's minute has settled, each job once", async () => {
    const now = { value: 19 * MIN };
    const { observer } = setup(now);
    expect(observer.intervalMs).toBe(MIN);
    // b reported epoch 3 at 16 min; its minute ends at 17 and settles 3 minutes later.
    expect(await observer.observe(running("a", "b", "c", "d"), signal)).toEqual([]);
    now.value = 20 * MIN;
    const first = await observer.observe(running("a", "b", "c", "d"), signal);
    expect(first.map((d) => d.name)).toEqual(["b"]);
    expect(first[0]?.reason).toMatch(
      /^ASHA: validation:mIOU 0\.3000 after epoch 3 is outside the top 1\/3 of the 2 jobs that reached epoch 3/,
    );
    expect(await observer.observe(running("a", "b", "c", "d"), signal)).toEqual([]);
    now.value = 25 * MIN;
    expect((await observer.observe(running("a", "c", "d"), signal)).map((d) => d.name)).toEqual(["c"]);
    now.value = 52 * MIN;
    expect((await observer.observe(running("a", "d"), signal)).map((d) => d.name)).toEqual(["d"]);
    expect(observer.curves().get("a")?.epochs).toHaveLength(9);
  });

  it("after a restart, makes the same decisions and explains the stops from the metrics alone", async () => {
    const now = { value: 52 * MIN };
    const before = setup(now).observer;
    const decided = new Map<string, string>();
    for (const t of [20, 25, 52]) {
      now.value = t * MIN;
      for (const d of await before.observe(running("a", "b", "c", "d"), signal)) decided.set(d.name, d.reason);
    }
    // A new launcher; d was decided but not yet stopped when the old one died.
    now.value = 60 * MIN;
    const after = setup(now).observer;
    const again = await after.observe(running("a", "d"), signal);
    expect(again).toEqual([{ name: "d", reason: decided.get("d") }]);
    expect(await after.explainStop("b", signal)).toEqual({ name: "b", reason: decided.get("b") });
    expect(await after.explainStop("c", signal)).toEqual({ name: "c", reason: decided.get("c") });
    // e was stopped before the first rung: not the rule's doing.
    expect(await after.explainStop("e", signal)).toBeUndefined();
    const fresh = setup(now).observer;
    expect(await fresh.explainStop("b", signal)).toEqual({ name: "b", reason: decided.get("b") });
  });

  it("reads the curve of an ended job until it has settled, then never again", async () => {
    const now = { value: 20 * MIN };
    const { observer: o, source } = setup(now);
    await o.observe(running("a", "b", "c", "d"), signal);
    expect(source.asked.at(-1)).toContain("b");
    now.value = 30 * MIN;
    await o.observe(running("a", "d"), signal);
    expect(source.asked.at(-1)).toContain("c");
    now.value = 31 * MIN;
    await o.observe(running("a", "d"), signal);
    expect(source.asked.at(-1)).toEqual(["a", "d"]);
  });

  it("applies the median rule the same way", async () => {
    const now = { value: 60 * MIN };
    const { observer: o } = setup(now, { rule: "median", minEpochs: 3 });
    // Epoch 3: a (best 0.5) has no job before it; b's best 0.3 is below a's running average 0.3667;
    // c's best 0.45 beats the median of a's and b's (0.2833). Later on, every best beats a's average.
    const decisions = await o.observe(running("a", "b", "c", "d"), signal);
    expect(decisions.map((d) => d.name)).toEqual(["b"]);
    expect(decisions[0]?.reason).toMatch(/^median rule: best validation:mIOU 0\.3000 by epoch 3 is below the median 0\.3667/);
  });

  it("includes a running job the listing does not show yet", async () => {
    const now = { value: 20 * MIN };
    const { observer: o, source } = setup(now, ASHA, CURVES, []);
    const decisions = await o.observe([{ name: "a", plannedName: "a", attempt: 0, createdAt: 0 }, ...running("b")], signal);
    expect(source.asked[0]).toEqual(["a", "b"]);
    expect(decisions.map((d) => d.name)).toEqual(["b"]);
  });

  it("decides the same whatever the tick schedule (property)", async () => {
    const curves = fc.array(fc.array(fc.float({ min: 0, max: 1, noNaN: true }), { minLength: 10, maxLength: 10 }), {
      minLength: 2,
      maxLength: 10,
    });
    await fc.assert(
      fc.asyncProperty(curves, fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), async (values, stepA, stepB) => {
        const map = new Map(values.map((v, i) => [`j${i}`, curve(`j${i}`, i * 30_000, 4 * MIN, v)]));
        const jobs = values.map((_, i) => ({ name: `j${i}`, plannedName: `j${i}`, createdAt: i * 30_000 }));
        const run = async (step: number) => {
          const now = { value: 0 };
          const { observer: o } = setup(now, ASHA, map, jobs);
          const decisions = new Map<string, string>();
          for (let t = 0; t <= 60; t += step) {
            now.value = t * MIN;
            for (const d of await o.observe(running(...jobs.map((j) => j.name)), signal)) decisions.set(d.name, d.reason);
          }
          return Object.fromEntries([...decisions].sort());
        };
        expect(await run(stepA)).toEqual(await run(stepB));
      }),
      { numRuns: 60 },
    );
  });
});
