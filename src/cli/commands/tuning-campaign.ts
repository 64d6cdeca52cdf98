import type { TuningBackend } from "../../backend/tuning.js";
import { BackendError, isTerminal } from "../../backend/types.js";
import { readTuningCampaignJobs, readTuningJobs, type TuningJobView, tuningReportPlan } from "../../campaign/tuning-read.js";
import type { World } from "../../campaign/world.js";
import { UsageError, UserError } from "../../errors.js";
import type { TuningPlan } from "../../plan/tuning/types.js";
import { withJobTimings } from "../../report/job-timing.js";
import { type ReportFormat, renderReport } from "../../report/render/index.js";
import { renderStatus, summarizeStatus } from "../../report/status-view.js";
import { summarizeCampaign } from "../../report/summarize.js";
import { plural } from "../../report/table.js";
import { renderTuningJobs, summarizeTuningJobs, type TuningJobSummary } from "../../report/tuning.js";
import { EXIT_INVALID, EXIT_OK } from "../errors.js";
import type { CliIO } from "../io.js";
import { withSageMaker } from "./campaign-context.js";
import type { CampaignDeps } from "./deps.js";

/**
 * `status`, `report` and `stop` for a campaign on the tuning engine (docs/tuning.md): the
 * commands plan the sweep file, see `engine: "tuning"`, and hand over here. The campaign is its
 * tuning jobs, by the names the plan gives them, and the training jobs AMT launched for them.
 */

/** The stack flags the three commands share. */
export interface StackFlags {
  readonly stack?: string | undefined;
  readonly "stack-outputs"?: string | undefined;
}

/** Connects in the stack's region (as openBackend does), keeping the tuning client too. */
export async function openTuningWorld(
  flags: StackFlags,
  io: CliIO,
  deps: CampaignDeps,
  campaign: string,
): Promise<World & { tuning: TuningBackend }> {
  if (flags.stack !== undefined && flags["stack-outputs"] !== undefined) throw new UsageError("Pass --stack or --stack-outputs, not both.");
  let region: string | undefined;
  if (flags["stack-outputs"] !== undefined)
    region = (await deps.readStackOutputs({ file: flags["stack-outputs"] }, { cwd: io.cwd, env: io.env })).region;
  else if (flags.stack !== undefined) region = (await deps.readStackOutputs({ stack: flags.stack }, { cwd: io.cwd, env: io.env })).region;
  else
    region = [io.env.AWS_REGION, io.env.AWS_DEFAULT_REGION]
      .map((value) => value?.trim())
      .find((value) => value !== undefined && value !== "");
  if (region === undefined) {
    throw new UserError(
      "No AWS region: pass --stack NAME (or --stack-outputs FILE) to use the stack's region, or set one, e.g.\n  export AWS_REGION=us-east-1",
    );
  }
  const world = await deps.connect({ region, env: io.env, clock: deps.clock, campaign });
  const tuning = world.tuning;
  if (tuning === undefined)
    throw new UserError("This connection to SageMaker has no tuning-job client; tuning campaigns cannot be read here.");
  return { ...world, tuning };
}

/** Everything status and report show of a tuning campaign, read once. */
async function readCampaign(plan: TuningPlan, world: World & { tuning: TuningBackend }, signal: AbortSignal) {
  return withSageMaker("read the campaign's tuning jobs", async () => {
    const views = await readTuningJobs(world.tuning, plan, signal);
    const jobs = await readTuningCampaignJobs(world.backend, plan, views, signal);
    const tuningJobs = summarizeTuningJobs(
      views,
      plan.branches.map((b) => b.request.HyperParameterTuningJobConfig.ResourceLimits.MaxNumberOfTrainingJobs),
      new Map(jobs.map((job) => [job.name, job.secondaryStatus])),
    );
    // Ended jobs SageMaker gave no billable time for (Search had no record yet): their cost is unknown, not $0.
    const costUnknown = jobs
      .filter((job) => isTerminal(job.status) && job.status !== "Failed" && job.billableSeconds === undefined)
      .map((job) => job.name);
    return { views, jobs, tuningJobs, costUnknown, reportPlan: tuningReportPlan(plan, jobs) };
  });
}

function ended(views: readonly TuningJobView[]): boolean {
  return views.every((view) => view.details === undefined || (view.details.status !== "InProgress" && view.details.status !== "Stopping"));
}

/** `segsweep status` of a tuning campaign: the training jobs AMT launched, and the tuning jobs. `--watch` refreshes until they end. */
export async function tuningStatus(
  plan: TuningPlan,
  options: StackFlags & { readonly json: boolean; readonly watch: boolean; readonly intervalMs: number },
  io: CliIO,
  deps: CampaignDeps,
): Promise<number> {
  const world = await openTuningWorld(options, io, deps, plan.campaign);
  for (;;) {
    const read = await readCampaign(plan, world, io.signal);
    const view = summarizeStatus(read.reportPlan, read.jobs, new Map(read.jobs.map((job) => [job.name, job])), deps.clock.now());
    if (options.json) {
      const json = { ...view, tuningJobs: read.tuningJobs };
      io.stdout.write(options.watch ? `${JSON.stringify(json)}\n` : `${JSON.stringify(json, null, 2)}\n`);
    } else {
      io.stdout.write(`${renderStatus(view)}\n${renderTuningJobs(read.tuningJobs)}${notLaunched(plan, read.tuningJobs)}`);
    }
    if (!options.watch || ended(read.views) || io.signal.aborted) return EXIT_OK;
    try {
      await deps.clock.sleep(options.intervalMs, io.signal);
    } catch {
      return EXIT_OK; // Ctrl-C while waiting: the tuning jobs keep running.
    }
  }
}

function costUnknownLine(names: readonly string[]): string {
  if (names.length === 0) return "";
  return `Cost unknown for ${plural(names.length, "ended training job")} (SageMaker gave no billable time yet; not in the total): ${names.join(", ")}.\n`;
}

function notLaunched(plan: TuningPlan, summaries: readonly TuningJobSummary[]): string {
  const missing = summaries.filter((s) => s.status === "not-started").length;
  return missing === 0 ? "" : `${plural(missing, "tuning job")} not created yet: \`segsweep launch ${plan.sweepFile}\` creates them.\n`;
}

/** `segsweep report` of a tuning campaign: the leaderboard of AMT's training jobs, and the tuning jobs. */
export async function tuningReport(
  plan: TuningPlan,
  options: StackFlags & { readonly format: ReportFormat },
  io: CliIO,
  deps: CampaignDeps,
): Promise<string> {
  const world = await openTuningWorld(options, io, deps, plan.campaign);
  const read = await readCampaign(plan, world, io.signal);
  const report = withJobTimings(summarizeCampaign(read.reportPlan, read.jobs), read.reportPlan, read.jobs);
  switch (options.format) {
    case "table":
      return `${renderReport(report, "table")}\n${renderTuningJobs(read.tuningJobs)}${costUnknownLine(read.costUnknown)}`;
    case "json":
      return `${JSON.stringify({ ...report, tuningJobs: read.tuningJobs, costUnknownJobs: read.costUnknown }, null, 2)}\n`;
    default:
      return renderReport(report, options.format);
  }
}

/** `segsweep stop` of a tuning campaign: StopHyperParameterTuningJob for each tuning job in progress (its training jobs stop with it). */
export async function tuningStop(
  plan: TuningPlan,
  options: StackFlags & { readonly yes: boolean },
  io: CliIO,
  deps: CampaignDeps,
): Promise<number> {
  const world = await openTuningWorld(options, io, deps, plan.campaign);
  const views = await withSageMaker("read the campaign's tuning jobs", () => readTuningJobs(world.tuning, plan, io.signal));
  const running = views.filter((view) => view.details?.status === "InProgress");
  if (running.length === 0) {
    const stopping = views.filter((view) => view.details?.status === "Stopping").length;
    const already = stopping > 0 ? ` (${plural(stopping, "tuning job")} already stopping)` : "";
    io.stdout.write(`Nothing to stop: no tuning job of campaign ${plan.campaign} is in progress${already}.\n`);
    return EXIT_OK;
  }
  const trainings = running.reduce((sum, view) => sum + view.trainingJobs.filter((job) => job.status === "InProgress").length, 0);
  const question = `Stop ${plural(running.length, "tuning job")} of campaign ${plan.campaign} (${plural(trainings, "training job")} in progress)?`;
  if (!options.yes) {
    if (io.confirm === undefined) throw new UsageError(`${question} Not on a terminal, so nothing was asked: pass --yes to stop them.`);
    if (!(await io.confirm(question))) {
      io.stdout.write("Nothing stopped.\n");
      return EXIT_INVALID;
    }
  }
  let failed = 0;
  for (const view of running) {
    try {
      await world.tuning.stopTuningJob(view.name);
      io.stdout.write(`  stopping ${view.name}\n`);
    } catch (error) {
      if (!(error instanceof BackendError)) throw error;
      failed++;
      io.stdout.write(`  could not stop ${view.name}: ${error.code}: ${error.message}\n`);
    }
  }
  io.stdout.write(
    `\nAsked SageMaker to stop ${plural(running.length - failed, "tuning job")} of campaign ${plan.campaign}; their training jobs stop with them (Stopping, then Stopped).\nFollow with: segsweep status ${plan.sweepFile} --watch\n`,
  );
  return failed > 0 ? EXIT_INVALID : EXIT_OK;
}
