import type { TuningBackend, TuningJobDetails, TuningTrainingJob } from "../../backend/tuning.js";
import { buildCreateTuningJobRequest } from "../../backend/tuning-request.js";
import { isTerminal } from "../../backend/types.js";
import { UserError } from "../../errors.js";
import type { TuningPlan } from "../../plan/tuning/types.js";
import type { CampaignView, LaunchObserver } from "../events.js";
import type { PointCounts } from "../state.js";
import { classifyJob } from "../states.js";
import {
  describeTuningJobs,
  readTuningCampaignJobs,
  readTuningJobs,
  type TuningJobView,
  tuningJobNames,
  tuningReportPlan,
} from "../tuning-read.js";
import type { CampaignEngine, LaunchOutcome, LaunchSetup, PreparedLaunch } from "./types.js";

/**
 * The tuning engine: one SageMaker Automatic Model Tuning job per branch of the plan. AMT chooses
 * the points and launches the training jobs itself; segsweep creates the tuning jobs (an existing
 * tuning job of the planned name is this campaign's: creating is idempotent), then follows them
 * by polling until every one has ended, or returns at once (`launch --detach`). Ctrl-C leaves them
 * running on SageMaker, and says so. docs/tuning.md.
 */
export const tuningEngine: CampaignEngine<TuningPlan> = {
  engine: "tuning",
  requests: (plan, stack, context) => plan.branches.map((branch) => buildCreateTuningJobRequest(plan, branch, stack, context)),
  prepare,
};

async function prepare(plan: TuningPlan, setup: LaunchSetup): Promise<PreparedLaunch> {
  const tuning = tuningBackendOf(setup);
  const existing = await describeTuningJobs(tuning, plan);
  return {
    before: countsOf(plan, existing, []),
    unplanned: [],
    unreadable: [],
    run: (observe) => run(plan, setup, tuning, existing, observe),
  };
}

function tuningBackendOf(setup: LaunchSetup): TuningBackend {
  if (setup.world.tuning === undefined)
    throw new UserError("This connection to SageMaker has no tuning-job client; the tuning engine cannot run here.");
  return setup.world.tuning;
}

async function run(
  plan: TuningPlan,
  setup: LaunchSetup,
  tuning: TuningBackend,
  existing: readonly (TuningJobDetails | undefined)[],
  observe: LaunchObserver,
): Promise<LaunchOutcome> {
  const started = setup.world.clock.now();
  const seen = new Map<string, TuningTrainingJob["status"]>();
  let view: CampaignView = { counts: countsOf(plan, existing, []), costUsd: null, concurrency: parallelOf(plan), elapsedMs: 0 };
  let known: readonly (TuningJobDetails | undefined)[] = existing;
  let last: TuningJobView[] = [];
  try {
    for (const [index, branch] of plan.branches.entries()) {
      if (existing[index] !== undefined || setup.signal.aborted) continue;
      const result = await tuning.createTuningJob(buildCreateTuningJobRequest(plan, branch, setup.stack, setup.context));
      observe({ type: "created", name: branch.request.HyperParameterTuningJobName, attempt: 0, existed: result === "exists" }, view);
    }
    for (;;) {
      const views = await readTuningJobs(tuning, plan, setup.signal, last);
      last = views;
      const training = views.flatMap((v) => v.trainingJobs);
      const details = views.map((v) => v.details);
      known = details;
      view = { ...view, counts: countsOf(plan, details, training), elapsedMs: setup.world.clock.now() - started };
      for (const job of training) tell(job, seen, view, observe);
      const ended = details.every((d) => d !== undefined && !isRunning(d));
      if (setup.signal.aborted) return await outcomeOf(plan, setup, views, { outcome: "interrupted" }, runningNote(plan, setup, details));
      if (ended) return await outcomeOf(plan, setup, views, failedOf(views), undefined);
      if (setup.detach) return await outcomeOf(plan, setup, views, { outcome: "finished" }, runningNote(plan, setup, details));
      await setup.world.clock.sleep(setup.pollIntervalMs, setup.signal).catch(() => undefined);
    }
  } catch (error) {
    const bare = { counts: view.counts, running: view.counts.running, jobs: [], terminated: new Map<string, string>() };
    // Ctrl-C during a call: the call's abort is no error; the tuning jobs run on.
    if (setup.signal.aborted) return { ...bare, outcome: "interrupted", note: runningNote(plan, setup, known, true) };
    return { ...bare, outcome: "error", error, note: runningNote(plan, setup, known, true) };
  }
}

/** Says what changed about one training job since the last look. */
function tell(job: TuningTrainingJob, seen: Map<string, TuningTrainingJob["status"]>, view: CampaignView, observe: LaunchObserver): void {
  const before = seen.get(job.name);
  if (before === job.status) return;
  seen.set(job.name, job.status);
  if (!isTerminal(job.status)) {
    observe({ type: "status", name: job.name, status: job.status }, view);
    return;
  }
  const state = classifyJob({ status: job.status, ...(job.failureReason !== undefined ? { failureReason: job.failureReason } : {}) });
  observe(
    {
      type: "ended",
      name: job.name,
      state: state.state,
      ...(state.cause !== undefined ? { cause: state.cause } : {}),
      ...(job.failureReason !== undefined ? { failureReason: job.failureReason } : {}),
      ...(job.objective !== undefined ? { metric: job.objective.value } : {}),
    },
    view,
  );
}

/** A campaign whose tuning job failed has failed: the report still shows what ran, then the reason. */
function failedOf(views: readonly TuningJobView[]): Pick<LaunchOutcome, "outcome" | "error"> {
  const failed = views.filter((view) => view.details?.status === "Failed");
  if (failed.length === 0) return { outcome: "finished" };
  const reasons = failed.map((view) => `${view.name}: ${view.details?.failureReason ?? "no reason given"}`);
  return { outcome: "error", error: new UserError(`${failed.length} tuning job(s) of the campaign failed.\n${reasons.join("\n")}`) };
}

function isRunning(details: TuningJobDetails): boolean {
  return details.status === "InProgress" || details.status === "Stopping";
}

/** MaxParallelTrainingJobs over the tuning jobs: the most training jobs in progress at once. */
function parallelOf(plan: TuningPlan): number {
  return plan.branches.reduce((sum, b) => sum + b.request.HyperParameterTuningJobConfig.ResourceLimits.MaxParallelTrainingJobs, 0);
}

/**
 * The campaign's training jobs counted as points: each MaxNumberOfTrainingJobs slot is a point;
 * one not launched yet is queued (a tuning job that ended early leaves its slots unlaunched).
 */
export function countsOf(
  plan: TuningPlan,
  details: readonly (TuningJobDetails | undefined)[],
  training: readonly TuningTrainingJob[],
): PointCounts {
  const counters = details.flatMap((d) => (d === undefined ? [] : [d.trainingJobs]));
  const sum = (pick: (c: TuningJobDetails["trainingJobs"]) => number) => counters.reduce((total, c) => total + pick(c), 0);
  // The listing when there is one (it tells Stopping apart), else the tuning jobs' counters.
  const done = training.length > 0 ? training.filter((j) => j.status === "Completed").length : sum((c) => c.completed);
  const failed =
    training.length > 0 ? training.filter((j) => j.status === "Failed").length : sum((c) => c.retryableError + c.nonRetryableError);
  const stopped = training.length > 0 ? training.filter((j) => j.status === "Stopped").length : sum((c) => c.stopped);
  const running = training.length > 0 ? training.filter((j) => !isTerminal(j.status)).length : sum((c) => c.inProgress);
  const launched = done + failed + stopped + running;
  return {
    total: plan.maxTrainingJobs,
    done,
    running,
    queued: Math.max(0, plan.maxTrainingJobs - launched),
    failed,
    stopped,
    terminated: 0,
  };
}

/**
 * What still runs on SageMaker when launch returns before the tuning jobs ended. `created`: the
 * tuning jobs created this run count too (their state was not read again).
 */
function runningNote(plan: TuningPlan, setup: LaunchSetup, details: readonly (TuningJobDetails | undefined)[], created = false): string {
  const names = tuningJobNames(plan).filter((_, index) => {
    const d = details[index];
    return d !== undefined ? isRunning(d) : created;
  });
  if (setup.world.simulated)
    return `${names.length} simulated tuning job(s) were still running; they end with this process (nothing ran on AWS).`;
  return (
    `${names.length} tuning job(s) keep running on SageMaker (${names.join(", ")}) and launch training jobs up to their MaxNumberOfTrainingJobs, costing money until they end.\n` +
    `  Follow them:  segsweep status ${plan.sweepFile} --watch  (or segsweep launch ${plan.sweepFile} again)\n` +
    `  Stop them:    segsweep stop ${plan.sweepFile}`
  );
}

async function outcomeOf(
  plan: TuningPlan,
  setup: LaunchSetup,
  views: readonly TuningJobView[],
  end: Pick<LaunchOutcome, "outcome" | "error">,
  note: string | undefined,
): Promise<LaunchOutcome> {
  const jobs = await readTuningCampaignJobs(setup.world.backend, plan, views);
  const counts = countsOf(
    plan,
    views.map((v) => v.details),
    views.flatMap((v) => v.trainingJobs),
  );
  return {
    ...end,
    counts,
    running: counts.running,
    jobs,
    terminated: new Map(),
    reportPlan: tuningReportPlan(plan, jobs),
    ...(note !== undefined ? { note } : {}),
  };
}
