import type { CreateTrainingJobRequest } from "@aws-sdk/client-sagemaker";
import type { JobDetails, JobSnapshot } from "../backend/types.js";

/**
 * The in-memory SageMaker's jobs (in-memory.ts): what one is, and what it looks like at a moment,
 * as a pure function of the clock.
 */

/** How a created job ends when nobody stops it. */
export interface FakeOutcome {
  readonly status: "Completed" | "Failed";
  readonly failureReason?: string;
}

/** One job: a timeline for created jobs, or details as a test put them. */
export interface FakeJob {
  readonly name: string;
  readonly createdAt: number;
  /** When it ends by itself; Infinity for a job a test put. */
  readonly endsAt: number;
  readonly outcome: FakeOutcome;
  stoppedAt?: number;
  /** What a test put (status included), or what the create said (hyperparameters, tags). */
  details: JobDetails;
  readonly put: boolean;
}

/** The job a CreateTrainingJob request makes at `now`: what it sent, and its fate. */
export function createdJob(request: CreateTrainingJobRequest, now: number, durationMs: number, outcome: FakeOutcome): FakeJob {
  const name = request.TrainingJobName ?? "";
  return {
    name,
    createdAt: now,
    endsAt: now + durationMs,
    outcome,
    details: {
      name,
      status: "InProgress",
      createdAt: now,
      metrics: {},
      hyperparameters: { ...(request.HyperParameters ?? {}) },
      tags: Object.fromEntries((request.Tags ?? []).map((tag) => [tag.Key ?? "", tag.Value ?? ""])),
      instanceType: request.ResourceConfig?.InstanceType ?? "ml.p3.2xlarge",
      instanceCount: request.ResourceConfig?.InstanceCount ?? 1,
    },
    put: false,
  };
}

/** When a job ends: by itself, or `stopDelayMs` after a stop. */
export function endOf(job: FakeJob, stopDelayMs: number): number {
  return Math.min(job.endsAt, job.stoppedAt !== undefined ? job.stoppedAt + stopDelayMs : Number.POSITIVE_INFINITY);
}

/** A job as DescribeTrainingJob would tell it at `at`: Starting for its first quarter, then Training, then its end. */
export function jobAt(job: FakeJob, at: number, stopDelayMs: number): JobDetails {
  if (job.put) return job.details;
  const end = endOf(job, stopDelayMs);
  const stopped = job.stoppedAt !== undefined && job.stoppedAt < job.endsAt;
  const status =
    at < end ? (stopped && at >= (job.stoppedAt as number) ? "Stopping" : "InProgress") : stopped ? "Stopped" : job.outcome.status;
  const ended = status !== "InProgress" && status !== "Stopping";
  const seconds = Math.max(1, Math.round((end - job.createdAt) / 1000));
  const training = job.createdAt + (job.endsAt - job.createdAt) / 4;
  // LastModifiedTime: the latest status or secondary-status change so far.
  const changes = [job.createdAt, training, job.stoppedAt ?? job.createdAt, ended ? end : job.createdAt];
  return {
    ...job.details,
    status,
    lastModifiedAt: Math.max(...changes.filter((time) => time <= at)),
    secondaryStatus: ended ? status : status === "Stopping" ? "Stopping" : at < training ? "Starting" : "Training",
    ...(ended ? { endedAt: end, billableSeconds: seconds, trainingSeconds: seconds } : {}),
    metrics: status === "Completed" ? { "validation:mIOU": 0.5 + (job.name.length % 7) / 100 } : {},
    ...(status === "Failed" && job.outcome.failureReason !== undefined ? { failureReason: job.outcome.failureReason } : {}),
  };
}

/** The index of the first job created after `time`, in jobs in creation order. */
export function firstAfter(jobs: readonly FakeJob[], time: number): number {
  let low = 0;
  let high = jobs.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((jobs[middle] as FakeJob).createdAt > time) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** What a listing shows of a job. */
export function snapshotOf(job: JobDetails): JobSnapshot {
  const { name, status, createdAt, endedAt, lastModifiedAt, secondaryStatus } = job;
  return {
    name,
    status,
    createdAt,
    ...(endedAt !== undefined ? { endedAt } : {}),
    ...(lastModifiedAt !== undefined ? { lastModifiedAt } : {}),
    ...(secondaryStatus !== undefined ? { secondaryStatus } : {}),
  };
}
