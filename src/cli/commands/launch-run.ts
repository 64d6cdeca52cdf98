import { buildCreateTrainingJobRequest } from "../../backend/request.js";
import { BackendError, type JobDetails } from "../../backend/types.js";
import { UserError } from "../../errors.js";
import { checkBudget, worstCaseLine } from "../../launch/budget.js";
import { type CampaignResult, runCampaign } from "../../launch/campaign.js";
import type { LaunchObserver } from "../../launch/events.js";
import { fileJournal, memoryJournal } from "../../launch/journal.js";
import { createProgress, openEventLog } from "../../launch/progress.js";
import { reconcile } from "../../launch/reconcile.js";
import { countPoints, type JobRecord } from "../../launch/records.js";
import { simulatedStackOutputs } from "../../launch/simulate.js";
import type { LaunchWorld } from "../../launch/world.js";
import type { LaunchPlan } from "../../plan/types.js";
import { renderReport } from "../../report/render/index.js";
import { summarizeCampaign } from "../../report/summarize.js";
import { EXIT_INTERRUPTED, EXIT_INVALID, EXIT_OK } from "../errors.js";
import type { CliIO } from "../io.js";
import type { LaunchDeps, LaunchFlags } from "./launch-options.js";

/** The default base poll interval: a 2-hour job is looked at 240 times, in one listing for the whole campaign. */
export const DEFAULT_POLL_INTERVAL_MS = 30_000;

/** `segsweep launch` once the plan is known: stack, dry run, budget, confirmation, the campaign, the report. */
export async function runLaunch(plan: LaunchPlan, flags: LaunchFlags, io: CliIO, deps: LaunchDeps): Promise<number> {
  const region = io.env.AWS_REGION?.trim() || "us-east-1";
  const stack = flags.simulate
    ? simulatedStackOutputs(region)
    : await deps.readStackOutputs(flags.stackSource, { cwd: io.cwd, env: io.env });
  const gitCommit = await deps.gitCommit(flags.file, io.cwd);
  const context = gitCommit !== undefined ? { gitCommit } : {};
  if (flags.dryRun) {
    const requests = plan.jobs.map((job) => buildCreateTrainingJobRequest(plan, job, 0, stack, context));
    io.stdout.write(`${JSON.stringify(requests, null, 2)}\n`);
    return EXIT_OK;
  }
  io.stderr.write(`${worstCaseLine(plan)}\n`);
  checkBudget(plan);

  const maxConcurrency = flags.maxConcurrency ?? plan.limits.maxConcurrency;
  const world = flags.simulate
    ? await deps.simulate(plan, { region, maxConcurrency })
    : await deps.connect(stack, io.env, deps.clock, plan.campaign);
  try {
    return await launchIn(world, plan, flags, io, context);
  } finally {
    await world.close();
  }
}

async function launchIn(
  world: LaunchWorld,
  plan: LaunchPlan,
  flags: LaunchFlags,
  io: CliIO,
  context: { gitCommit?: string },
): Promise<number> {
  const { backend, clock, simulated } = world;
  const mark = simulated ? "[simulated] " : "";
  const journal = simulated ? memoryJournal() : fileJournal(io.cwd, plan.campaign);
  const maxRetries = 2;
  const reconciled = await explained("list the campaign's jobs on SageMaker", flags.file, () =>
    reconcile({ plan, backend, journal, maxRetries }),
  );
  const before = countPoints(reconciled.records);
  const existing = before.total - before.queued;
  io.stderr.write(
    `${mark}Campaign ${plan.campaign}: ${plan.jobs.length} points; on SageMaker already: ${existing} ` +
      `(${before.running} running, ${before.done} done, ${before.failed} failed, ${before.stopped} stopped); to launch: ${before.queued}.\n`,
  );
  if (reconciled.unplanned.length > 0) {
    io.stderr.write(
      `${mark}${reconciled.unplanned.length} jobs named ${plan.campaign}-… are not in this plan (the sweep file changed?); they are left alone.\n`,
    );
  }
  if (before.queued > 0 && !flags.yes && !simulated && io.confirm !== undefined) {
    if (!(await io.confirm(`Launch ${before.queued} training jobs on ${plan.resources.instanceType}?`))) {
      io.stderr.write("Nothing launched.\n");
      return EXIT_INVALID;
    }
  }

  const progress = createProgress({ stream: io.stderr, tty: io.stderr.isTTY === true, simulated, objective: plan.objective });
  const log = flags.eventsFile !== undefined ? openEventLog(flags.eventsFile, simulated, () => clock.now()) : undefined;
  const observe: LaunchObserver = (event, view) => {
    progress.observe(event, view);
    log?.observe(event, view);
  };
  const onInterrupt = (): void => {
    io.stderr.write(`\n${mark}Ctrl-C: launching no more jobs; jobs already running keep running. (Ctrl-C again to quit at once.)\n`);
  };
  io.signal.addEventListener("abort", onInterrupt, { once: true });
  let result: CampaignResult;
  try {
    result = await runCampaign(
      {
        plan,
        backend,
        clock,
        journal,
        observe,
        maxConcurrency: flags.maxConcurrency ?? plan.limits.maxConcurrency,
        pollIntervalMs: flags.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
        signal: io.signal,
        maxRetries,
        buildRequest: (job, attempt) => buildCreateTrainingJobRequest(plan, job, attempt, world.stack, context),
        ...(world.events !== undefined ? { events: world.events } : {}),
        ...(flags.launchRate !== undefined
          ? { launchRate: { perSecond: flags.launchRate, burst: Math.max(1, Math.ceil(flags.launchRate)) } }
          : world.launchRate !== undefined
            ? { launchRate: world.launchRate }
            : {}),
      },
      reconciled,
    );
  } finally {
    io.signal.removeEventListener("abort", onInterrupt);
    progress.finish();
    log?.close();
  }

  const jobs = [...result.records.values()].flatMap((record) => jobDetails(record, plan));
  io.stdout.write(renderReport(summarizeCampaign(plan, jobs, { simulated }), "table"));
  io.stderr.write(`${mark}${apiCallsLine(world)}\n`);
  return finish(result, plan, flags, io, mark, simulated);
}

function finish(result: CampaignResult, plan: LaunchPlan, flags: LaunchFlags, io: CliIO, mark: string, simulated: boolean): number {
  const running = countPoints(result.records).running;
  const stillRunning =
    running === 0
      ? ""
      : simulated
        ? `${running} simulated jobs were still running; they end with this process (nothing ran on AWS).\n`
        : `${running} training job${running === 1 ? " is" : "s are"} still running on SageMaker and cost money until ${running === 1 ? "it ends" : "they end"}.\n` +
          `  Follow them and launch the rest:  segsweep launch ${flags.file}\n` +
          `  Stop them:                        segsweep stop ${flags.file}\n`;
  switch (result.outcome) {
    case "finished":
      return EXIT_OK;
    case "interrupted":
      io.stderr.write(`${mark}Interrupted. ${stillRunning || "No job is running.\n"}`);
      return EXIT_INTERRUPTED;
    case "failure-limit":
      io.stderr.write(
        `${mark}Stopped launching: ${countPoints(result.records).failed} trainings failed, more than limits.max_failures (${plan.limits.maxFailures}). ` +
          `Look at the failure reasons above, fix the sweep file, and launch again.\n${stillRunning}`,
      );
      return EXIT_INVALID;
    case "error":
      throw asUserError(result.error, "run the campaign", stillRunning, flags.file);
  }
}

/** What the report gets for a record: details of ended jobs, a snapshot of running ones, nothing for unlaunched ones. */
function jobDetails(record: JobRecord, plan: LaunchPlan): JobDetails[] {
  if (record.details !== undefined) return [record.details];
  if (record.status !== "in-progress") return [];
  const planned = plan.jobs.find((job) => job.name === record.plannedName);
  return [
    {
      name: record.name,
      status: "InProgress",
      createdAt: record.createdAt ?? 0,
      metrics: {},
      hyperparameters: { ...(planned?.hyperparameters ?? {}) },
      ...(record.secondaryStatus !== undefined ? { secondaryStatus: record.secondaryStatus } : {}),
    },
  ];
}

function apiCallsLine(world: LaunchWorld): string {
  const calls = Object.entries(world.backend.calls);
  const total = calls.reduce((sum, [, count]) => sum + count, 0);
  const sqs = world.events !== undefined ? Object.entries(world.events.calls) : [];
  const sqsPart = sqs.length > 0 ? `; SQS: ${sqs.map(([op, count]) => `${op} ${count}`).join(", ")}` : "";
  return `SageMaker API calls: ${total} (${calls.map(([op, count]) => `${op} ${count}`).join(", ")})${sqsPart}`;
}

async function explained<T>(what: string, file: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw asUserError(error, what, "", file);
  }
}

/** A BackendError as a message that says what to do; anything else is a bug and stays as it is. */
function asUserError(error: unknown, what: string, suffix: string, file: string): unknown {
  if (!(error instanceof BackendError)) return error;
  const hint =
    error.kind === "access-denied"
      ? "\nCheck the AWS credentials (AWS_PROFILE) and that they carry the stack's operator policy (stack output operatorPolicyArn)."
      : error.kind === "validation"
        ? `\nSageMaker refused the request; \`segsweep launch ${file} --dry-run\` prints the requests.`
        : error.kind === "throttled" || error.kind === "transient"
          ? "\nSageMaker kept refusing or failing; try again in a minute."
          : "";
  return new UserError(`Could not ${what}: ${error.code}: ${error.message}${hint}${suffix ? `\n${suffix}` : ""}`);
}
