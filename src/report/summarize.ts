import { isTerminal, type JobDetails } from "../backend/types.js";
import { matchJobs, type PointJobs } from "../campaign/membership.js";
import type { JobsPlan } from "../plan/types.js";
import type { Objective } from "../sweep/definition.js";
import { jobCost, summarizeCost } from "./cost.js";
import { countStates, pick, pointState, type Terminated, varyingHyperparameters } from "./points.js";
import { sweepSnippet } from "./snippet.js";
import type { CampaignReport, FailureGroup, LeaderboardRow } from "./types.js";

/** The algorithm's two metrics (both maximised); the report shows the one not ranked on beside the objective. */
const OTHER_METRIC: Readonly<Record<Objective, Objective>> = {
  "validation:mIOU": "validation:pixel_accuracy",
  "validation:pixel_accuracy": "validation:mIOU",
};

/**
 * Summarises a campaign: the leaderboard by the objective metric (maximised, ties by job name,
 * jobs without the metric last), the best point as a sweep snippet, counts per state, failure
 * reasons and cost. Pure. `jobs` are the campaign's jobs as DescribeTrainingJob or Search give
 * them (jobs still running may carry only what ListTrainingJobs told); they join their points by
 * name or tag (src/campaign/membership.ts). Each point counts once, by its latest attempt, while
 * failures and cost count every attempt. `terminated` names the jobs the campaign's own rule stopped.
 */
export function summarizeCampaign(
  plan: JobsPlan,
  jobs: readonly JobDetails[],
  options: { readonly simulated?: boolean; readonly terminated?: Terminated } = {},
): CampaignReport {
  const terminated = options.terminated ?? new Map<string, string>();
  const { points, unplanned } = matchJobs(plan, jobs);
  const varying = varyingHyperparameters(plan);
  const otherMetric = OTHER_METRIC[plan.objective];
  const leaderboard = rankPoints(points, plan, varying, otherMetric, terminated);
  const top = leaderboard[0];
  const bestPoint = top?.objective != null ? points.find((point) => point.planned.name === top.plannedJob) : undefined;
  const campaignJobs = points.flatMap((point) => point.attempts);
  const running = campaignJobs.filter((job) => !isTerminal(job.status)).length;
  return {
    campaign: plan.campaign,
    sweepFile: plan.sweepFile,
    objective: plan.objective,
    otherMetric,
    simulated: options.simulated ?? false,
    counts: countStates(points, terminated),
    varyingHyperparameters: varying,
    leaderboard,
    best:
      top?.objective != null && bestPoint !== undefined
        ? {
            job: top.job,
            objective: top.objective,
            hyperparameters: { ...bestPoint.planned.hyperparameters },
            sweepSnippet: sweepSnippet(bestPoint.planned.hyperparameters, {
              campaign: plan.campaign,
              job: top.job,
              objective: plan.objective,
              value: top.objective,
              simulated: options.simulated ?? false,
            }),
          }
        : null,
    failures: groupFailures(points),
    cost: summarizeCost(campaignJobs, plan.resources, running),
    unplannedJobs: unplanned.map((job) => job.name),
  };
}

/** A metric value from FinalMetricDataList, or null when absent or not a finite number. */
function metric(job: JobDetails, name: string): number | null {
  const value = job.metrics[name];
  return value !== undefined && Number.isFinite(value) ? value : null;
}

/** Launched points (by their latest attempt) ranked by the objective; points not started are left out. */
function rankPoints(
  points: readonly PointJobs<JobDetails>[],
  plan: JobsPlan,
  varying: readonly string[],
  otherMetric: Objective,
  terminated: Terminated,
): LeaderboardRow[] {
  const rows = points.flatMap((point) => {
    const latest = point.latest;
    if (latest === undefined) return [];
    const cost = jobCost(latest, plan.resources);
    return {
      rank: 0,
      job: latest.name,
      plannedJob: point.planned.name,
      attempts: point.attempts.length,
      state: pointState(point, terminated),
      secondaryStatus: latest.secondaryStatus ?? null,
      objective: metric(latest, plan.objective),
      otherMetric: metric(latest, otherMetric),
      billableSeconds: cost.billableSeconds,
      costUsd: cost.usd,
      hyperparameters: pick(point.planned.hyperparameters, varying),
    } satisfies LeaderboardRow;
  });
  rows.sort((a, b) => {
    if (a.objective !== b.objective) {
      if (a.objective === null) return 1;
      if (b.objective === null) return -1;
      return b.objective - a.objective;
    }
    return a.job < b.job ? -1 : a.job > b.job ? 1 : 0;
  });
  return rows.map((row, index) => ({ ...row, rank: index + 1 }));
}

/**
 * Failed attempts grouped by the first line of FailureReason (the rest is usually a stack
 * trace or job-specific detail), most frequent first. Attempts that were retried are counted
 * too, and said to be retried: a capacity error that cleared on retry is still worth knowing.
 */
function groupFailures(points: readonly PointJobs<JobDetails>[]): FailureGroup[] {
  const groups = new Map<string, { count: number; exampleJob: string; retried: number }>();
  for (const point of points) {
    point.attempts.forEach((job, index) => {
      if (job.status !== "Failed") return;
      const reason = job.failureReason?.split("\n")[0]?.trim() || "(SageMaker gave no failure reason)";
      const group = groups.get(reason) ?? { count: 0, exampleJob: job.name, retried: 0 };
      group.count++;
      if (index < point.attempts.length - 1) group.retried++;
      groups.set(reason, group);
    });
  }
  return [...groups.entries()]
    .map(([reason, group]) => ({ reason, ...group }))
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}
