import { z } from "zod";
import { JOB_STATES } from "../campaign/states.js";
import { Objective } from "../sweep/definition.js";

/**
 * What `segsweep report` (and the end of `segsweep launch`) says about a campaign, as data.
 * JSON-serialisable; `segsweep report --format json` prints it as it is, and this schema is
 * what a script reading that output can validate against.
 */

/**
 * The state of one planned point: its latest attempt's, in the campaign's vocabulary
 * (src/campaign/states.ts, which documents the mapping from SageMaker's statuses), or
 * "not-started" when no job of it exists on SageMaker.
 */
export const PointState = z.enum(JOB_STATES);
export type PointState = z.infer<typeof PointState>;

/** Planned points per state, each point counted once, by its latest attempt. */
export const StateCounts = z.object({
  planned: z.number().int().min(0),
  completed: z.number().int().min(0),
  inProgress: z.number().int().min(0),
  stopping: z.number().int().min(0),
  stopped: z.number().int().min(0),
  /** Stopped by the campaign's own rule (early termination), apart from a user's stop; 0 in reports older than it. */
  terminated: z.number().int().min(0).default(0),
  failed: z.number().int().min(0),
  deleting: z.number().int().min(0),
  notStarted: z.number().int().min(0),
  /** Training jobs on SageMaker for these points, automatic retries included. */
  attempts: z.number().int().min(0),
});
export type StateCounts = z.infer<typeof StateCounts>;

/**
 * One epoch of a learning curve: the campaign's objective metric as the algorithm logged it at
 * the end of that epoch (the metric source's reading of a running or ended job).
 */
export const CurvePoint = z.object({
  epoch: z.number().int().min(0),
  value: z.number(),
});
export type CurvePoint = z.infer<typeof CurvePoint>;

/** The campaign's early-termination rule stopped this job (never a user's stop, never a failure). */
export const Termination = z.object({
  /** The rule's reason, as the campaign recorded it with its stop decision. */
  reason: z.string(),
});
export type Termination = z.infer<typeof Termination>;

/** One point of the leaderboard (its latest attempt). */
export const LeaderboardRow = z.object({
  /** 1-based position; rows without the objective metric come last. */
  rank: z.number().int().min(1),
  /** The SageMaker job name of the latest attempt (`<planned>-r<N>` after retries). */
  job: z.string(),
  /** The planned job name: the point's identity across retries. */
  plannedJob: z.string(),
  /** Jobs created for this point, retries included. */
  attempts: z.number().int().min(1),
  state: PointState,
  secondaryStatus: z.string().nullable(),
  /** The objective metric from FinalMetricDataList; null when the job has not reported it. */
  objective: z.number().nullable(),
  /** The other metric the algorithm reports (pixel accuracy when ranking by mIOU, and the reverse). */
  otherMetric: z.number().nullable(),
  billableSeconds: z.number().min(0).nullable(),
  /** Billable seconds × instances × on-demand price; null when unknown. */
  costUsd: z.number().min(0).nullable(),
  /** Only the hyperparameters that differ between the campaign's planned jobs, as sent. */
  hyperparameters: z.record(z.string(), z.string()),
  /**
   * The latest attempt's learning curve, epochs ascending; absent when no per-epoch metric is
   * known (reports written before curves existed, or no metric source).
   */
  curve: z.array(CurvePoint).optional(),
  /** Present when the campaign's early-termination rule stopped this job. */
  terminated: Termination.optional(),
});
export type LeaderboardRow = z.infer<typeof LeaderboardRow>;

/** Failed jobs with the same first line of FailureReason. */
export const FailureGroup = z.object({
  reason: z.string(),
  /** Failed jobs (attempts) with this reason. */
  count: z.number().int().min(1),
  exampleJob: z.string(),
  /** Of those, how many were retried as a new attempt. */
  retried: z.number().int().min(0),
});
export type FailureGroup = z.infer<typeof FailureGroup>;

/** Billable time and cost of every job of the campaign, retried attempts included. */
export const CostSummary = z.object({
  billableSeconds: z.number().min(0),
  billableHours: z.number().min(0),
  /** Null when an instance type billed has no price in the catalog (see unpricedInstanceTypes). */
  usd: z.number().min(0).nullable(),
  unpricedInstanceTypes: z.array(z.string()),
  /** Managed spot: billable time already reflects the spot saving (DescribeTrainingJob.BillableTimeInSeconds). */
  spot: z.boolean(),
  /** Jobs still running add to the bill once they end; they are not in these numbers. */
  jobsStillRunning: z.number().int().min(0),
  /**
   * Ended jobs for which SageMaker reported no billable time: their cost is unknown (not $0), so
   * billableSeconds and usd are then lower bounds ("at least").
   */
  jobsCostUnknown: z.number().int().min(0),
  /** Where prices come from, in words. */
  priceSource: z.string(),
});
export type CostSummary = z.infer<typeof CostSummary>;

/**
 * One training job of the campaign (every attempt, retried ones included) placed in time, with
 * what it cost: what the report page draws cost over time from. Times are ISO 8601.
 */
export const JobTiming = z.object({
  job: z.string(),
  /** The planned job (the point) this attempt belongs to. */
  plannedJob: z.string(),
  state: PointState,
  createdAt: z.string(),
  /** TrainingStartTime; null when SageMaker did not give it (never started, or not described). */
  startedAt: z.string().nullable(),
  /** TrainingEndTime; null while the job runs. */
  endedAt: z.string().nullable(),
  /** BillableTimeInSeconds × instances; null while the job runs or when SageMaker gives none. */
  billableSeconds: z.number().min(0).nullable(),
  /** Null when unknown (running, or no price for the instance type): never 0 for unknown. */
  costUsd: z.number().min(0).nullable(),
});
export type JobTiming = z.infer<typeof JobTiming>;

/** What the campaign's early-termination rule saved, against an estimated worst case (savings.ts says how). */
export const EarlyTerminationSavings = z.object({
  terminatedJobs: z.number().int().min(0),
  /** What the terminated jobs were billed (instance-hours); null when one's billable time is unknown. */
  billableHours: z.number().min(0).nullable(),
  /** Had they trained to their last epoch (estimated, see `estimate`). */
  worstCaseHours: z.number().min(0).nullable(),
  savedHours: z.number().nullable(),
  savedUsd: z.number().nullable(),
  /** How the worst case was estimated, in words. */
  estimate: z.string(),
});
export type EarlyTerminationSavings = z.infer<typeof EarlyTerminationSavings>;

export const CampaignReport = z.object({
  campaign: z.string(),
  sweepFile: z.string(),
  objective: Objective,
  otherMetric: Objective,
  /** Every number comes from the local stand-in (`launch --simulate`), not from SageMaker. */
  simulated: z.boolean(),
  /** What the campaign's early-termination rule saved (savings.ts); absent when it stopped no job. */
  earlyTermination: EarlyTerminationSavings.optional(),
  counts: StateCounts,
  /** Names of the hyperparameters that vary across the campaign (the leaderboard's columns). */
  varyingHyperparameters: z.array(z.string()),
  leaderboard: z.array(LeaderboardRow),
  best: z
    .object({
      job: z.string(),
      objective: z.number(),
      /** Every hyperparameter as sent to CreateTrainingJob. */
      hyperparameters: z.record(z.string(), z.string()),
      /** A `hyperparameters:` YAML block with these values fixed, ready to paste into a sweep file. */
      sweepSnippet: z.string(),
    })
    .nullable(),
  failures: z.array(FailureGroup),
  cost: CostSummary,
  /** Jobs with this campaign's name prefix that no point of the current sweep file planned (the file changed since). */
  unplannedJobs: z.array(z.string()),
  /** Every job of the campaign in time, retries included; absent in reports that predate it. */
  jobs: z.array(JobTiming).optional(),
});
export type CampaignReport = z.infer<typeof CampaignReport>;
