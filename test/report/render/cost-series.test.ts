import { describe, expect, it } from "vitest";
import { costOverTime, resample } from "../../../src/report/render/html/cost-series.js";
import type { JobTiming } from "../../../src/report/types.js";

const T = Date.UTC(2026, 0, 5, 10, 0, 0);
const iso = (minutes: number) => new Date(T + minutes * 60_000).toISOString();

function job(
  name: string,
  from: number,
  to: number | null,
  costUsd: number | null,
  billableSeconds = to === null ? null : (to - from) * 60,
): JobTiming {
  return {
    job: name,
    plannedJob: name,
    state: to === null ? "in-progress" : "completed",
    createdAt: iso(from - 1),
    startedAt: iso(from),
    endedAt: to === null ? null : iso(to),
    billableSeconds,
    costUsd,
  };
}

describe("costOverTime", () => {
  it("accrues each job's cost evenly from its start to its end and ends at the total", () => {
    // a: $6 over minutes 0-60; b: $3 over minutes 30-60.
    const series = costOverTime([job("a", 0, 60, 6), job("b", 30, 60, 3)]);
    expect(series.unit).toBe("usd");
    expect(series.startMs).toBe(T);
    expect(series.seconds).toEqual([0, 1800, 3600]);
    expect(series.values[0]).toBe(0);
    expect(series.values[1]).toBeCloseTo(3, 10);
    expect(series.values[2]).toBeCloseTo(9, 10);
  });

  it("leaves running jobs out and counts them, and says nothing is billed when nothing has ended", () => {
    expect(costOverTime([job("a", 0, 60, 6), job("r", 10, null, null)])).toMatchObject({ running: 1, values: [0, 6] });
    expect(costOverTime([job("r", 10, null, null)])).toEqual({ startMs: null, seconds: [], values: [], unit: "usd", running: 1 });
  });

  it("draws billable hours instead of dollars when a billed job has no price: unknown is never $0", () => {
    const series = costOverTime([job("a", 0, 60, 6), job("g5", 0, 120, null)]);
    expect(series.unit).toBe("hours");
    expect(series.values.at(-1)).toBeCloseTo(3, 10);
  });

  it("ignores ended jobs with no billable time (failed before training) and keeps a zero-length job as a step", () => {
    const series = costOverTime([job("a", 0, 60, 6), job("f", 10, 10, null, 0), job("z", 30, 30, 1, 60)]);
    expect(series.unit).toBe("usd");
    expect(series.seconds).toEqual([0, 1800, 3600]);
    expect(series.values[1]).toBeCloseTo(4, 10);
    expect(series.values[2]).toBeCloseTo(7, 10);
  });

  it("samples a long campaign at evenly spaced times, exact there, first and last kept", () => {
    const jobs = Array.from({ length: 3000 }, (_, i) => job(`j${i}`, i, i + 90, 1));
    const series = costOverTime(jobs, 100);
    expect(series.seconds).toHaveLength(100);
    expect(series.seconds[0]).toBe(0);
    expect(series.seconds.at(-1)).toBe((2999 + 90) * 60);
    expect(series.values.at(-1)).toBeCloseTo(3000, 6);
    // Exact at a sampled time: by minute m, job i has run min(90, max(0, m - i)) of its 90 minutes.
    const k = 40;
    const minute = series.seconds[k]! / 60;
    let expected = 0;
    for (let i = 0; i < 3000; i++) expected += Math.min(90, Math.max(0, minute - i)) / 90;
    expect(series.values[k]).toBeCloseTo(expected, 6);
  });
});

describe("resample", () => {
  it("interpolates up to just before a lump and includes the lump from its time on", () => {
    const points = [
      { t: 0, before: 0, total: 0 },
      { t: 10, before: 10, total: 15 },
      { t: 20, before: 25, total: 25 },
    ];
    expect(resample(points, 5).map((point) => point.total)).toEqual([0, 5, 15, 20, 25]);
  });
});
