import { BackendError } from "../../backend/types.js";
import { readTuningJobs } from "../../campaign/tuning-read.js";
import { UsageError } from "../../errors.js";
import type { TuningPlan } from "../../plan/tuning/types.js";
import { plural } from "../../report/table.js";
import { EXIT_INVALID, EXIT_OK } from "../errors.js";
import { hintCommand } from "../format/hint.js";
import type { CliIO } from "../io.js";
import { withSageMaker } from "./campaign-context.js";
import type { CampaignDeps } from "./deps.js";
import { hintContext } from "./hints.js";
import { type StopResult, stopSummaryJson } from "./stop-summary.js";
import { inTuningWorld, type StackFlags } from "./tuning-campaign.js";

/**
 * `segsweep stop` of a tuning campaign: StopHyperParameterTuningJob for each tuning job in
 * progress (its training jobs stop with it). With --json, the same summary as a jobs campaign's
 * stop (stop-summary.ts), its names being the tuning jobs.
 */
export async function tuningStop(
  plan: TuningPlan,
  options: StackFlags & { readonly yes: boolean; readonly json?: boolean | undefined },
  io: CliIO,
  deps: CampaignDeps,
): Promise<number> {
  const json = options.json === true;
  const hints = hintContext(io, options);
  return inTuningWorld(options, io, deps, plan, async (world) => {
    const views = await withSageMaker("read the campaign's tuning jobs", () => readTuningJobs(world.tuning, plan, io.signal));
    const running = views.filter((view) => view.details?.status === "InProgress");
    const stopping = views.filter((view) => view.details?.status === "Stopping").length;
    const base = { campaign: plan.campaign, sweepFile: plan.sweepFile, alreadyStopping: stopping, leftAlone: [] };
    if (running.length === 0) {
      const already = stopping > 0 ? ` (${plural(stopping, "tuning job")} already stopping)` : "";
      io.stdout.write(
        json ? stopSummaryJson(base, []) : `Nothing to stop: no tuning job of campaign ${plan.campaign} is in progress${already}.\n`,
      );
      return EXIT_OK;
    }
    const trainings = running.reduce((sum, view) => sum + view.trainingJobs.filter((job) => job.status === "InProgress").length, 0);
    const question = `Stop ${plural(running.length, "tuning job")} of campaign ${plan.campaign} (${plural(trainings, "training job")} in progress)?`;
    if (!options.yes) {
      if (io.confirm === undefined) throw new UsageError(`${question} Not on a terminal, so nothing was asked: pass --yes to stop them.`);
      if (!(await io.confirm(question))) {
        io.stdout.write(json ? stopSummaryJson(base, [], true) : "Nothing stopped.\n");
        return EXIT_INVALID;
      }
    }
    const outcomes: StopResult[] = [];
    for (const view of running) {
      try {
        await world.tuning.stopTuningJob(view.name);
        outcomes.push({ job: view.name, result: "stopped" });
        if (!json) io.stdout.write(`  stopping ${view.name}\n`);
      } catch (error) {
        if (!(error instanceof BackendError)) throw error;
        outcomes.push({ job: view.name, result: "error", message: `${error.code}: ${error.message}` });
        if (!json) io.stdout.write(`  could not stop ${view.name}: ${error.code}: ${error.message}\n`);
      }
    }
    const stopped = outcomes.filter((outcome) => outcome.result === "stopped").length;
    io.stdout.write(
      json
        ? stopSummaryJson(base, outcomes)
        : `\nAsked SageMaker to stop ${plural(stopped, "tuning job")} of campaign ${plan.campaign}; their training jobs stop with them (Stopping, then Stopped).\nFollow with: ${hintCommand(hints, "status", plan.sweepFile, ["--watch"])}\n`,
    );
    return stopped < outcomes.length ? EXIT_INVALID : EXIT_OK;
  });
}
