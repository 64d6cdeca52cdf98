import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ashaRule } from "../../../src/campaign/stopping/asha.js";
import { medianRule } from "../../../src/campaign/stopping/median.js";
import { Replay, type ReplayJob, replayStops } from "../../../src/campaign/stopping/replay.js";

const METRIC = "validation:mIOU";
const MIN = 60_000;
const asha = ashaRule({ minEpochs: 1, reductionFactor: 2, metric: METRIC });
const median = medianRule({ minEpochs: 2, metric: METRIC });

/** A job whose epoch k (1-based) is reported at start + k minutes. */
function job(name: string, start: number, values: number[], totalEpochs = 10): ReplayJob {
  return { name, totalEpochs, epochs: values.map((value, i) => ({ at: start + (i + 1) * MIN, value })) };
}

describe("replaying curves through a rule", () => {
  it("judges each job against the jobs that reached the epoch before it, in report order", () => {
    // ASHA η=2, rungs 1, 2, 4, 8. Epoch 1: a first (goes on), b worse (stops), c better (goes on).
    // Epoch 2: a, then c (better): both go on. Epoch 4: a first (goes on), then c, worse, stops.
    const jobs = [job("a", 0, [0.5, 0.6, 0.62, 0.63]), job("b", 30_000, [0.3, 0.4]), job("c", 2 * MIN, [0.7, 0.75, 0.6, 0.5])];
    const stops = replayStops(asha, jobs, 100 * MIN);
    expect([...stops.values()].map((s) => [s.name, s.epoch])).toEqual([
      ["b", 1],
      ["c", 4],
    ]);
    expect(stops.get("c")?.reason).toMatch(/^ASHA: validation:mIOU 0\.5000 after epoch 4 is outside the top 1\/2 of the 2 jobs/);
  });

  it("never judges a job after its last epoch, and ignores what a stopped job reported later", () => {
    const shortJob = job("short", 0, [0.1], 1);
    expect(replayStops(asha, [job("first", -MIN, [0.9], 5), shortJob], 100 * MIN).has("short")).toBe(false);
    // b is stopped at epoch 1; its later epochs (which it reported before the stop landed) are no one's peers.
    const withTail = [job("a", 0, [0.5]), job("b", 1000, [0.3, 0.99, 0.99]), job("c", 2 * MIN, [0.6, 0.1])];
    const stops = replayStops(asha, withTail, 100 * MIN);
    expect(stops.get("c")).toBeUndefined();
    expect(stops.get("b")?.epoch).toBe(1);
  });

  it("plays only epochs reported before the horizon, and refuses data that arrived late", () => {
    const replay = new Replay(asha);
    const early = [job("a", 0, [0.5]), job("b", 10 * MIN, [0.3])];
    expect(replay.advance(early, 5 * MIN)).toBe(true);
    expect(replay.stops.size).toBe(0);
    expect(replay.advance(early, 20 * MIN)).toBe(true);
    expect([...replay.stops.keys()]).toEqual(["b"]);
    const late = [...early, job("c", 0, [0.1])];
    expect(replay.advance(late, 30 * MIN)).toBe(false);
    expect(replayStops(asha, late, 30 * MIN).has("c")).toBe(true);
  });
});

/** Random campaigns: jobs starting at random minutes, values in [0, 1], some sharing a report time. */
const campaign = fc
  .array(
    fc.record({
      start: fc.integer({ min: 0, max: 30 }),
      total: fc.integer({ min: 2, max: 12 }),
      values: fc.array(fc.float({ min: 0, max: 1, noNaN: true }), { minLength: 0, maxLength: 12 }),
    }),
    { minLength: 1, maxLength: 14 },
  )
  .map((specs) =>
    specs.map((spec, i) => job(`job-${String(i).padStart(2, "0")}`, spec.start * MIN, spec.values.slice(0, spec.total), spec.total)),
  );

const asPlain = (stops: ReadonlyMap<string, unknown>) => Object.fromEntries([...stops].sort(([a], [b]) => (a < b ? -1 : 1)));

describe("decisions are a function of the metrics", () => {
  for (const [name, rule] of [
    ["ASHA", asha],
    ["the median rule", median],
  ] as const) {
    it(`${name}: the same curves give the same stops, in any order of arrival`, () => {
      fc.assert(
        fc.property(campaign, fc.func(fc.integer()), (jobs, key) => {
          const shuffled = [...jobs].sort((a, b) => key(a.name) - key(b.name));
          expect(asPlain(replayStops(rule, shuffled, 100 * MIN))).toEqual(asPlain(replayStops(rule, jobs, 100 * MIN)));
        }),
        { numRuns: 200 },
      );
    });

    it(`${name}: observing tick by tick, seeing only what was reported by each tick, gives the stops of one replay at the end`, () => {
      fc.assert(
        fc.property(campaign, fc.uniqueArray(fc.integer({ min: 1, max: 50 }), { maxLength: 10 }), (jobs, ticks) => {
          const replay = new Replay(rule);
          for (const tick of [...ticks].sort((a, b) => a - b)) {
            const horizon = tick * MIN;
            const visible = jobs.map((j) => ({ ...j, epochs: j.epochs.filter((e) => e.at < horizon) }));
            expect(replay.advance(visible, horizon)).toBe(true);
          }
          replay.advance(jobs, 100 * MIN);
          expect(asPlain(replay.stops)).toEqual(asPlain(replayStops(rule, jobs, 100 * MIN)));
        }),
        { numRuns: 200 },
      );
    });

    it(`${name}: what a job reports after its stop changes no decision`, () => {
      fc.assert(
        fc.property(campaign, fc.array(fc.float({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 5 }), (jobs, tail) => {
          const stops = replayStops(rule, jobs, 1000 * MIN);
          const extended = jobs.map((j) => {
            const stop = stops.get(j.name);
            if (stop === undefined) return j;
            const kept = j.epochs.slice(0, stop.epoch);
            const last = kept.at(-1)?.at ?? 0;
            return { ...j, epochs: [...kept, ...tail.map((value, i) => ({ at: last + (i + 1) * 1000, value }))] };
          });
          expect(asPlain(replayStops(rule, extended, 1000 * MIN))).toEqual(asPlain(stops));
        }),
        { numRuns: 200 },
      );
    });
  }
});
