import type { EndCause } from "../backend/classify.js";
import type { JobDetails, JobSnapshot } from "../backend/types.js";
import { attemptName, parseJobName } from "../plan/job-name.js";
import { classifyJob, type JobState } from "./states.js";

/**
 * One record per SageMaker job name (each attempt of a planned job is its own name), immutable
 * (style.md item 11): a change is a new record put into the campaign's state (state.ts).
 */
export interface JobRecord {
  readonly name: string;
  readonly plannedName: string;
  readonly attempt: number;
  readonly state: JobState;
  readonly secondaryStatus?: string;
  /** Server-side creation time (epoch ms), once a listing or describe has shown it. */
  readonly createdAt?: number;
  /** Why a failed or stopped job ended; decides whether the point gets another attempt. */
  readonly cause?: EndCause;
  /** Why the campaign stopped it (state "terminated"). */
  readonly stopReason?: string;
  /**
   * What DescribeTrainingJob said once the job ended (metrics, billable time, failure reason),
   * without the hyperparameters and tags, which the plan has: a record stays small.
   */
  readonly details?: JobDetails;
}

/** A planned (not yet created) record of attempt `attempt` of `plannedName`. */
export function plannedRecord(plannedName: string, attempt: number): JobRecord {
  return { name: attemptName(plannedName, attempt), plannedName, attempt, state: "not-started" };
}

/** The planned job and attempt of a name of segsweep's shape; for other names, the name itself as attempt 0. */
function identify(name: string): { readonly plannedName: string; readonly attempt: number } {
  const parsed = parseJobName(name);
  return parsed !== undefined ? parsed : { plannedName: name, attempt: 0 };
}

/** The record of a job SageMaker lists as not ended (InProgress or Stopping). */
export function runningRecord(snapshot: JobSnapshot): JobRecord {
  return {
    ...identify(snapshot.name),
    name: snapshot.name,
    state: classifyJob(snapshot).state,
    createdAt: snapshot.createdAt,
    ...(snapshot.secondaryStatus !== undefined ? { secondaryStatus: snapshot.secondaryStatus } : {}),
  };
}

/** What a record keeps of DescribeTrainingJob's answer: everything but the hyperparameters and tags. */
export function compactDetails(details: JobDetails): JobDetails {
  const { hyperparameters: _hyperparameters, tags: _tags, ...rest } = details;
  return { ...rest, hyperparameters: {} };
}

/** The record of an ended job, from its details; `stopReason` when the campaign's rule stopped it. */
export function endedRecord(details: JobDetails, stopReason?: string): JobRecord {
  const { state, cause } = classifyJob(details, stopReason !== undefined);
  return {
    ...identify(details.name),
    name: details.name,
    state,
    createdAt: details.createdAt,
    details: compactDetails(details),
    ...(details.secondaryStatus !== undefined ? { secondaryStatus: details.secondaryStatus } : {}),
    ...(cause !== undefined ? { cause } : {}),
    ...(stopReason !== undefined && state === "terminated" ? { stopReason } : {}),
  };
}
