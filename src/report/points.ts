import type { JobSnapshot } from "../backend/types.js";
import type { PointJobs } from "../campaign/membership.js";
import { classifyJob, type JobState } from "../campaign/states.js";
import type { JobsPlan } from "../plan/types.js";
import type { StateCounts } from "./types.js";

/**
 * The report's view of a campaign's points, in the campaign's one state vocabulary
 * (src/campaign/states.ts): a point's state is its latest attempt's.
 */

/** Names of jobs the campaign's own rule stopped, with why (from the launcher, or the rule's explanation). */
export type Terminated = ReadonlyMap<string, string>;

/** The state a point shows: its latest attempt's, or not-started. */
export function pointState(point: PointJobs<JobSnapshot>, terminated: Terminated = new Map()): JobState {
  const latest = point.latest;
  return latest === undefined ? "not-started" : classifyJob(latest, terminated.has(latest.name)).state;
}

const COUNTED: Readonly<Record<JobState, keyof StateCounts>> = {
  "not-started": "notStarted",
  "in-progress": "inProgress",
  stopping: "stopping",
  completed: "completed",
  failed: "failed",
  stopped: "stopped",
  terminated: "terminated",
  deleting: "deleting",
};

/** Points per state (each point once), plus the number of attempts. */
export function countStates(points: readonly PointJobs<JobSnapshot>[], terminated: Terminated = new Map()): StateCounts {
  const counts = {
    planned: points.length,
    completed: 0,
    inProgress: 0,
    stopping: 0,
    stopped: 0,
    terminated: 0,
    failed: 0,
    deleting: 0,
    notStarted: 0,
    attempts: 0,
  };
  for (const point of points) {
    counts.attempts += point.attempts.length;
    counts[COUNTED[pointState(point, terminated)]]++;
  }
  return counts;
}

/**
 * The hyperparameter names whose values differ between planned jobs (a key missing from some
 * jobs counts as differing), sorted. These are what tells one point from another.
 */
export function varyingHyperparameters(plan: JobsPlan): string[] {
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
