import type { TuningBackend, TuningJobDetails, TuningTrainingJob } from "../backend/tuning.js";
import { BackendError, type JobDetails, type TrainingBackend } from "../backend/types.js";
import type { TuningPlan } from "../plan/tuning/types.js";
import type { JobsPlan, PlannedJob } from "../plan/types.js";
import { isTuningJobMember } from "./membership.js";
import { readCampaignJobs } from "./read.js";

/**
 * Reading a tuning campaign: its tuning jobs (one per branch of the plan, by the names the plan
 * gives them), the training jobs AMT launched for each (ListTrainingJobsForHyperParameterTuningJob,
 * every page), and their full records (one Search by the campaign tag AMT copied onto them), so
 * the campaign's leaderboard and cost work as for plain jobs. SageMaker's word only: nothing local.
 */

/** One tuning job of the campaign as SageMaker shows it. */
export interface TuningJobView {
  readonly name: string;
  /** The plan's branch (1-based). */
  readonly branch: number;
  /** Absent: no tuning job of that name exists (not launched yet). */
  readonly details?: TuningJobDetails;
  /** Its training jobs, oldest first (empty when not launched). */
  readonly trainingJobs: readonly TuningTrainingJob[];
}

/** The tuning job names of a plan, in branch order. */
export function tuningJobNames(plan: TuningPlan): string[] {
  return plan.branches.map((branch) => branch.request.HyperParameterTuningJobName);
}

/** Describes each of the plan's tuning jobs; absent when SageMaker has none of that name. */
export async function describeTuningJobs(tuning: TuningBackend, plan: TuningPlan): Promise<(TuningJobDetails | undefined)[]> {
  const found: (TuningJobDetails | undefined)[] = [];
  for (const name of tuningJobNames(plan)) {
    try {
      found.push(await tuning.describeTuningJob(name));
    } catch (error) {
      if (error instanceof BackendError && error.kind === "not-found") found.push(undefined);
      else throw error;
    }
  }
  return found;
}

/**
 * Every tuning job of the campaign with its training jobs. With `previous` (the last read), a
 * tuning job whose status and training-job counters have not changed keeps its listing: a
 * training job starting or ending changes the counters, so a follower lists only after a change.
 */
export async function readTuningJobs(
  tuning: TuningBackend,
  plan: TuningPlan,
  signal?: AbortSignal,
  previous: readonly TuningJobView[] = [],
): Promise<TuningJobView[]> {
  const described = await describeTuningJobs(tuning, plan);
  const views: TuningJobView[] = [];
  for (const [index, name] of tuningJobNames(plan).entries()) {
    const details = described[index];
    const before = previous[index];
    const trainingJobs =
      details === undefined
        ? []
        : before?.details !== undefined && sameProgress(before.details, details)
          ? before.trainingJobs
          : await tuning.listTuningTrainingJobs(name, signal !== undefined ? { signal } : {});
    views.push({ name, branch: index + 1, ...(details !== undefined ? { details } : {}), trainingJobs });
  }
  return views;
}

function sameProgress(a: TuningJobDetails, b: TuningJobDetails): boolean {
  const counters = (d: TuningJobDetails) => JSON.stringify(d.trainingJobs);
  return a.status === b.status && counters(a) === counters(b);
}

/**
 * The training jobs of the campaign's tuning jobs as full records: Search's record where it has
 * one (billable time, both metrics, tags), else what the tuning job's listing tells (no billable
 * time: its cost stays unknown). Jobs Search returns that no tuning job of this plan launched are
 * left out: they are not this campaign's tuning jobs'.
 */
export async function readTuningCampaignJobs(
  backend: TrainingBackend,
  plan: TuningPlan,
  views: readonly TuningJobView[],
  signal?: AbortSignal,
): Promise<JobDetails[]> {
  const names = tuningJobNames(plan);
  const searched = new Map<string, JobDetails>();
  for (const job of await readCampaignJobs(backend, plan.campaign, signal)) {
    if (isTuningJobMember(job, names, plan.campaign)) searched.set(job.name, job);
  }
  return views.flatMap((view) =>
    view.trainingJobs.map((listed) => {
      const full = searched.get(listed.name);
      // The listing is the newer word on the status when Search's index lags behind.
      return full !== undefined ? { ...full, status: listed.status } : fromListing(plan, view.name, listed);
    }),
  );
}

/** A listed training job as the report takes it: tuned values over the branch's static ones. */
function fromListing(plan: TuningPlan, tuningJob: string, listed: TuningTrainingJob): JobDetails {
  const branch = plan.branches.find((b) => b.request.HyperParameterTuningJobName === tuningJob);
  return {
    name: listed.name,
    status: listed.status,
    createdAt: listed.createdAt,
    metrics: listed.objective !== undefined ? { [listed.objective.metric]: listed.objective.value } : {},
    hyperparameters: { ...(branch?.request.TrainingJobDefinition.StaticHyperParameters ?? {}), ...listed.tunedHyperparameters },
    instanceType: plan.resources.instanceType,
    instanceCount: plan.resources.instanceCount,
    ...(listed.startedAt !== undefined ? { startedAt: listed.startedAt } : {}),
    ...(listed.endedAt !== undefined ? { endedAt: listed.endedAt } : {}),
    ...(listed.failureReason !== undefined ? { failureReason: listed.failureReason } : {}),
  };
}

/**
 * The campaign as the jobs engine's report reads it: each training job AMT launched is a point of
 * its own (named as the job, so it joins by its exact name), with the hyperparameters it ran with.
 * The leaderboard, snippet and cost of src/report/ then work unchanged.
 */
export function tuningReportPlan(plan: TuningPlan, jobs: readonly JobDetails[]): JobsPlan {
  const points: PlannedJob[] = jobs.map((job, index) => ({
    name: job.name,
    pointId: job.name,
    hyperparameters: { ...job.hyperparameters },
    points: [index + 1],
  }));
  return {
    engine: "jobs",
    campaign: plan.campaign,
    ...(plan.description !== undefined ? { description: plan.description } : {}),
    sweepFile: plan.sweepFile,
    objective: plan.objective,
    // Not how the points were chosen (AMT chose them): the view only ranks them.
    strategy: "random",
    resources: plan.resources,
    data: plan.data,
    limits: plan.limits,
    counts: { expanded: points.length, excluded: 0, duplicates: 0, jobs: points.length },
    jobs: points,
    cost: plan.cost,
    warnings: [],
  };
}
