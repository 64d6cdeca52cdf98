import {
  CloudWatchClient,
  type CloudWatchClientConfig,
  GetMetricDataCommand,
  type GetMetricDataCommandOutput,
  type MetricDataQuery,
} from "@aws-sdk/client-cloudwatch";
import { type Clock, systemClock } from "./clock.js";
import type { EpochMetrics, JobCurve, MetricJob, MetricSource } from "./metric-source.js";
import { callWithRetry, type RetryPolicy } from "./retry.js";

/**
 * The MetricSource on CloudWatch metrics (docs/early-termination.md says why this source): SageMaker
 * parses a built-in algorithm's log with its MetricDefinitions and publishes each value to the
 * namespace `/aws/sagemaker/TrainingJobs` with the dimension `TrainingJobName`
 * (docs/sources.md#training-metrics). One GetMetricData call reads up to 500 metric queries: four
 * per job (the objective's Average and SampleCount, the two other metrics' Average), so 125 jobs a
 * call. CloudWatch keeps no epoch number: the k-th one-minute datapoint of the objective is its
 * k-th epoch, and SampleCount tells how many epochs ended within one minute.
 */

export const TRAINING_NAMESPACE = "/aws/sagemaker/TrainingJobs";
/** Metric queries per GetMetricData call (docs/sources.md#training-metrics). */
export const QUERIES_PER_CALL = 500;
/** The finest period of standard-resolution metrics (docs/sources.md#training-metrics). */
export const PERIOD_SECONDS = 60;
/** What the semantic segmentation algorithm reports per epoch besides the objective. */
const ALGORITHM_METRICS = ["validation:mIOU", "validation:pixel_accuracy", "train:loss"];

export interface CloudWatchMetricSourceOptions {
  readonly region: string;
  /** Overrides the endpoint (the stand-in's URL); otherwise the SDK's chain decides. */
  readonly endpoint?: string;
  readonly credentials?: CloudWatchClientConfig["credentials"];
  /** A ready client (tests). */
  readonly client?: CloudWatchClient;
  /** The metric whose datapoints number the epochs: the campaign's objective. */
  readonly objective: string;
  /** The other metrics read for each epoch (default: the algorithm's other two). */
  readonly others?: readonly string[];
  readonly clock?: Clock;
  readonly random?: () => number;
  /** Attempts per call for throttled and transient errors, first one included (default 8). */
  readonly maxAttempts?: number;
  readonly backoff?: { readonly baseMs: number; readonly capMs: number };
  /** GetMetricData's MaxDatapoints: datapoints per page before NextToken (default: the service's 100,800). */
  readonly maxDatapointsPerPage?: number;
}

/** One series as GetMetricData returns it, oldest first: [epoch ms, value]. */
export type Series = readonly (readonly [number, number])[];

/** The series a curve is built from: the objective's averages and sample counts, and the other metrics. */
export interface JobSeries {
  readonly average: Series;
  readonly count: Series;
  readonly others: Readonly<Record<string, Series>>;
}

/**
 * A job's curve from its series: epochs numbered by the objective's datapoints, a datapoint with
 * SampleCount n standing for n epochs (each given the average, marked inexact). Another metric's
 * value at an epoch is its latest datapoint after the previous epoch's and not after this one's.
 */
export function curveFromSeries(name: string, objective: string, series: JobSeries): JobCurve {
  const counts = new Map(series.count);
  const epochs: EpochMetrics[] = [];
  let previous = Number.NEGATIVE_INFINITY;
  for (const [at, value] of series.average) {
    const n = Math.max(1, Math.round(counts.get(at) ?? 1));
    const values: Record<string, number> = {};
    for (const [metric, points] of Object.entries(series.others)) {
      const found = points.filter(([t]) => t > previous && t <= at).at(-1);
      if (found !== undefined) values[metric] = found[1];
    }
    values[objective] = value;
    for (let k = 0; k < n; k++) epochs.push({ epoch: epochs.length + 1, at, values, exact: n === 1 });
    previous = at;
  }
  return { name, epochs };
}

/** Creates the CloudWatch metric source; `calls.GetMetricData` counts its calls. */
export function createCloudWatchMetricSource(options: CloudWatchMetricSourceOptions): MetricSource {
  const client =
    options.client ??
    new CloudWatchClient({
      region: options.region,
      ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
      ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
      // Retries happen below, on the injected clock, so they are counted and testable.
      maxAttempts: 1,
    });
  const policy: RetryPolicy = {
    clock: options.clock ?? systemClock,
    random: options.random ?? Math.random,
    maxAttempts: options.maxAttempts ?? 8,
    backoff: options.backoff ?? { baseMs: 500, capMs: 20_000 },
  };
  const objective = options.objective;
  const others = (options.others ?? ALGORITHM_METRICS).filter((metric) => metric !== objective);
  const calls: Record<string, number> = {};
  const jobsPerCall = Math.floor(QUERIES_PER_CALL / (2 + others.length));

  const read: Reader = {
    client,
    policy,
    calls,
    ...(options.maxDatapointsPerPage !== undefined ? { maxDatapoints: options.maxDatapointsPerPage } : {}),
  };

  return {
    calls,
    async curves(jobs, until, signal) {
      const out = new Map<string, JobCurve>();
      // Jobs created together share a call, so its time window stays short.
      const sorted = [...jobs].sort((a, b) => a.from - b.from || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (let first = 0; first < sorted.length; first += jobsPerCall) {
        const batch = sorted.slice(first, first + jobsPerCall);
        const start = Math.floor((batch[0]?.from ?? until) / 60_000) * 60_000;
        if (start >= until) {
          for (const job of batch) out.set(job.name, { name: job.name, epochs: [] });
          continue;
        }
        const queries = batch.flatMap((job: MetricJob, i) => [
          metricQuery(`j${i}avg`, job.name, objective, "Average"),
          metricQuery(`j${i}n`, job.name, objective, "SampleCount"),
          ...others.map((metric, k) => metricQuery(`j${i}m${k}`, job.name, metric, "Average")),
        ]);
        const series = await fetchSeries(read, queries, start, until, signal);
        batch.forEach((job, i) => {
          const curve = curveFromSeries(job.name, objective, {
            average: series.get(`j${i}avg`) ?? [],
            count: series.get(`j${i}n`) ?? [],
            others: Object.fromEntries(others.map((metric, k) => [metric, series.get(`j${i}m${k}`) ?? []])),
          });
          out.set(job.name, curve);
        });
      }
      return out;
    },
  };
}

/** One training-job metric, per minute, with one statistic. */
function metricQuery(id: string, job: string, metric: string, stat: string): MetricDataQuery {
  return {
    Id: id,
    ReturnData: true,
    MetricStat: {
      Metric: { Namespace: TRAINING_NAMESPACE, MetricName: metric, Dimensions: [{ Name: "TrainingJobName", Value: job }] },
      Period: PERIOD_SECONDS,
      Stat: stat,
    },
  };
}

/** What a GetMetricData request needs: the client, how to retry, where to count, the page size. */
interface Reader {
  readonly client: CloudWatchClient;
  readonly policy: RetryPolicy;
  readonly calls: Record<string, number>;
  readonly maxDatapoints?: number;
}

/** Every page of one GetMetricData request (following NextToken), merged by query id, oldest first. */
async function fetchSeries(
  read: Reader,
  queries: MetricDataQuery[],
  start: number,
  end: number,
  signal?: AbortSignal,
): Promise<Map<string, [number, number][]>> {
  const merged = new Map<string, [number, number][]>();
  let token: string | undefined;
  do {
    const input = {
      MetricDataQueries: queries,
      StartTime: new Date(start),
      EndTime: new Date(end),
      ScanBy: "TimestampAscending" as const,
      ...(read.maxDatapoints !== undefined ? { MaxDatapoints: read.maxDatapoints } : {}),
      ...(token !== undefined ? { NextToken: token } : {}),
    };
    const page: GetMetricDataCommandOutput = await callWithRetry(
      "GetMetricData",
      read.calls,
      read.policy,
      () => read.client.send(new GetMetricDataCommand(input), signal !== undefined ? { abortSignal: signal } : {}),
      signal,
    );
    for (const result of page.MetricDataResults ?? []) {
      const list = merged.get(result.Id ?? "") ?? [];
      (result.Timestamps ?? []).forEach((time, i) => {
        const value = result.Values?.[i];
        if (value !== undefined) list.push([time.getTime(), value]);
      });
      merged.set(result.Id ?? "", list);
    }
    token = page.NextToken;
  } while (token !== undefined && token !== "");
  return merged;
}
