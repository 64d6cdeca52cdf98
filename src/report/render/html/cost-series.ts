import type { JobTiming } from "../../types.js";

/** Cumulative spend of a campaign against wall-clock time, in dollars or, when a price is unknown, billable hours. */
export interface CostSeries {
  /** Epoch ms of the first point (the earliest start of a billed job); null when nothing is billed yet. */
  readonly startMs: number | null;
  /** Seconds since startMs, ascending. */
  readonly seconds: readonly number[];
  /** Spent by then, in `unit`. */
  readonly values: readonly number[];
  /** "usd" when every billed job has a price; else "hours" (billable instance-hours): unknown cost is never drawn as $0. */
  readonly unit: "usd" | "hours";
  /** Jobs still running: not billed yet, so not in the series. */
  readonly running: number;
}

interface Accrual {
  readonly from: number;
  readonly to: number;
  readonly amount: number;
}

/**
 * Cost over time from each ended job's training start and end and its billable time: a job's
 * billable time (and its cost) accrues evenly between its start and its end, so the curve bends
 * where jobs start and end and ends at the campaign's total. Running jobs are not billed yet
 * (their billable time is not known until they end) and are counted apart. With more than
 * `maxPoints` starts and ends, the curve is sampled at evenly spaced times (exact there: it is
 * piecewise linear between starts and ends), which a chart cannot tell apart. Pure.
 */
export function costOverTime(jobs: readonly JobTiming[], maxPoints = 1000): CostSeries {
  const billed = jobs.filter((job) => job.endedAt !== null && (job.billableSeconds ?? 0) > 0);
  const running = jobs.filter((job) => job.endedAt === null).length;
  const unit = billed.every((job) => job.costUsd !== null) ? "usd" : "hours";
  if (billed.length === 0) return { startMs: null, seconds: [], values: [], unit, running };
  const accruals = billed.map((job): Accrual => {
    const to = Date.parse(job.endedAt ?? job.createdAt);
    const from = Math.min(to, Date.parse(job.startedAt ?? job.createdAt));
    return { from, to, amount: unit === "usd" ? (job.costUsd ?? 0) : (job.billableSeconds ?? 0) / 3600 };
  });
  const exact = accumulate(accruals);
  const points = exact.length > maxPoints ? resample(exact, maxPoints) : exact;
  const startMs = points[0]?.t ?? 0;
  return { startMs, seconds: points.map((point) => (point.t - startMs) / 1000), values: points.map((point) => point.total), unit, running };
}

interface Point {
  readonly t: number;
  /** Spent by t, lumps at t excluded (the curve's value just before t). */
  readonly before: number;
  /** Spent by t. */
  readonly total: number;
}

/** Sweeps the starts and ends in time order, integrating the running rate between them. */
function accumulate(accruals: readonly Accrual[]): Point[] {
  // At each instant: the change of rate (amount per ms), and lumps (jobs with no duration).
  const events = new Map<number, { rate: number; lump: number }>();
  const at = (t: number) => {
    let event = events.get(t);
    if (event === undefined) events.set(t, (event = { rate: 0, lump: 0 }));
    return event;
  };
  for (const { from, to, amount } of accruals) {
    if (to === from) {
      at(to).lump += amount;
      continue;
    }
    at(from).rate += amount / (to - from);
    at(to).rate -= amount / (to - from);
  }
  const points: Point[] = [];
  let total = 0;
  let rate = 0;
  let previous: number | undefined;
  for (const t of [...events.keys()].sort((a, b) => a - b)) {
    const event = events.get(t) ?? { rate: 0, lump: 0 };
    const before = total + rate * (t - (previous ?? t));
    total = before + event.lump;
    rate += event.rate;
    previous = t;
    points.push({ t, before, total });
  }
  return points;
}

/** The piecewise-linear curve through `points` at `count` evenly spaced times, first and last included. */
export function resample(points: readonly Point[], count: number): Point[] {
  const first = points[0];
  const last = points.at(-1);
  if (first === undefined || last === undefined || count < 2) return [...points];
  const sampled: Point[] = [];
  let k = 0;
  for (let s = 0; s < count; s++) {
    const t = s === count - 1 ? last.t : first.t + ((last.t - first.t) * s) / (count - 1);
    while (k < points.length - 2 && (points[k + 1]?.t ?? 0) <= t) k++;
    const a = points[k] ?? first;
    const b = points[k + 1] ?? a;
    // Linear from a (after its lump) to just before b (before b's lump).
    const total = t >= b.t || b.t === a.t ? b.total : a.total + ((b.before - a.total) * (t - a.t)) / (b.t - a.t);
    sampled.push({ t, before: total, total });
  }
  return sampled;
}
