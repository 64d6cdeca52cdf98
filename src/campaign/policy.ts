import type { EndCause } from "../backend/classify.js";
import { type Backoff, backoffMs } from "../backend/retry.js";
import type { JobRecord } from "./records.js";

/**
 * The campaign's policy as data, and the pure functions that apply it: which ends earn a point a
 * new attempt, when failures stop the launching, how fast jobs are created, how the concurrency
 * steps down to a full quota and creeps back up. The launcher only asks these; tests table them.
 * A server-side engine (Step Functions) reads the same data.
 */
export interface CampaignPolicy {
  /** Jobs in progress at once, at most (limits.max_concurrency or --max-concurrency). */
  readonly maxConcurrency: number;
  /** New attempts per point after an end whose cause is in `retryCauses` (`-r1`, `-r2`). */
  readonly maxRetries: number;
  /** SageMaker's own errors: a new attempt may well succeed. Algorithm errors would fail again. */
  readonly retryCauses: readonly EndCause[];
  /** Points failed (their latest attempt, with no attempt left) beyond which nothing more is launched. */
  readonly maxFailures: number;
  /** CreateTrainingJob calls per second, and the burst (docs/sources.md#quotas). */
  readonly launchRate: LaunchRate;
  /** The pause before trying a create again while the quota is full and none of ours runs. */
  readonly quotaWait: Backoff;
  /** A quiet spell without ResourceLimitExceeded after which the concurrency creeps up by one at a job's end. */
  readonly creepUpAfterMs: number;
}

/** CreateTrainingJob pace: tokens per second and bucket size. */
export interface LaunchRate {
  readonly perSecond: number;
  readonly burst: number;
}

/** The default launch rate against SageMaker: 2 per second, bursts of 5 (docs/sources.md#quotas). */
export const DEFAULT_LAUNCH_RATE: LaunchRate = { perSecond: 2, burst: 5 };

/** The default number of new attempts after capacity or internal errors. */
export const DEFAULT_MAX_RETRIES = 2;

/** The end causes that earn a point a new attempt: SageMaker's own errors, which a new attempt may well not meet. */
export const NEW_ATTEMPT_CAUSES: readonly EndCause[] = ["capacity", "internal"];

/** What a launch is told, from which the policy follows. */
export interface PolicyInputs {
  readonly maxConcurrency: number;
  readonly maxFailures: number;
  readonly pollIntervalMs: number;
  readonly maxRetries?: number;
  readonly launchRate?: LaunchRate;
}

/** The policy of a launch: quota waits and creep-up scale with the poll interval. */
export function campaignPolicy(inputs: PolicyInputs): CampaignPolicy {
  return {
    maxConcurrency: inputs.maxConcurrency,
    maxRetries: inputs.maxRetries ?? DEFAULT_MAX_RETRIES,
    retryCauses: NEW_ATTEMPT_CAUSES,
    maxFailures: inputs.maxFailures,
    launchRate: inputs.launchRate ?? DEFAULT_LAUNCH_RATE,
    quotaWait: { baseMs: 4 * inputs.pollIntervalMs, capMs: 40 * inputs.pollIntervalMs },
    creepUpAfterMs: 10 * inputs.pollIntervalMs,
  };
}

/** The attempt number a point's next job gets after this ended record, or undefined when it gets none. */
export function nextAttempt(policy: CampaignPolicy, record: Pick<JobRecord, "state" | "cause" | "attempt">): number | undefined {
  if (record.state !== "failed" || record.cause === undefined) return undefined;
  if (!policy.retryCauses.includes(record.cause) || record.attempt >= policy.maxRetries) return undefined;
  return record.attempt + 1;
}

/** Whether this many failed points stop the launching. */
export function pastFailureLimit(policy: CampaignPolicy, failedPoints: number): boolean {
  return failedPoints > policy.maxFailures;
}

/** The concurrency after ResourceLimitExceeded: what runs now (at least one), never more than before. */
export function stepDown(current: number, holding: number): number {
  return Math.min(current, Math.max(1, holding));
}

/** The concurrency after a job ended: one more when the quota has been quiet long enough, up to the maximum. */
export function creepUp(policy: CampaignPolicy, current: number, msSinceQuota: number): number {
  return current < policy.maxConcurrency && msSinceQuota >= policy.creepUpAfterMs ? current + 1 : current;
}

/** The pause before the `round`-th retry of a create refused for quota while none of ours runs (from 0). */
export function quotaWaitMs(policy: CampaignPolicy, round: number, random: () => number): number {
  return backoffMs(round, policy.quotaWait, random);
}
