import pLimit from "p-limit";
import { BackendError, type JobSnapshot, type TrainingBackend } from "../../backend/types.js";
import { matchJobs } from "../../campaign/membership.js";
import { UsageError } from "../../errors.js";
import { campaignPrefix } from "../../plan/job-name.js";
import type { JobsPlan } from "../../plan/types.js";
import { plural } from "../../report/table.js";
import { parseCommandArgs } from "../args.js";
import { EXIT_INVALID, EXIT_OK } from "../errors.js";
import { type HintContext, hintCommand } from "../format/hint.js";
import type { CliIO, Command } from "../io.js";
import { loadPlan, openCampaignWorld, STACK_HELP, STACK_OPTIONS, sweepFileArgument, withSageMaker } from "./campaign-context.js";
import { type CampaignDeps, defaultDeps } from "./deps.js";
import { hintContext } from "./hints.js";
import { stopServerSideRun, withStackCache } from "./server-side.js";
import { stopSummaryJson } from "./stop-summary.js";
import { tuningStop } from "./tuning-stop.js";

const HELP = `Usage: segsweep stop FILE [--yes] [--json] [--stack NAME | --stack-outputs FILE]

Stops every in-progress training job of the sweep file's campaign: its planned jobs and their
automatic retries, never other jobs that merely share the name prefix. SageMaker sends the
training SIGTERM and the job goes Stopping, then Stopped. Running it again stops nothing more.
Stop a running \`segsweep launch\` first (Ctrl-C), or it launches the points still waiting.
With a stack (--stack / --stack-outputs) whose state machine runs the campaign, its Step
Functions execution is stopped first, then its in-progress jobs, explicitly.

  --yes                     do not ask for confirmation (required when not on a terminal)
  --json                    print one JSON object: what was stopped, had ended, failed or was left alone
${STACK_HELP}
`;

/** StopTrainingJob calls at once: the API is rate-limited per account. */
const STOP_PARALLELISM = 4;

type StopOutcome =
  | { readonly job: string; readonly result: "stopped" }
  | { readonly job: string; readonly result: "already"; readonly status: string }
  | { readonly job: string; readonly result: "error"; readonly message: string };

/** `segsweep stop` with its outside world injected. Exit 0 when nothing is left in progress, 1 when a stop failed or was declined. */
export function createStopCommand(deps: CampaignDeps = defaultDeps): Command {
  return async (argv, io) => {
    const { values, positionals } = parseFlags(argv);
    if (values.help) {
      io.stdout.write(HELP);
      return EXIT_OK;
    }
    const file = sweepFileArgument(positionals, "stop", HELP);
    const plan = await loadPlan(file, deps);
    if (plan.engine === "tuning") return tuningStop(plan, { ...values, yes: values.yes === true }, io, deps);
    const world = await openCampaignWorld(values, io, withStackCache(deps), plan);
    try {
      // Server-side campaigns: the execution first, so no child creates another job (server-side.ts).
      if ((await stopServerSideRun(values, io, deps, plan)) === "declined") return EXIT_INVALID;
      const how = { file, yes: values.yes === true, json: values.json === true, hints: hintContext(io, values) };
      return await stopIn(world.backend, plan, how, io);
    } finally {
      await world.close();
    }
  };
}

/** Stops the campaign's in-progress jobs on `backend`, after asking unless --yes. */
async function stopIn(
  backend: TrainingBackend,
  plan: JobsPlan,
  flags: { readonly file: string; readonly yes: boolean; readonly json: boolean; readonly hints: HintContext },
  io: CliIO,
): Promise<number> {
  const { file } = flags;
  const listed = await withSageMaker("list the campaign's jobs", () =>
    backend.listJobs(campaignPrefix(plan.campaign), { signal: io.signal }),
  );
  const { points, unplanned } = matchJobs(plan, listed);
  const attempts = points.flatMap((point) => point.attempts);
  const inProgress = attempts.filter((job) => job.status === "InProgress");
  const stopping = attempts.filter((job) => job.status === "Stopping").length;
  const unplannedRunning = unplanned.filter((job) => job.status === "InProgress");
  if (unplannedRunning.length > 0) {
    io.stderr.write(
      `Not stopping ${plural(unplannedRunning.length, "in-progress job")} named like this campaign's but no longer in ${file} (the file changed since): ${unplannedRunning.map((job) => job.name).join(", ")}.\nStop them one by one with: aws sagemaker stop-training-job --training-job-name NAME\n`,
    );
  }
  const summary = { campaign: plan.campaign, sweepFile: file, alreadyStopping: stopping, leftAlone: unplannedRunning.map((j) => j.name) };
  if (inProgress.length === 0 && flags.json) io.stdout.write(stopSummaryJson(summary, []));
  if (inProgress.length === 0) {
    if (flags.json) return EXIT_OK;
    const already = stopping > 0 ? ` (${plural(stopping, "job")} already stopping)` : "";
    io.stdout.write(`Nothing to stop: no training job of campaign ${plan.campaign} is in progress${already}.\n`);
    return EXIT_OK;
  }

  const question = `Stop ${plural(inProgress.length, "in-progress training job")} of campaign ${plan.campaign}?`;
  if (!flags.yes) {
    if (io.confirm === undefined) throw new UsageError(`${question} Not on a terminal, so nothing was asked: pass --yes to stop them.`);
    if (!(await io.confirm(question))) {
      io.stdout.write(flags.json ? stopSummaryJson(summary, [], true) : "Nothing stopped.\n");
      return EXIT_INVALID;
    }
  }

  const outcomes = await stopAll(backend, inProgress);
  if (flags.json) {
    io.stdout.write(stopSummaryJson(summary, outcomes));
    return outcomes.some((outcome) => outcome.result === "error") ? EXIT_INVALID : EXIT_OK;
  }
  for (const outcome of outcomes) io.stdout.write(`${describeOutcome(outcome)}\n`);
  const stopped = outcomes.filter((outcome) => outcome.result === "stopped").length;
  const failed = outcomes.filter((outcome) => outcome.result === "error");
  io.stdout.write(
    `\nAsked SageMaker to stop ${plural(stopped, "training job")} of campaign ${plan.campaign} (each goes Stopping, then Stopped).\nFollow with: ${hintCommand(flags.hints, "status", file, ["--watch"])}\n`,
  );
  if (failed.length > 0) {
    io.stderr.write(
      `Could not stop ${plural(failed.length, "job")}; run \`${hintCommand(flags.hints, "stop", file)}\` again, or stop them in the SageMaker console.\n`,
    );
    return EXIT_INVALID;
  }
  return EXIT_OK;
}

/** `segsweep stop`. */
export const stop: Command = createStopCommand();

async function stopAll(backend: TrainingBackend, jobs: readonly JobSnapshot[]): Promise<StopOutcome[]> {
  const limit = pLimit(STOP_PARALLELISM);
  return Promise.all(
    jobs.map((job) =>
      limit(async (): Promise<StopOutcome> => {
        try {
          await backend.stopJob(job.name);
          return { job: job.name, result: "stopped" };
        } catch (error) {
          if (!(error instanceof BackendError)) throw error;
          // The job may have ended between the listing and the stop: then there is nothing to stop.
          const now = await backend.describeJob(job.name).catch(() => undefined);
          if (now !== undefined && now.status !== "InProgress") return { job: job.name, result: "already", status: now.status };
          return { job: job.name, result: "error", message: `${error.code}: ${error.message}` };
        }
      }),
    ),
  );
}

function describeOutcome(outcome: StopOutcome): string {
  switch (outcome.result) {
    case "stopped":
      return `  stopping ${outcome.job}`;
    case "already":
      return `  ${outcome.job} was no longer in progress (${outcome.status})`;
    case "error":
      return `  could not stop ${outcome.job}: ${outcome.message}`;
  }
}

function parseFlags(argv: readonly string[]) {
  return parseCommandArgs(
    argv,
    { yes: { type: "boolean", short: "y" }, json: { type: "boolean" }, ...STACK_OPTIONS, help: { type: "boolean", short: "h" } },
    HELP,
  );
}
