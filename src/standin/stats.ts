import type { JobStore } from "./jobs.js";
import { isEnded } from "./lifecycle.js";

/** What the stand-in saw, for tests and the benchmark to check the launcher against. */
export interface StandinStats {
  /** Requests received per operation (SageMaker and SQS), throttled and invalid ones included. */
  readonly calls: Record<string, number>;
  /** Requests answered ThrottlingException (or SQS RequestThrottled). */
  readonly throttled: number;
  /** The most jobs InProgress or Stopping at any one instant so far. */
  readonly maxInProgress: number;
  /** Successful CreateTrainingJob calls per name: a launcher must never make one exceed 1. */
  readonly createsByName: Record<string, number>;
  readonly jobs: readonly StandinJobStats[];
}

/** One job, as of the stats() call. */
export interface StandinJobStats {
  readonly name: string;
  /** Clock milliseconds. */
  readonly createdAt: number;
  /** Clock milliseconds; present once the job is Completed, Failed or Stopped. */
  readonly endedAt?: number;
  readonly status: string;
  readonly instanceCount: number;
  /** SageMaker seconds from creation to the end (or to now, while it runs). */
  readonly sageMakerSeconds: number;
}

/**
 * The highest number of jobs in progress at one instant, from each job's interval
 * [createdAt, endedAt): state is lazy, so the count comes from the timelines, not from what
 * requests happened to observe. At equal times an end is counted before a start (a job that ends
 * at t is no longer in progress at t).
 */
export function maxInProgress(intervals: readonly { readonly start: number; readonly end: number }[]): number {
  const points: [number, number][] = [];
  for (const { start, end } of intervals) {
    points.push([start, 1], [end, -1]);
  }
  points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let current = 0;
  let best = 0;
  for (const [, delta] of points) {
    current += delta;
    best = Math.max(best, current);
  }
  return best;
}

/** The per-job part of the stats at `now`. */
export function jobStats(store: JobStore, now: number): { jobs: StandinJobStats[]; maxInProgress: number } {
  const jobs: StandinJobStats[] = [];
  const intervals: { start: number; end: number }[] = [];
  for (const job of store.jobs.values()) {
    const state = store.stateNow(job, now);
    const ended = isEnded(state.status);
    const endMs = store.msAt(job, job.timeline.endAt);
    // Only what has happened by now: a running job's interval is open.
    intervals.push({ start: job.createdAt, end: ended ? endMs : Number.POSITIVE_INFINITY });
    jobs.push({
      name: job.name,
      createdAt: job.createdAt,
      ...(ended ? { endedAt: endMs } : {}),
      status: state.status,
      instanceCount: job.instanceCount,
      sageMakerSeconds: ended ? job.timeline.endAt : Math.max(0, store.secondsAt(job, now)),
    });
  }
  return { jobs, maxInProgress: maxInProgress(intervals) };
}
