import type { JobSnapshot, TrainingJobStatus } from "../backend/types.js";
import { parseJobName } from "../plan/job-name.js";
import type { LaunchPlan, PlannedJob } from "../plan/types.js";
import type { PointState, StateCounts } from "./types.js";

/**
 * A planned point and the SageMaker jobs created for it. Retries of a planned job are new jobs
 * `<name>-r<N>` (plan/job-name.ts); the point's state is its latest attempt's.
 */
export interface PointJobs<J extends JobSnapshot> {
  readonly planned: PlannedJob;
  /** Every attempt, oldest first (attempt 0 = the planned name itself). */
  readonly attempts: readonly J[];
  /** The highest attempt number; undefined when the point was never launched. */
  readonly latest: J | undefined;
}

/** The campaign's jobs matched to its planned points. */
export interface CampaignJobs<J extends JobSnapshot> {
  readonly points: readonly PointJobs<J>[];
  /** Jobs named like this campaign's jobs but planned by no point of the current plan. */
  readonly unplanned: readonly J[];
}

/**
 * Matches jobs to the plan's points by name. Only a planned name or one of its `-rN` attempts
 * belongs to a point: another campaign whose name merely starts the same way is not matched.
 */
export function matchJobsToPlan<J extends JobSnapshot>(plan: LaunchPlan, jobs: readonly J[]): CampaignJobs<J> {
  const byPlanned = new Map<string, { job: J; attempt: number }[]>(plan.jobs.map((job) => [job.name, []]));
  const unplanned: J[] = [];
  for (const job of jobs) {
    const { plannedName, attempt } = parseJobName(job.name);
    const attempts = byPlanned.get(plannedName);
    if (attempts === undefined) {
      if (isCampaignJobName(plan.campaign, job.name)) unplanned.push(job);
      continue;
    }
    attempts.push({ job, attempt });
  }
  const points = plan.jobs.map((planned) => {
    const attempts = (byPlanned.get(planned.name) ?? []).sort((a, b) => a.attempt - b.attempt).map((entry) => entry.job);
    return { planned, attempts, latest: attempts.at(-1) };
  });
  return { points, unplanned: unplanned.sort((a, b) => a.name.localeCompare(b.name)) };
}

/**
 * Whether a name has the shape of this campaign's job names, `<campaign>-<12 hex>[-r<N>]`
 * (plan/types.ts PlannedJob.name), so that campaign "seg" does not claim "seg-large-…" jobs.
 */
export function isCampaignJobName(campaign: string, name: string): boolean {
  if (!name.startsWith(`${campaign}-`)) return false;
  return /^[0-9a-f]{12}(-r\d{1,2})?$/.test(name.slice(campaign.length + 1));
}

const STATE_OF_STATUS: Readonly<Record<TrainingJobStatus, PointState>> = {
  InProgress: "in-progress",
  Completed: "completed",
  Failed: "failed",
  Stopping: "stopping",
  Stopped: "stopped",
  Deleting: "deleting",
};

/** The state a point shows: its latest attempt's status, or not-started. */
export function pointState(point: PointJobs<JobSnapshot>): PointState {
  return point.latest === undefined ? "not-started" : STATE_OF_STATUS[point.latest.status];
}

/** Points per state (each point once), plus the number of attempts. */
export function countStates(points: readonly PointJobs<JobSnapshot>[]): StateCounts {
  const counts = {
    planned: points.length,
    completed: 0,
    inProgress: 0,
    stopping: 0,
    stopped: 0,
    failed: 0,
    deleting: 0,
    notStarted: 0,
    attempts: 0,
  };
  for (const point of points) {
    counts.attempts += point.attempts.length;
    switch (pointState(point)) {
      case "completed":
        counts.completed++;
        break;
      case "in-progress":
        counts.inProgress++;
        break;
      case "stopping":
        counts.stopping++;
        break;
      case "stopped":
        counts.stopped++;
        break;
      case "failed":
        counts.failed++;
        break;
      case "deleting":
        counts.deleting++;
        break;
      case "not-started":
        counts.notStarted++;
        break;
    }
  }
  return counts;
}

/**
 * The hyperparameter names whose values differ between planned jobs (a key missing from some
 * jobs counts as differing), sorted. These are what tells one point from another.
 */
export function varyingHyperparameters(plan: LaunchPlan): string[] {
  const keys = new Set(plan.jobs.flatMap((job) => Object.keys(job.hyperparameters)));
  const first = plan.jobs[0]?.hyperparameters ?? {};
  return [...keys].filter((key) => plan.jobs.some((job) => job.hyperparameters[key] !== first[key])).sort();
}

/** Only the named keys of a hyperparameter map (absent ones left out). */
export function pick(hyperparameters: Readonly<Record<string, string>>, keys: readonly string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const key of keys) {
    const value = hyperparameters[key];
    if (value !== undefined) picked[key] = value;
  }
  return picked;
}
