import type { EndCause } from "../backend/classify.js";
import { classifyEnd } from "../backend/classify.js";
import type { JobDetails, JobSnapshot } from "../backend/types.js";
import { attemptName, parseJobName } from "../plan/job-name.js";

/**
 * The launcher's whole state: one record per SageMaker job name (each attempt of a planned job is
 * its own name), in one Map. Every count — done, running, queued, failed — is derived from it
 * (style.md items 2 and 11); nothing keeps a second copy.
 */

/** A record's state: planned (not created yet), then in-progress until SageMaker says it ended. */
export type JobStatus = "planned" | "in-progress" | "completed" | "failed" | "stopped";

export interface JobRecord {
  readonly name: string;
  readonly plannedName: string;
  readonly attempt: number;
  readonly status: JobStatus;
  readonly secondaryStatus?: string;
  /** Server-side creation time (epoch ms), once a listing or describe has shown it. */
  readonly createdAt?: number;
  /** Why a failed or stopped job ended; decides whether the point gets another attempt. */
  readonly endCause?: EndCause;
  /** DescribeTrainingJob once the job ended: metrics, billable time, failure reason. */
  readonly details?: JobDetails;
}

/** The state map, keyed by job name. */
export type JobRecords = Map<string, JobRecord>;

/** Whether a record's job is over (it will not change again). */
export function isFinished(record: JobRecord): boolean {
  return record.status === "completed" || record.status === "failed" || record.status === "stopped";
}

/** A planned (not yet created) record of attempt `attempt` of `plannedName`. */
export function plannedRecord(plannedName: string, attempt: number): JobRecord {
  return { name: attemptName(plannedName, attempt), plannedName, attempt, status: "planned" };
}

/** The record of a job SageMaker lists as not ended (InProgress or Stopping). */
export function runningRecord(snapshot: JobSnapshot): JobRecord {
  const { plannedName, attempt } = parseJobName(snapshot.name);
  return {
    name: snapshot.name,
    plannedName,
    attempt,
    status: "in-progress",
    createdAt: snapshot.createdAt,
    ...(snapshot.secondaryStatus !== undefined ? { secondaryStatus: snapshot.secondaryStatus } : {}),
  };
}

/** The record of an ended job, from its DescribeTrainingJob details. */
export function endedRecord(details: JobDetails): JobRecord {
  const { plannedName, attempt } = parseJobName(details.name);
  const base = {
    name: details.name,
    plannedName,
    attempt,
    createdAt: details.createdAt,
    details,
    ...(details.secondaryStatus !== undefined ? { secondaryStatus: details.secondaryStatus } : {}),
  };
  if (details.status === "Completed") return { ...base, status: "completed" };
  const endStatus = details.status === "Failed" ? "Failed" : "Stopped";
  const endCause = classifyEnd(endStatus, details.failureReason, details.secondaryStatus);
  return { ...base, status: endStatus === "Failed" || endCause !== "stopped" ? "failed" : "stopped", endCause };
}

/** Whether an ended record earns its point another attempt: capacity and internal errors do, up to `maxRetries`. */
export function deservesRetry(record: JobRecord, maxRetries: number): boolean {
  return record.status === "failed" && (record.endCause === "capacity" || record.endCause === "internal") && record.attempt < maxRetries;
}

/** The latest attempt of every planned job that has one. */
export function latestAttempts(records: ReadonlyMap<string, JobRecord>): Map<string, JobRecord> {
  const latest = new Map<string, JobRecord>();
  for (const record of records.values()) {
    const current = latest.get(record.plannedName);
    if (current === undefined || record.attempt > current.attempt) latest.set(record.plannedName, record);
  }
  return latest;
}

/** Counts per point (a point's state is its latest attempt's). */
export interface PointCounts {
  readonly total: number;
  readonly done: number;
  readonly running: number;
  readonly queued: number;
  readonly failed: number;
  readonly stopped: number;
}

/** Derives the per-point counts from the records. */
export function countPoints(records: ReadonlyMap<string, JobRecord>): PointCounts {
  const counts = { total: 0, done: 0, running: 0, queued: 0, failed: 0, stopped: 0 };
  for (const record of latestAttempts(records).values()) {
    counts.total++;
    if (record.status === "completed") counts.done++;
    else if (record.status === "in-progress") counts.running++;
    else if (record.status === "planned") counts.queued++;
    else if (record.status === "failed") counts.failed++;
    else counts.stopped++;
  }
  return counts;
}

/** Billable seconds × instances × price, over every ended job; null when the price is unknown. */
export function actualCostUsd(records: ReadonlyMap<string, JobRecord>, usdPerHour: number | null): number | null {
  if (usdPerHour === null) return null;
  let seconds = 0;
  for (const record of records.values()) {
    const details = record.details;
    if (details?.billableSeconds !== undefined) seconds += details.billableSeconds * (details.instanceCount ?? 1);
  }
  return (seconds * usdPerHour) / 3600;
}
