import { classifyEnd, type EndCause } from "../backend/classify.js";
import type { JobDetails, TrainingJobStatus } from "../backend/types.js";

/**
 * One vocabulary for the state of a campaign's jobs, used by the launcher, `status`, `report`
 * and the progress line alike. A point's state is its latest attempt's.
 *
 * | SageMaker TrainingJobStatus | state | notes |
 * |---|---|---|
 * | (no job yet) | `not-started` | a point (or its next attempt) waiting to be created |
 * | `InProgress` | `in-progress` | holds an instance: counts against max_concurrency and the quota |
 * | `Stopping` | `stopping` | still holds its instance until Stopped (docs/sources.md#campaign): counts like in-progress |
 * | `Completed` | `completed` | |
 * | `Failed` | `failed` | the end cause (capacity, internal, algorithm) decides a new attempt |
 * | `Stopped` | `stopped` | stopped by a user (`segsweep stop`, the console) or at max_runtime |
 * | `Stopped` | `terminated` | stopped by the campaign's own rule (early termination): never retried, not a failure |
 * | `Stopped`, secondary `MaxWaitTimeExceeded` | `failed` | spot capacity never came: a capacity error |
 * | `Deleting` | `deleting` | being deleted (DeleteTrainingJob) |
 */
export const JOB_STATES = ["not-started", "in-progress", "stopping", "completed", "failed", "stopped", "terminated", "deleting"] as const;
export type JobState = (typeof JOB_STATES)[number];

/** The state a SageMaker status shows before anything explains a stop. */
export const STATE_OF_STATUS: Readonly<Record<TrainingJobStatus, JobState>> = {
  InProgress: "in-progress",
  Stopping: "stopping",
  Completed: "completed",
  Failed: "failed",
  Stopped: "stopped",
  Deleting: "deleting",
};

/** Whether a job in this state holds an instance (and so a slot of max_concurrency and of the quota). */
export function holdsSlot(state: JobState): boolean {
  return state === "in-progress" || state === "stopping";
}

/** Whether a job in this state will not change again. */
export function isEndedState(state: JobState): boolean {
  return state !== "not-started" && !holdsSlot(state);
}

/** A job's state and, when it ended without completing, why. */
export interface ClassifiedState {
  readonly state: JobState;
  readonly cause?: EndCause;
}

/**
 * The state of a job from what SageMaker says of it. `terminatedByCampaign` is true when the
 * campaign's own rule stopped it (the launcher knows the jobs it stopped; after a restart, the
 * rule explains the stop: src/campaign/observer.ts).
 */
export function classifyJob(
  details: Pick<JobDetails, "status" | "failureReason" | "secondaryStatus">,
  terminatedByCampaign = false,
): ClassifiedState {
  switch (details.status) {
    case "Failed":
      return { state: "failed", cause: classifyEnd("Failed", details.failureReason, details.secondaryStatus) };
    case "Stopped": {
      if (terminatedByCampaign) return { state: "terminated" };
      const cause = classifyEnd("Stopped", details.failureReason, details.secondaryStatus);
      return { state: cause === "stopped" ? "stopped" : "failed", cause };
    }
    default:
      return { state: STATE_OF_STATUS[details.status] };
  }
}
