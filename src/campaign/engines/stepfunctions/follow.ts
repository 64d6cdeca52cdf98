import type { Clock } from "../../../backend/clock.js";
import type { ExecutionSummary, MapRunSummary, StepFunctionsBackend } from "../../../backend/stepfunctions.js";
import type { JobSnapshot, TrainingBackend, TrainingJobStatus } from "../../../backend/types.js";
import { UserError } from "../../../errors.js";
import { campaignPrefix } from "../../../plan/job-name.js";
import type { JobsPlan } from "../../../plan/types.js";
import type { CampaignView, LaunchObserver } from "../../events.js";
import { matchJobs } from "../../membership.js";
import { readCampaignJobs } from "../../read.js";
import type { PointCounts } from "../../state.js";
import { classifyJob } from "../../states.js";
import type { LaunchOutcome } from "../types.js";

/**
 * Follows a server-side campaign from this machine (`launch --runner stepfunctions --follow`):
 * one listing of the campaign's jobs and one DescribeExecution per poll interval, the jobs'
 * changes told as the launcher tells them (so the usual progress line shows them), until the
 * execution ends. Ctrl-C leaves: the execution runs on. Never throws: the outcome says how it ended.
 */
export interface FollowOptions {
  readonly plan: JobsPlan;
  readonly backend: TrainingBackend;
  readonly stepFunctions: StepFunctionsBackend;
  readonly executionArn: string;
  readonly clock: Clock;
  readonly pollIntervalMs: number;
  readonly signal: AbortSignal;
  readonly observe: LaunchObserver;
  /** The execution's maxConcurrency (--max-concurrency), for the progress line; default the plan's. */
  readonly maxConcurrency?: number;
  /** The campaign's jobs as listed before the start. */
  readonly known?: readonly JobSnapshot[];
}

const ENDED: ReadonlySet<TrainingJobStatus> = new Set(["Completed", "Failed", "Stopped", "Deleting"]);

/** Follows until the execution ends, Ctrl-C, or a call keeps failing. */
export async function followExecution(options: FollowOptions): Promise<LaunchOutcome> {
  const { plan, clock, signal } = options;
  const startedAt = clock.now();
  // What was listed before the start is the campaign's past, not news: only changes since are told.
  const seen = new Map<string, TrainingJobStatus>((options.known ?? []).map((job) => [job.name, job.status]));
  let listed: readonly JobSnapshot[] = [];
  let execution: ExecutionSummary | undefined;
  try {
    for (;;) {
      listed = await options.backend.listJobs(campaignPrefix(plan.campaign), { signal });
      const view: CampaignView = {
        counts: countPoints(plan, listed),
        costUsd: null,
        concurrency: options.maxConcurrency ?? plan.limits.maxConcurrency,
        elapsedMs: clock.now() - startedAt,
      };
      for (const job of listed) tell(options.observe, job, seen, view);
      execution = await options.stepFunctions.describe(options.executionArn);
      if (execution.status !== "RUNNING") break;
      await clock.sleep(options.pollIntervalMs, signal);
    }
  } catch (error) {
    return ended(options, listed, signal.aborted ? "interrupted" : "error", signal.aborted ? undefined : error);
  }
  return finished(options, listed, execution);
}

/** Tells a job's change once: its status, and its end as the progress line shows ends. */
function tell(observe: LaunchObserver, job: JobSnapshot, seen: Map<string, TrainingJobStatus>, view: CampaignView): void {
  if (seen.get(job.name) === job.status) return;
  seen.set(job.name, job.status);
  if (!ENDED.has(job.status)) {
    observe(
      { type: "status", name: job.name, status: job.status, ...(job.secondaryStatus ? { secondaryStatus: job.secondaryStatus } : {}) },
      view,
    );
    return;
  }
  const { state, cause } = classifyJob(job);
  observe({ type: "ended", name: job.name, state, ...(cause !== undefined ? { cause } : {}) }, view);
}

/** How the execution ended, as an outcome: the failure budget when its Map Run failed past it. */
async function finished(options: FollowOptions, listed: readonly JobSnapshot[], execution: ExecutionSummary): Promise<LaunchOutcome> {
  if (execution.status === "SUCCEEDED") return ended(options, listed, "finished");
  let runs: MapRunSummary[] = [];
  try {
    runs = await options.stepFunctions.mapRuns(execution.arn);
  } catch {
    // The counts only refine the message; the execution's own status is known.
  }
  const overBudget = runs.some((run) => run.status === "FAILED" && run.items.failed + run.items.timedOut > run.toleratedFailureCount);
  if (overBudget) return ended(options, listed, "failure-limit");
  const why = [execution.error, execution.cause].filter((part) => part !== undefined && part !== "").join(": ");
  return ended(options, listed, "error", new UserError(`Execution ${execution.name} ended ${execution.status}${why ? ` (${why})` : ""}.`));
}

/** The outcome with every job as SageMaker has it (one Search per 100), for the report. */
async function ended(
  options: FollowOptions,
  listed: readonly JobSnapshot[],
  outcome: LaunchOutcome["outcome"],
  error?: unknown,
): Promise<LaunchOutcome> {
  const jobs = await readCampaignJobs(options.backend, options.plan.campaign).catch(() => []);
  const latest = jobs.length > 0 ? jobs : listed.map((job) => ({ ...job, metrics: {}, hyperparameters: {} }));
  return {
    outcome,
    ...(error !== undefined ? { error } : {}),
    counts: countPoints(options.plan, latest),
    running: latest.filter((job) => job.status === "InProgress" || job.status === "Stopping").length,
    jobs: latest,
    terminated: new Map(),
  };
}

/** Points per state from a listing (each point by its latest attempt). */
export function countPoints(plan: JobsPlan, jobs: readonly JobSnapshot[]): PointCounts {
  const counts = { total: plan.jobs.length, done: 0, running: 0, queued: 0, failed: 0, stopped: 0, terminated: 0 };
  for (const point of matchJobs(plan, jobs).points) {
    if (point.latest === undefined) {
      counts.queued++;
      continue;
    }
    const { state } = classifyJob(point.latest);
    if (state === "completed") counts.done++;
    else if (state === "in-progress" || state === "stopping") counts.running++;
    else if (state === "failed") counts.failed++;
    else counts.stopped++;
  }
  return counts;
}
