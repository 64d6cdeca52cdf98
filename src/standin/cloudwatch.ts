import { z } from "zod";
import type { JobStore } from "./jobs.js";
import { AwsError, epochSeconds, timestampMs } from "./protocol.js";
import { metricValues, reportedEpochs, TRAINING_DIMENSION, TRAINING_NAMESPACE } from "./telemetry.js";

/**
 * CloudWatch's GetMetricData over the training jobs' metrics (docs/sources.md#training-metrics):
 * namespace `/aws/sagemaker/TrainingJobs`, dimension `TrainingJobName`, one sample per metric per
 * epoch at the moment the epoch ended, aggregated per period (at least a minute: standard
 * resolution) with the requested statistic. Up to 500 MetricStat queries a call and 100,800
 * datapoints a page (NextToken beyond), newest first unless ScanBy says otherwise; a metric nobody
 * published returns no datapoints, as in CloudWatch. Metric math and Metrics Insights are refused.
 */

/** Queries per call and datapoints per page (GetMetricData docs, docs/sources.md#training-metrics). */
export const MAX_QUERIES = 500;
export const MAX_DATAPOINTS = 100_800;
const STATISTICS = ["Average", "Sum", "Minimum", "Maximum", "SampleCount"] as const;

const Query = z.looseObject({
  Id: z.string(),
  Label: z.string().optional(),
  Expression: z.string().optional(),
  MetricStat: z
    .looseObject({
      Metric: z.looseObject({
        Namespace: z.string().optional(),
        MetricName: z.string().optional(),
        Dimensions: z.array(z.object({ Name: z.string(), Value: z.string() })).optional(),
      }),
      Period: z.number(),
      Stat: z.string(),
    })
    .optional(),
});
type Query = z.infer<typeof Query>;

const Input = z.looseObject({
  MetricDataQueries: z.array(Query),
  StartTime: z.unknown(),
  EndTime: z.unknown(),
  NextToken: z.string().optional(),
  ScanBy: z.enum(["TimestampDescending", "TimestampAscending"]).optional(),
  MaxDatapoints: z.number().optional(),
});

function invalid(message: string): AwsError {
  return new AwsError("InvalidParameterValueException", message, 400, "InvalidParameterValue;Sender");
}

function checkQueries(queries: readonly Query[]): void {
  if (queries.length === 0 || queries.length > MAX_QUERIES)
    throw invalid(`The collection MetricDataQueries must hold between 1 and ${MAX_QUERIES} items; it holds ${queries.length}.`);
  const seen = new Set<string>();
  queries.forEach((query, index) => {
    const at = `MetricDataQueries.member.${index + 1}`;
    if (!/^[a-z][a-zA-Z0-9_]*$/.test(query.Id))
      throw invalid(
        `The value ${query.Id} for parameter ${at}.Id is not valid: it must start with a lowercase letter and hold only letters, digits and _.`,
      );
    if (seen.has(query.Id)) throw invalid(`The values for parameter id in MetricDataQueries are not unique: ${query.Id}.`);
    seen.add(query.Id);
    if (query.Expression !== undefined) throw invalid(`${at}: the stand-in serves MetricStat queries only, not expressions.`);
    const stat = query.MetricStat;
    if (stat === undefined) throw invalid(`${at}: either MetricStat or Expression must be given.`);
    if (stat.Period < 60 || stat.Period % 60 !== 0)
      throw invalid(`${at}.MetricStat.Period: training metrics have standard resolution: a multiple of 60 seconds; got ${stat.Period}.`);
    if (!(STATISTICS as readonly string[]).includes(stat.Stat))
      throw invalid(`${at}.MetricStat.Stat: the stand-in computes ${STATISTICS.join(", ")}; got ${stat.Stat}.`);
  });
}

/** The samples (clock ms, value) of one training-job metric, or none when the query names another metric. */
function samples(store: JobStore, query: Query, now: number, delaySeconds: number): { at: number; value: number }[] {
  const metric = query.MetricStat?.Metric;
  const dimensions = metric?.Dimensions ?? [];
  const dimension = dimensions[0];
  if (metric?.Namespace !== TRAINING_NAMESPACE || dimensions.length !== 1 || dimension?.Name !== TRAINING_DIMENSION) return [];
  const job = store.jobs.get(dimension.Value.toLowerCase());
  // Dimension values are case-sensitive; job names are unique ignoring case.
  if (job === undefined || job.name !== dimension.Value || metric.MetricName === undefined) return [];
  const name = metric.MetricName;
  return reportedEpochs(store, job, now, delaySeconds).flatMap(({ point, atMs }) => {
    const value = metricValues(point)[name];
    return value === undefined ? [] : [{ at: atMs, value }];
  });
}

function aggregate(stat: string, values: readonly number[]): number {
  if (stat === "SampleCount") return values.length;
  const sum = values.reduce((total, value) => total + value, 0);
  if (stat === "Sum") return sum;
  if (stat === "Minimum") return Math.min(...values);
  if (stat === "Maximum") return Math.max(...values);
  return sum / values.length;
}

/** One query's datapoints: samples in [start, end) bucketed by period (aligned to the epoch), oldest first. */
function datapoints(query: Query, found: readonly { at: number; value: number }[], start: number, end: number): [number, number][] {
  const periodMs = (query.MetricStat?.Period ?? 60) * 1000;
  const buckets = new Map<number, number[]>();
  for (const { at, value } of found) {
    if (at < start || at >= end) continue;
    const bucket = Math.floor(at / periodMs) * periodMs;
    const list = buckets.get(bucket) ?? [];
    list.push(value);
    buckets.set(bucket, list);
  }
  return [...buckets]
    .sort((a, b) => a[0] - b[0])
    .map(([bucket, values]): [number, number] => [bucket, aggregate(query.MetricStat?.Stat ?? "Average", values)]);
}

/** GetMetricData's answer at `now`; `delaySeconds` is how long after an epoch its datapoint becomes visible. */
export function getMetricData(store: JobStore, raw: Record<string, unknown>, now: number, delaySeconds: number): Record<string, unknown> {
  const input = Input.parse(raw);
  checkQueries(input.MetricDataQueries);
  const startRaw = timestampMs(input.StartTime);
  const end = timestampMs(input.EndTime);
  if (startRaw === undefined || end === undefined || startRaw >= end)
    throw invalid("The parameter StartTime must be less than the parameter EndTime.");
  // CloudWatch rounds the start down to the whole minute.
  const start = Math.floor(startRaw / 60_000) * 60_000;
  const descending = (input.ScanBy ?? "TimestampDescending") === "TimestampDescending";
  const series = input.MetricDataQueries.map((query) => {
    const points = datapoints(query, samples(store, query, now, delaySeconds), start, end);
    return { query, points: descending ? points.reverse() : points };
  });
  return page(series, input.NextToken, input.MaxDatapoints ?? MAX_DATAPOINTS);
}

/** One page of the flattened datapoints from the cursor on; every query appears, PartialData where its data goes on. */
function page(
  series: readonly { query: Query; points: readonly [number, number][] }[],
  token: string | undefined,
  maxDatapoints: number,
): Record<string, unknown> {
  const offset = token === undefined ? 0 : Number.parseInt(token.replace(/^cw-/, ""), 10);
  const total = series.reduce((sum, s) => sum + s.points.length, 0);
  if (token !== undefined && (!/^cw-\d+$/.test(token) || offset > total))
    throw new AwsError("InvalidNextToken", "The service couldn't process the NextToken.", 400, "InvalidNextToken;Sender");
  const limit = Math.max(1, maxDatapoints);
  let skipped = 0;
  let taken = 0;
  const results = series.map(({ query, points }) => {
    const from = Math.min(points.length, Math.max(0, offset - skipped));
    const count = Math.max(0, Math.min(points.length - from, limit - taken));
    skipped += points.length;
    taken += count;
    const slice = points.slice(from, from + count);
    return {
      Id: query.Id,
      Label: query.Label ?? query.MetricStat?.Metric.MetricName ?? query.Id,
      Timestamps: slice.map(([at]) => epochSeconds(at)),
      Values: slice.map(([, value]) => value),
      StatusCode: from + count < points.length ? "PartialData" : "Complete",
    };
  });
  const next = offset + taken;
  return { MetricDataResults: results, Messages: [], ...(next < total ? { NextToken: `cw-${next}` } : {}) };
}
