import type { JobDetails } from "../backend/types.js";
import { matchJobs } from "../campaign/membership.js";
import type { JobsPlan } from "../plan/types.js";
import { jobCost } from "./cost.js";
import { pointState } from "./points.js";
import type { CampaignReport, CurvePoint, JobTiming } from "./types.js";

/** What a report can carry beyond what SageMaker's describe gives: from the metric source and the campaign's stop decisions. */
export interface ReportExtras {
  /** Learning curves by SageMaker job name (the objective metric per epoch). */
  readonly curves?: ReadonlyMap<string, readonly CurvePoint[]>;
  /** Jobs the campaign's early-termination rule stopped, by job name, with the rule's reason. */
  readonly terminated?: ReadonlyMap<string, string>;
}

/**
 * Adds to a summarised report what the report page draws: every attempt placed in time with its
 * cost (`jobs`), and, when given, each leaderboard row's learning curve and early-termination
 * mark. Pure; the fields it adds are optional in the schema, so older reports still parse.
 */
export function withJobTimings(
  report: CampaignReport,
  plan: JobsPlan,
  jobs: readonly JobDetails[],
  extras: ReportExtras = {},
): CampaignReport {
  const { points } = matchJobs(plan, jobs);
  const timings = points.flatMap((point) =>
    point.attempts.map((job): JobTiming => {
      const cost = jobCost(job, plan.resources);
      return {
        job: job.name,
        plannedJob: point.planned.name,
        state: pointState({ planned: point.planned, attempts: [job], latest: job }, extras.terminated),
        createdAt: new Date(job.createdAt).toISOString(),
        startedAt: job.startedAt === undefined ? null : new Date(job.startedAt).toISOString(),
        endedAt: job.endedAt === undefined ? null : new Date(job.endedAt).toISOString(),
        billableSeconds: cost.billableSeconds,
        costUsd: cost.usd,
      };
    }),
  );
  const leaderboard = report.leaderboard.map((row) => {
    const curve = extras.curves?.get(row.job);
    const reason = extras.terminated?.get(row.job);
    return {
      ...row,
      ...(curve === undefined ? {} : { curve: [...curve].sort((a, b) => a.epoch - b.epoch) }),
      ...(reason === undefined ? {} : { terminated: { reason } }),
    };
  });
  return { ...report, leaderboard, jobs: timings };
}
