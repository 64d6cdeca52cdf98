import type { Clock } from "../backend/clock.js";
import { curveFromSeries, type JobSeries, QUERIES_PER_CALL } from "../backend/cloudwatch-metrics.js";
import type { JobCurve, MetricSource } from "../backend/metric-source.js";
import { type LearningCurve, learningCurve } from "./curves.js";
import type { FakeJob } from "./in-memory-jobs.js";
import { trainingPhase } from "./lifecycle.js";
import { metricValues } from "./telemetry.js";

/**
 * CloudWatch's view of the in-memory SageMaker's jobs (in-memory.ts), for simulations in one
 * process (the early-termination benchmark, the launcher's tests): each job trains the stand-in's
 * learning curve of its hyperparameters (curves.ts), its epochs ending evenly over the Training
 * phase of its natural run as in the HTTP stand-in (telemetry.ts), none after a stop; each epoch's
 * values show `delaySeconds` after it ends, bucketed in one-minute periods (Average and
 * SampleCount) as GetMetricData returns them, and read back with the CloudWatch source's own
 * numbering (cloudwatch-metrics.ts, curveFromSeries). Calls are counted as GetMetricData would be
 * batched: one per 125 jobs (four queries a job).
 */

export interface InMemoryMetricsOptions {
  readonly objective: string;
  readonly clock: Pick<Clock, "now">;
  /** Seconds from an epoch's end to its datapoint in GetMetricData (default 60). */
  readonly delaySeconds?: number;
}

const MINUTE = 60_000;
const METRICS_PER_JOB = 4;

/** The epochs a job has finished by `until` (clock ms) and when, as the HTTP stand-in places them. */
export function finishedEpochs(job: FakeJob, curve: LearningCurve, until: number): { at: number; values: Record<string, number> }[] {
  const natural = (job.endsAt - job.createdAt) / 1000;
  const { start, length } = trainingPhase(natural);
  const cutoff = Math.min(job.endsAt, job.stoppedAt ?? Number.POSITIVE_INFINITY);
  const count = curve.epochs.length;
  const out: { at: number; values: Record<string, number> }[] = [];
  for (const [index, point] of curve.epochs.entries()) {
    const at = job.createdAt + Math.round(1000 * (start + (length * (index + 1)) / count));
    if (at > cutoff || at >= until) break;
    out.push({ at, values: { ...metricValues(point) } });
  }
  return out;
}

/** Buckets samples per one-minute period: [period start, aggregate], oldest first. */
function perMinute(samples: readonly { at: number; value: number }[], stat: "Average" | "SampleCount"): [number, number][] {
  const buckets = new Map<number, number[]>();
  for (const { at, value } of samples) {
    const bucket = Math.floor(at / MINUTE) * MINUTE;
    const list = buckets.get(bucket) ?? [];
    list.push(value);
    buckets.set(bucket, list);
  }
  return [...buckets]
    .sort((a, b) => a[0] - b[0])
    .map(([bucket, values]) => [bucket, stat === "SampleCount" ? values.length : values.reduce((s, v) => s + v, 0) / values.length]);
}

/** A MetricSource over `jobs` (the in-memory SageMaker's `jobs` map). */
export function inMemoryMetricSource(jobs: ReadonlyMap<string, FakeJob>, options: InMemoryMetricsOptions): MetricSource {
  const delayMs = (options.delaySeconds ?? 60) * 1000;
  const curves = new Map<string, LearningCurve>();
  const calls: Record<string, number> = {};
  const jobsPerCall = Math.floor(QUERIES_PER_CALL / METRICS_PER_JOB);

  function curveOf(name: string, until: number): JobCurve {
    const job = jobs.get(name);
    if (job === undefined) return { name, epochs: [] };
    let curve = curves.get(name);
    if (curve === undefined) {
      curve = learningCurve(job.details.hyperparameters);
      curves.set(name, curve);
    }
    // Visible once delayMs has passed, and only in periods before `until`.
    const visible = finishedEpochs(job, curve, Math.min(until, options.clock.now() - delayMs + 1));
    const series = (metric: string) =>
      visible.flatMap(({ at, values }) => (values[metric] === undefined ? [] : [{ at, value: values[metric] }]));
    const others: Record<string, [number, number][]> = {};
    for (const metric of ["validation:mIOU", "validation:pixel_accuracy", "train:loss"]) {
      if (metric !== options.objective) others[metric] = perMinute(series(metric), "Average");
    }
    const objective = series(options.objective);
    const read: JobSeries = { average: perMinute(objective, "Average"), count: perMinute(objective, "SampleCount"), others };
    return curveFromSeries(name, options.objective, read);
  }

  return {
    calls,
    async curves(requested, until) {
      if (requested.length > 0) calls.GetMetricData = (calls.GetMetricData ?? 0) + Math.ceil(requested.length / jobsPerCall);
      return new Map(requested.map((job) => [job.name, curveOf(job.name, until)]));
    },
  };
}
