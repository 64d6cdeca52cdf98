import type { TuningBackend } from "../../backend/tuning.js";
import { isTerminal } from "../../backend/types.js";
import { readTuningCampaignJobs, readTuningJobs, type TuningJobView, tuningReportPlan } from "../../campaign/tuning-read.js";
import type { World } from "../../campaign/world.js";
import { UserError } from "../../errors.js";
import type { TuningPlan } from "../../plan/tuning/types.js";
import { withJobTimings } from "../../report/job-timing.js";
import { type ReportFormat, renderReport } from "../../report/render/index.js";
import { renderStatus, summarizeStatus } from "../../report/status-view.js";
import { summarizeCampaign } from "../../report/summarize.js";
import { plural } from "../../report/table.js";
import { renderTuningJobs, summarizeTuningJobs, type TuningJobSummary } from "../../report/tuning.js";
import { EXIT_OK } from "../errors.js";
import type { CliIO } from "../io.js";
import { openCampaignWorld, withSageMaker } from "./campaign-context.js";
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
  readonly simulate?: boolean | undefined;
}

/** The campaign's world (openCampaignWorld: the stack's region, or the kept rehearsal with --simulate), with its tuning client. */
export async function openTuningWorld(
  flags: StackFlags,
  io: CliIO,
  deps: CampaignDeps,
  plan: TuningPlan,
): Promise<World & { tuning: TuningBackend }> {
  const world = await openCampaignWorld(flags, io, deps, plan);
  const tuning = world.tuning;
  if (tuning === undefined) {
    await world.close();
    throw new UserError("This connection to SageMaker has no tuning-job client; tuning campaigns cannot be read here.");
  }
  return { ...world, tuning };
}

/** Opens the campaign's world for `use`, and closes it (a kept rehearsal saves its state) however `use` ends. */
export async function inTuningWorld<T>(
  flags: StackFlags,
  io: CliIO,
  deps: CampaignDeps,
  plan: TuningPlan,
  use: (world: World & { tuning: TuningBackend }) => Promise<T>,
): Promise<T> {
  const world = await openTuningWorld(flags, io, deps, plan);
  try {
    return await use(world);
  } finally {
    await world.close();
  }
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
  return inTuningWorld(options, io, deps, plan, async (world) => {
    for (;;) {
      const read = await readCampaign(plan, world, io.signal);
      const view = summarizeStatus(read.reportPlan, read.jobs, new Map(read.jobs.map((job) => [job.name, job])), world.clock.now());
      if (options.json) {
        const json = { ...view, tuningJobs: read.tuningJobs };
        io.stdout.write(options.watch ? `${JSON.stringify(json)}\n` : `${JSON.stringify(json, null, 2)}\n`);
      } else {
        io.stdout.write(`${renderStatus(view)}\n${renderTuningJobs(read.tuningJobs)}${notLaunched(plan, read.tuningJobs)}`);
      }
      if (!options.watch || ended(read.views) || io.signal.aborted) return EXIT_OK;
      try {
        await world.clock.sleep(options.intervalMs, io.signal);
      } catch {
        return EXIT_OK; // Ctrl-C while waiting: the tuning jobs keep running.
      }
    }
  });
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
  return inTuningWorld(options, io, deps, plan, async (world) => {
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
  });
}
