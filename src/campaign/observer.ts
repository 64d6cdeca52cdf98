/**
 * The seam through which a campaign watches its running jobs and may stop some of them (early
 * termination), the way Optuna keeps its pruners apart from the study: the launcher calls the
 * observer on its own clock and carries out the decisions; the observer never touches a job.
 * Stopping rules (src/campaign/stopping/) plug in here without editing the launcher's loop.
 */

/** A job in progress, as the campaign knows it when it asks. */
export interface RunningJob {
  /** The SageMaker training job name (an attempt of a planned job). */
  readonly name: string;
  /** The planned job (the point) this attempt belongs to. */
  readonly plannedName: string;
  readonly attempt: number;
  /** Server-side creation time (epoch ms), once known. */
  readonly createdAt?: number;
}

/** A job the campaign should stop, and why (shown to the user and kept with the job's outcome). */
export interface StopDecision {
  readonly name: string;
  readonly reason: string;
}

/**
 * What the launcher asks on every observation tick. Decisions must be derivable from what
 * SageMaker and CloudWatch say (never from local state alone), so that a launcher killed and
 * started again makes the same decisions and never stops a job twice.
 */
export interface CampaignObserver {
  /** How often to observe, in ms of the injected clock. */
  readonly intervalMs: number;
  /** Looks at the running jobs; returns the ones to stop now (none already being stopped). */
  observe(running: readonly RunningJob[], signal: AbortSignal): Promise<readonly StopDecision[]>;
  /**
   * For a job found Stopped (after a restart, or ended between ticks): whether the campaign's own
   * rule stopped it (then its outcome is "terminated", never retried, never a failure), or a user did.
   */
  explainStop(name: string, signal: AbortSignal): Promise<StopDecision | undefined>;
}
