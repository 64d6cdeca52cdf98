import { instanceCostUsd } from "../catalog/price.js";
import type { CostBound } from "../plan/types.js";
import type { CampaignState } from "./state.js";

/**
 * The live line's money and time, computed from the state at one instant: what the campaign has
 * cost so far (ended jobs' billable time, plus the time the running ones have held an instance),
 * what it may still cost at worst, and an estimate of the time left. Running jobs are counted from
 * their creation, which includes provisioning SageMaker does not bill: "so far" is an upper bound
 * until the job ends and DescribeTrainingJob tells its billable time.
 */
export interface ProgressFigures {
  /** Ended jobs' billable time plus running jobs' time so far, × price; null without a price. */
  readonly spentUsd: number | null;
  /** Every queued point and running job going to max_runtime, × price; null without a price. */
  readonly worstLeftUsd: number | null;
  /** Time left, estimated from the completed jobs' durations; undefined before the first completes. */
  readonly etaMs?: number;
}

/** The figures of `state` at `now`, for a campaign of `cost`'s resources running `slots` jobs at once. */
export function progressFigures(state: CampaignState, cost: CostBound, now: number, slots: number): ProgressFigures {
  const mean = state.meanCompletedMs;
  const maxRuntimeMs = cost.maxRuntimeSeconds * 1000;
  let runningMs = 0;
  let runningWorstMs = 0;
  let runningLeftMs = 0;
  let longestLeftMs = 0;
  for (const job of state.holdingJobs()) {
    const age = job.createdAt !== undefined ? Math.max(0, now - job.createdAt) : 0;
    runningMs += age;
    runningWorstMs += Math.max(0, maxRuntimeMs - age);
    if (mean !== undefined) {
      const left = Math.max(0, mean - age);
      runningLeftMs += left;
      longestLeftMs = Math.max(longestLeftMs, left);
    }
  }
  const queued = state.counts().queued;
  const price = cost.usdPerHour;
  const usd = (seconds: number): number | null => (price === null ? null : instanceCostUsd(seconds, cost.instanceCount, price));
  const ended = price === null ? null : instanceCostUsd(state.billableInstanceSeconds, 1, price);
  const running = usd(runningMs / 1000);
  const figures = {
    spentUsd: ended === null || running === null ? null : ended + running,
    worstLeftUsd: usd((runningWorstMs + queued * maxRuntimeMs) / 1000),
  };
  if (mean === undefined) return figures;
  // The work left spread over the slots, but never less than the longest running job still needs.
  const etaMs = Math.max(longestLeftMs, (runningLeftMs + queued * mean) / Math.max(1, slots));
  return { ...figures, etaMs };
}
