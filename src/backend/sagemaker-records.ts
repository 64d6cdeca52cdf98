import type { DescribeTrainingJobResponse, Tag, TrainingJob, TrainingJobSummary } from "@aws-sdk/client-sagemaker";
import type { JobDetails, JobSnapshot, TrainingJobStatus } from "./types.js";

/**
 * SageMaker's answers as the backend's records: a ListTrainingJobs summary as a JobSnapshot, a
 * DescribeTrainingJob answer or a Search result as JobDetails. Times, billable seconds and
 * metrics may be absent (API model; docs/sources.md#describe-list-search).
 */

/** Only the defined values, so optional fields stay absent rather than undefined. */
function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** A ListTrainingJobs summary as a snapshot. */
export function toJobSnapshot(summary: TrainingJobSummary): JobSnapshot {
  return {
    name: summary.TrainingJobName ?? "",
    status: (summary.TrainingJobStatus ?? "InProgress") as TrainingJobStatus,
    createdAt: summary.CreationTime?.getTime() ?? 0,
    ...optional("endedAt", summary.TrainingEndTime?.getTime()),
    ...optional("lastModifiedAt", summary.LastModifiedTime?.getTime()),
    ...optional("secondaryStatus", summary.SecondaryStatus),
  };
}

function tagMap(tags: readonly Tag[] | undefined): Record<string, string> | undefined {
  if (tags === undefined) return undefined;
  const map: Record<string, string> = {};
  for (const tag of tags) if (tag.Key !== undefined) map[tag.Key] = tag.Value ?? "";
  return map;
}

/** DescribeTrainingJob's answer (or a Search result's TrainingJob) as JobDetails. */
export function toJobDetails(output: DescribeTrainingJobResponse | TrainingJob): JobDetails {
  const metrics: Record<string, number> = {};
  for (const metric of output.FinalMetricDataList ?? []) {
    if (metric.MetricName !== undefined && metric.Value !== undefined) metrics[metric.MetricName] = metric.Value;
  }
  return {
    name: output.TrainingJobName ?? "",
    status: (output.TrainingJobStatus ?? "InProgress") as TrainingJobStatus,
    createdAt: output.CreationTime?.getTime() ?? 0,
    metrics,
    hyperparameters: { ...(output.HyperParameters ?? {}) },
    ...optional("endedAt", output.TrainingEndTime?.getTime()),
    ...optional("lastModifiedAt", output.LastModifiedTime?.getTime()),
    ...optional("secondaryStatus", output.SecondaryStatus),
    ...optional("failureReason", output.FailureReason),
    ...optional("startedAt", output.TrainingStartTime?.getTime()),
    ...optional("billableSeconds", output.BillableTimeInSeconds),
    ...optional("trainingSeconds", output.TrainingTimeInSeconds),
    ...optional("instanceType", output.ResourceConfig?.InstanceType),
    ...optional("instanceCount", output.ResourceConfig?.InstanceCount),
    ...optional("spot", output.EnableManagedSpotTraining),
    ...optional("tags", "Tags" in output ? tagMap(output.Tags) : undefined),
  };
}
