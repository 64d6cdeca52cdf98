import type { JobRecord, JobStore } from "./jobs.js";
import { AwsError, epochSeconds } from "./protocol.js";
import { describeJob } from "./render.js";
import { statusOf, type TuningRecord, type TuningStore } from "./tuning.js";

/**
 * Tuning jobs as the API shows them at one instant (wire form): DescribeHyperParameterTuningJob
 * and ListTrainingJobsForHyperParameterTuningJob, whose training-job summaries are read off the
 * same DescribeTrainingJob answer the stand-in gives for each job.
 */

/** What the summaries need from the stand-in. */
export interface TuningView {
  readonly store: JobStore;
  readonly tunings: TuningStore;
  readonly echoed: readonly string[];
  /** SageMaker seconds per clock millisecond × 1000 (the stand-in's time scale). */
  readonly timeScale: number;
}

const RETRYABLE = /^\s*(CapacityError|InternalServerError|InternalFailure)\b/;

/** A HyperParameterTrainingJobSummary of one launched job at `now`. */
export function trainingJobSummary(view: TuningView, tuning: TuningRecord, job: JobRecord, now: number): Record<string, unknown> {
  const described = describeJob(view.store, view.echoed, job, now);
  const objective = tuning.fields.HyperParameterTuningJobConfig.HyperParameterTuningJobObjective;
  const metrics = (described.FinalMetricDataList as { MetricName: string; Value: number }[] | undefined) ?? [];
  const value = metrics.find((m) => m.MetricName === objective?.MetricName)?.Value;
  const status = String(described.TrainingJobStatus);
  const tuned = Object.fromEntries(tuning.ranges.map((r) => [r.name, job.hyperParameters[r.name] ?? ""]));
  return {
    TrainingJobName: job.name,
    TrainingJobArn: job.arn,
    TuningJobName: tuning.name,
    CreationTime: described.CreationTime,
    ...(described.TrainingStartTime !== undefined ? { TrainingStartTime: described.TrainingStartTime } : {}),
    ...(described.TrainingEndTime !== undefined ? { TrainingEndTime: described.TrainingEndTime } : {}),
    TrainingJobStatus: status,
    TunedHyperParameters: tuned,
    ...(described.FailureReason !== undefined ? { FailureReason: described.FailureReason } : {}),
    ...(objective !== undefined && value !== undefined
      ? { FinalHyperParameterTuningJobObjectiveMetric: { Type: objective.Type, MetricName: objective.MetricName, Value: value } }
      : {}),
    ObjectiveStatus: value !== undefined ? "Succeeded" : status === "InProgress" || status === "Stopping" ? "Pending" : "Failed",
  };
}

function counters(summaries: readonly Record<string, unknown>[]) {
  const training = { Completed: 0, InProgress: 0, RetryableError: 0, NonRetryableError: 0, Stopped: 0 };
  const objective = { Succeeded: 0, Pending: 0, Failed: 0 };
  for (const s of summaries) {
    const status = String(s.TrainingJobStatus);
    if (status === "Completed") training.Completed++;
    else if (status === "Stopped") training.Stopped++;
    else if (status === "Failed") training[RETRYABLE.test(String(s.FailureReason ?? "")) ? "RetryableError" : "NonRetryableError"]++;
    else training.InProgress++;
    objective[s.ObjectiveStatus as keyof typeof objective]++;
  }
  return { training, objective };
}

/** The completed job with the best objective value (Maximize or Minimize), if any. */
function best(tuning: TuningRecord, summaries: readonly Record<string, unknown>[]): Record<string, unknown> | undefined {
  const sign = tuning.fields.HyperParameterTuningJobConfig.HyperParameterTuningJobObjective?.Type === "Minimize" ? -1 : 1;
  const objectiveOf = (s: Record<string, unknown>) =>
    (s.FinalHyperParameterTuningJobObjectiveMetric as { Value: number } | undefined)?.Value;
  let found: Record<string, unknown> | undefined;
  for (const s of summaries) {
    const value = objectiveOf(s);
    if (value !== undefined && (found === undefined || sign * value > sign * (objectiveOf(found) ?? 0))) found = s;
  }
  return found;
}

/** DescribeHyperParameterTuningJob's answer at `now`. */
export function describeTuningJob(view: TuningView, tuning: TuningRecord, now: number): Record<string, unknown> {
  const state = statusOf(tuning, now, view.store, view.tunings.endMs);
  const summaries = tuning.jobs.filter((job) => job.createdAt <= now).map((job) => trainingJobSummary(view, tuning, job, now));
  const { training, objective } = counters(summaries);
  const top = best(tuning, summaries);
  const until = state.endedAt ?? now;
  const echo = (member: string) => (tuning.request[member] !== undefined ? { [member]: tuning.request[member] } : {});
  const lastChange = Math.max(
    tuning.createdAt,
    tuning.stoppedAt ?? 0,
    ...tuning.jobs.map((job) => Math.min(now, job.createdAt)),
    state.endedAt ?? 0,
  );
  return {
    HyperParameterTuningJobName: tuning.name,
    HyperParameterTuningJobArn: tuning.arn,
    ...echo("HyperParameterTuningJobConfig"),
    ...echo("TrainingJobDefinition"),
    ...echo("WarmStartConfig"),
    ...echo("Autotune"),
    HyperParameterTuningJobStatus: state.status,
    CreationTime: epochSeconds(tuning.createdAt),
    ...(state.endedAt !== undefined ? { HyperParameterTuningEndTime: epochSeconds(state.endedAt) } : {}),
    LastModifiedTime: epochSeconds(lastChange),
    TrainingJobStatusCounters: training,
    ObjectiveStatusCounters: objective,
    ...(top !== undefined ? { BestTrainingJob: top } : {}),
    ...(state.failureReason !== undefined ? { FailureReason: state.failureReason } : {}),
    ConsumedResources: { RuntimeInSeconds: Math.round(((until - tuning.createdAt) * view.timeScale) / 1000) },
  };
}

interface Cursor {
  readonly offset: number;
  readonly sortBy: string;
  readonly order: string;
  readonly status: string;
}

function decode(token: string, expected: Omit<Cursor, "offset">): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as Partial<Cursor>;
    const same = parsed.sortBy === expected.sortBy && parsed.order === expected.order && parsed.status === expected.status;
    if (same && typeof parsed.offset === "number" && Number.isInteger(parsed.offset) && parsed.offset >= 0) return parsed.offset;
  } catch {
    // falls through to the error below
  }
  throw new AwsError(
    "ValidationException",
    "Invalid pagination token: it was not returned by this operation with the same SortBy, SortOrder and StatusEquals.",
  );
}

/** ListTrainingJobsForHyperParameterTuningJob at `now`: SortBy Name (default), CreationTime, Status, FinalObjectiveMetricValue; MaxResults default 10. */
export function listTuningTrainingJobs(view: TuningView, input: Record<string, unknown>, now: number): Record<string, unknown> {
  const tuning = view.tunings.lookup(String(input.HyperParameterTuningJobName));
  const sortBy = typeof input.SortBy === "string" ? input.SortBy : "Name";
  const order = typeof input.SortOrder === "string" ? input.SortOrder : "Ascending";
  const status = typeof input.StatusEquals === "string" ? input.StatusEquals : "";
  const max = typeof input.MaxResults === "number" ? input.MaxResults : 10;
  const metric = (s: Record<string, unknown>) => (s.FinalHyperParameterTuningJobObjectiveMetric as { Value: number } | undefined)?.Value;
  let rows = tuning.jobs.filter((job) => job.createdAt <= now).map((job) => trainingJobSummary(view, tuning, job, now));
  if (status !== "") rows = rows.filter((s) => s.TrainingJobStatus === status);
  // "any training jobs that did not return an objective metric are not listed" when sorting by it (API model).
  if (sortBy === "FinalObjectiveMetricValue") rows = rows.filter((s) => metric(s) !== undefined);
  const key = (s: Record<string, unknown>): string | number =>
    sortBy === "CreationTime"
      ? Number(s.CreationTime)
      : sortBy === "Status"
        ? String(s.TrainingJobStatus)
        : sortBy === "FinalObjectiveMetricValue"
          ? (metric(s) ?? 0)
          : String(s.TrainingJobName).toLowerCase();
  const direction = order === "Descending" ? -1 : 1;
  rows.sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    const byKey = x < y ? -1 : x > y ? 1 : 0;
    return direction * (byKey !== 0 ? byKey : String(a.TrainingJobName) < String(b.TrainingJobName) ? -1 : 1);
  });
  const token = typeof input.NextToken === "string" && input.NextToken !== "" ? input.NextToken : undefined;
  const offset = token === undefined ? 0 : decode(token, { sortBy, order, status });
  const page = rows.slice(offset, offset + max);
  const next =
    offset + max < rows.length
      ? Buffer.from(JSON.stringify({ offset: offset + max, sortBy, order, status })).toString("base64url")
      : undefined;
  return { TrainingJobSummaries: page, ...(next !== undefined ? { NextToken: next } : {}) };
}
