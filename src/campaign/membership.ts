import type { JobSnapshot } from "../backend/types.js";
import { TAG_CAMPAIGN, TAG_POINT } from "../catalog/sagemaker-api.js";
import { isCampaignJobName, parseJobName } from "../plan/job-name.js";
import type { PlannedJob } from "../plan/types.js";

/**
 * Which jobs belong to which point of a campaign. A job joins a point by its name
 * (`<campaign>-<pointId>[-r<N>]`, src/plan/job-name.ts) or by its tags (`segsweep:campaign` and
 * `segsweep:point`), so jobs that segsweep did not name itself, such as those of a tuning job,
 * can join too. A point's attempts are ordered by creation (a new attempt is only ever created
 * after the one before it ended), ties by the attempt number in the name; its latest attempt is
 * the last.
 */

/** What membership needs to know of a job. */
export type MemberJob = Pick<JobSnapshot, "name" | "createdAt"> & { readonly tags?: Readonly<Record<string, string>> };

/** The campaign's planned points: the name and point id of each. */
export interface CampaignPoints {
  readonly campaign: string;
  readonly jobs: readonly Pick<PlannedJob, "name" | "pointId">[];
}

/** A planned point and the jobs created for it. */
export interface PointJobs<J extends MemberJob, P extends Pick<PlannedJob, "name" | "pointId"> = PlannedJob> {
  readonly planned: P;
  /** Every attempt, oldest first. */
  readonly attempts: readonly J[];
  /** The last attempt; undefined when the point was never launched. */
  readonly latest: J | undefined;
}

/** The campaign's jobs matched to its points. */
export interface CampaignJobs<J extends MemberJob, P extends Pick<PlannedJob, "name" | "pointId"> = PlannedJob> {
  /** In plan order. */
  readonly points: readonly PointJobs<J, P>[];
  /** Jobs of this campaign (by name or tag) that no point of the current plan has: the sweep file changed since. */
  readonly unplanned: readonly J[];
}

/** The planned point a job belongs to, by name first, then by tags; undefined when none. */
export function pointOf<P extends Pick<PlannedJob, "name" | "pointId">>(
  job: MemberJob,
  byName: ReadonlyMap<string, P>,
  byPointId: ReadonlyMap<string, P>,
  campaign: string,
): P | undefined {
  // A job named exactly as a point (the points of a tuning campaign are the jobs AMT launched).
  const exact = byName.get(job.name);
  if (exact !== undefined) return exact;
  const parsed = parseJobName(job.name);
  const named = parsed !== undefined ? byName.get(parsed.plannedName) : undefined;
  if (named !== undefined) return named;
  const tags = job.tags;
  if (tags === undefined || tags[TAG_CAMPAIGN] !== campaign) return undefined;
  const pointId = tags[TAG_POINT];
  return pointId !== undefined ? byPointId.get(pointId) : undefined;
}

/** Whether a job not matched to any point still belongs to the campaign (its name's shape, or its campaign tag). */
export function belongsToCampaign(job: MemberJob, campaign: string): boolean {
  return isCampaignJobName(campaign, job.name) || job.tags?.[TAG_CAMPAIGN] === campaign;
}

function attemptOrder(a: MemberJob, b: MemberJob): number {
  return a.createdAt - b.createdAt || (parseJobName(a.name)?.attempt ?? 0) - (parseJobName(b.name)?.attempt ?? 0);
}

/** Matches jobs to the campaign's points; jobs of other campaigns are left out. */
export function matchJobs<J extends MemberJob, P extends Pick<PlannedJob, "name" | "pointId">>(
  plan: { readonly campaign: string; readonly jobs: readonly P[] },
  jobs: Iterable<J>,
): CampaignJobs<J, P> {
  const byName = new Map(plan.jobs.map((job) => [job.name, job]));
  const byPointId = new Map(plan.jobs.map((job) => [job.pointId, job]));
  const attempts = new Map<string, J[]>();
  const unplanned: J[] = [];
  for (const job of jobs) {
    const point = pointOf(job, byName, byPointId, plan.campaign);
    if (point === undefined) {
      if (belongsToCampaign(job, plan.campaign)) unplanned.push(job);
      continue;
    }
    const list = attempts.get(point.name);
    if (list === undefined) attempts.set(point.name, [job]);
    else list.push(job);
  }
  const points = plan.jobs.map((planned) => {
    const list = (attempts.get(planned.name) ?? []).sort(attemptOrder);
    return { planned, attempts: list, latest: list.at(-1) };
  });
  return { points, unplanned: unplanned.sort((a, b) => a.name.localeCompare(b.name)) };
}

/**
 * Whether a job is one a campaign's tuning job launched. AMT names those jobs itself
 * (`<tuning job>-<NNN>-<hash>`), so segsweep's job-name rule does not apply: a job joins by the
 * tuning job's name as its prefix and, when its tags are known, by the campaign tag AMT copied
 * onto it from the tuning job (docs/sources.md#amt).
 */
export function isTuningJobMember(job: MemberJob, tuningJobNames: readonly string[], campaign: string): boolean {
  if (job.tags !== undefined && job.tags[TAG_CAMPAIGN] !== campaign) return false;
  const lower = job.name.toLowerCase();
  // Tuning job names are not case sensitive (API reference).
  return tuningJobNames.some((tuning) => lower.startsWith(`${tuning.toLowerCase()}-`));
}
