import type { JobRecord, JobStore } from "./jobs.js";
import { isEnded, reachedBy } from "./lifecycle.js";
import type { ApiModel } from "./model.js";
import { epochSeconds } from "./protocol.js";
import { METRIC_DEFINITIONS } from "./telemetry.js";

/**
 * A job as the API shows it at one instant: DescribeTrainingJob's answer, ListTrainingJobs'
 * summary and Search's TrainingJob record, all in wire form (timestamps as epoch seconds).
 */

/** The request members DescribeTrainingJob gives back as they were sent (those in both shapes of the model). */
export function echoedMembers(model: ApiModel): readonly string[] {
  const sent = Object.keys(model.shapes.CreateTrainingJobRequest?.members ?? {});
  const described = new Set(Object.keys(model.shapes.DescribeTrainingJobResponse?.members ?? {}));
  return sent.filter((member) => described.has(member));
}

/** What a job looks like at `now`, in the store's terms. */
export interface JobView {
  readonly status: string;
  readonly secondary: string;
  readonly lastModifiedMs: number;
  readonly endedMs?: number;
}

/** The job's primary and secondary status, last change and end at `now`. */
export function viewAt(store: JobStore, job: JobRecord, now: number): JobView {
  const seen = reachedBy(job.timeline, store.secondsAt(job, now));
  const last = seen[seen.length - 1];
  const status = last?.status ?? "InProgress";
  return {
    status,
    secondary: last?.secondary ?? "Starting",
    lastModifiedMs: store.msAt(job, last?.at ?? 0),
    ...(isEnded(status) ? { endedMs: store.msAt(job, job.timeline.endAt) } : {}),
  };
}

/** DescribeTrainingJob's answer at `now`. */
export function describeJob(store: JobStore, echoed: readonly string[], job: JobRecord, now: number): Record<string, unknown> {
  const view = viewAt(store, job, now);
  const elapsed = store.secondsAt(job, now);
  const timeline = job.timeline;
  const out: Record<string, unknown> = {};
  for (const member of echoed) {
    if (job.request[member] !== undefined) out[member] = job.request[member];
  }
  // A built-in algorithm's job shows the metric definitions SageMaker applies to its log (docs/sources.md#training-metrics).
  const algorithm = job.request.AlgorithmSpecification;
  if (typeof algorithm === "object" && algorithm !== null && !("MetricDefinitions" in algorithm))
    out.AlgorithmSpecification = { ...algorithm, MetricDefinitions: METRIC_DEFINITIONS };
  const sentStopping = job.request.StoppingCondition;
  const stopping = typeof sentStopping === "object" && sentStopping !== null ? sentStopping : {};
  const started = timeline.trainingStartAt !== undefined && timeline.trainingStartAt <= elapsed + 1e-6;
  Object.assign(out, {
    TrainingJobName: job.name,
    TrainingJobArn: job.arn,
    TrainingJobStatus: view.status,
    SecondaryStatus: view.secondary,
    // MaxRuntimeInSeconds defaults to one day (API model); Describe always shows a StoppingCondition.
    StoppingCondition: { MaxRuntimeInSeconds: 86_400, ...stopping },
    EnableManagedSpotTraining: job.spot,
    CreationTime: epochSeconds(job.createdAt),
    LastModifiedTime: epochSeconds(view.lastModifiedMs),
    ModelArtifacts: view.status === "Completed" ? { S3ModelArtifacts: `${job.outputPath}/${job.name}/output/model.tar.gz` } : {},
    SecondaryStatusTransitions: transitionsUntil(store, job, elapsed),
  });
  if (job.tuningJobArn !== undefined) out.TuningJobArn = job.tuningJobArn;
  if (started && timeline.trainingStartAt !== undefined) out.TrainingStartTime = epochSeconds(store.msAt(job, timeline.trainingStartAt));
  if (view.endedMs !== undefined) {
    out.TrainingEndTime = epochSeconds(view.endedMs);
    if (timeline.trainingStartAt !== undefined) {
      const trainingSeconds = Math.max(1, Math.round(timeline.endAt - timeline.trainingStartAt));
      out.TrainingTimeInSeconds = trainingSeconds;
      // Managed spot bills less than the time trained (docs/sources.md#create-training-job, spot savings).
      out.BillableTimeInSeconds = Math.max(1, Math.round(trainingSeconds * (1 - job.spotSavings)));
    }
  }
  if (view.status === "Failed" && timeline.failureReason !== undefined) out.FailureReason = timeline.failureReason;
  if (view.status === "Completed") {
    // The curve was drawn at creation (jobs.ts): its last epoch is simulatedMetrics', without drawing it again per read.
    const last = job.curve.epochs.at(-1);
    const at = epochSeconds(view.endedMs ?? now);
    out.FinalMetricDataList = [
      { MetricName: "validation:mIOU", Value: last?.mIOU ?? 0, Timestamp: at },
      { MetricName: "validation:pixel_accuracy", Value: last?.pixelAccuracy ?? 0, Timestamp: at },
    ];
  }
  return out;
}

function transitionsUntil(store: JobStore, job: JobRecord, elapsed: number): Record<string, unknown>[] {
  const seen = reachedBy(job.timeline, elapsed);
  const out: Record<string, unknown>[] = [];
  seen.forEach((transition, index) => {
    // SecondaryStatusTransitions lists changes of the secondary status only.
    if (index > 0 && seen[index - 1]?.secondary === transition.secondary) return;
    const next = seen.slice(index + 1).find((t) => t.secondary !== transition.secondary);
    out.push({
      Status: transition.secondary,
      StartTime: epochSeconds(store.msAt(job, transition.at)),
      ...(next !== undefined ? { EndTime: epochSeconds(store.msAt(job, next.at)) } : {}),
      StatusMessage: transition.message,
    });
  });
  return out;
}

/** A TrainingJobSummary (ListTrainingJobs) at `now`. */
export function summarizeJob(store: JobStore, job: JobRecord, now: number): Record<string, unknown> {
  const view = viewAt(store, job, now);
  return {
    TrainingJobName: job.name,
    TrainingJobArn: job.arn,
    CreationTime: epochSeconds(job.createdAt),
    ...(view.endedMs !== undefined ? { TrainingEndTime: epochSeconds(view.endedMs) } : {}),
    LastModifiedTime: epochSeconds(view.lastModifiedMs),
    TrainingJobStatus: view.status,
    SecondaryStatus: view.secondary,
  };
}

/** The tags as the API lists them. */
export function tagList(job: JobRecord): { Key: string; Value: string }[] {
  return [...job.tags].map(([Key, Value]) => ({ Key, Value }));
}
