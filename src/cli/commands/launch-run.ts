import { adviseOn } from "../../backend/advice.js";
import type { Identity } from "../../backend/identity.js";
import { describeIdentity } from "../../backend/identity.js";
import type { RequestContext } from "../../backend/request.js";
import { checkBudget } from "../../campaign/budget.js";
import { earlyTerminationFor } from "../../campaign/early-termination-setup.js";
import { engineFor, reportPlanOf } from "../../campaign/engines/index.js";
import type { LaunchOutcome, PreparedLaunch } from "../../campaign/engines/types.js";
import { type Journal, memoryJournal } from "../../campaign/journal.js";
import { campaignPolicy } from "../../campaign/policy.js";
import { simulatedStateDir } from "../../campaign/simulated-state.js";
import type { World } from "../../campaign/world.js";
import { UsageError, UserError } from "../../errors.js";
import { type LaunchPlan, plannedTrainingJobs } from "../../plan/types.js";
import { withEarlyTermination } from "../../report/early-termination-report.js";
import { renderReport } from "../../report/render/index.js";
import { summarizeCampaign } from "../../report/summarize.js";
import type { StackOutputs } from "../../stack/outputs.js";
import type { StackOutputsSource } from "../../stack/read.js";
import { EXIT_INTERRUPTED, EXIT_INVALID, EXIT_OK } from "../errors.js";
import { apiCallsLine, budgetRefusal, stillRunning, worstCaseLine } from "../format/launch.js";
import { interruptedBy } from "../interrupt.js";
import type { CliIO } from "../io.js";
import type { CampaignDeps } from "./deps.js";
import { launchHintContext } from "./hints.js";
import { dryRun, launchStack } from "./launch-dry-run.js";
import { gateLaunch } from "./launch-preflight.js";
import { followWithProgress } from "./launch-progress.js";
import { refuseLocalWhileServerSide } from "./server-side.js";

/** `segsweep launch` flags, parsed and checked (cli/commands/launch.ts). */
export interface LaunchFlags {
  readonly file: string;
  readonly yes: boolean;
  readonly stackSource: StackOutputsSource;
  readonly maxConcurrency?: number;
  readonly pollIntervalMs?: number;
  readonly launchRate?: number;
  readonly dryRun: boolean;
  readonly simulate: boolean;
  readonly eventsFile?: string;
  /** --skip-preflight: launch without the checks (launch-preflight.ts), saying so loudly. */
  readonly skipPreflight?: boolean;
  /** Create what is missing and return without following (the tuning engine). */
  readonly detach?: boolean;
  /** Who runs the campaign: this process (default) or the stack's state machine (launch-stepfunctions.ts). */
  readonly runner?: "local" | "stepfunctions";
  /** With the stepfunctions runner: follow the jobs until the execution ends. */
  readonly follow?: boolean;
  /** With the stepfunctions runner: start although locally launched jobs are in progress. */
  readonly takeOver?: boolean;
}

/** The default base poll interval: a 2-hour job is looked at 240 times, in one listing for the whole campaign. */
export const DEFAULT_POLL_INTERVAL_MS = 30_000;

/** One launch's facts, gathered before anything is created. */
interface Launch {
  readonly plan: LaunchPlan;
  readonly flags: LaunchFlags;
  readonly io: CliIO;
  readonly deps: CampaignDeps;
  readonly stack: StackOutputs;
  readonly context: RequestContext;
  /** `[simulated] ` or "". */
  readonly mark: string;
  /** Where `.segsweep/` lives: the sweep file's git root, or the working directory outside git. */
  readonly home: string;
}

/** `segsweep launch` once the plan is known: stack, dry run, budget, identity, journal, confirmation, the campaign, the report. */
export async function runLaunch(plan: LaunchPlan, flags: LaunchFlags, io: CliIO, deps: CampaignDeps): Promise<number> {
  const region = io.env.AWS_REGION?.trim() || "us-east-1";
  const launchStackOutputs = await launchStack(flags, io, deps, region);
  const { stack } = launchStackOutputs;
  const gitCommit = await deps.gitCommit(flags.file, io.cwd);
  const location = await deps.sweepFileLocation(flags.file, io.cwd);
  const context = { ...(gitCommit !== undefined ? { gitCommit } : {}), sweepFile: location.relative };
  if (flags.detach === true && plan.engine !== "tuning")
    throw new UsageError("--detach is for tuning sweeps (AMT runs them without this process); a jobs-engine launch follows its jobs.");
  if (flags.runner === "stepfunctions") {
    if (plan.engine !== "jobs")
      throw new UsageError(
        "--runner stepfunctions runs plain training jobs; a tuning sweep is run by SageMaker's tuner itself (drop --runner).",
      );
    // The stack's state machine runs the campaign (launch-stepfunctions.ts), with the same stack and request context.
    const { runStepFunctionsLaunch } = await import("./launch-stepfunctions.js");
    const serverSideFlags = { ...flags, pollIntervalMs: flags.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS };
    return runStepFunctionsLaunch(plan, serverSideFlags, io, deps, { stack, context });
  }
  const engine = engineFor(plan);
  if (flags.dryRun) return dryRun({ plan, flags, io, deps }, launchStackOutputs, engine.requests(plan, stack, context));
  io.stderr.write(`${worstCaseLine(plan)}\n`);
  const verdict = checkBudget(plan);
  if (!verdict.ok) throw new UserError(budgetRefusal(plan, verdict));

  const maxConcurrency = flags.maxConcurrency ?? plan.limits.maxConcurrency;
  const world = flags.simulate
    ? await deps.simulate(plan, { region, maxConcurrency, stateDir: simulatedStateDir(location.home, plan.campaign) })
    : await deps.connect({ region: stack.region, env: io.env, clock: deps.clock, campaign: plan.campaign, stack });
  const launch: Launch = { plan, flags, io, deps, stack, context, mark: world.simulated ? "[simulated] " : "", home: location.home };
  try {
    return await launchIn(launch, world);
  } finally {
    await world.close();
  }
}

async function launchIn(launch: Launch, world: World): Promise<number> {
  const { plan, flags, io, deps, mark } = launch;
  const identity =
    world.identity ??
    (await explained(launch, "find out which AWS account the credentials reach", "STS", () =>
      deps.identify({ region: launch.stack.region, env: io.env, clock: world.clock }),
    ));
  const journal = world.simulated ? memoryJournal() : deps.openJournal(launch.home, plan.campaign, identity);
  await refuseUnwritableJournal(journal, launch.home);
  // One runner at a time: not while the stack's state machine runs this campaign (docs/server-side.md).
  if (!world.simulated) await refuseLocalWhileServerSide(flags.file, plan, launch.stack, io, deps);
  const gate = await gateLaunch(launch, world.stack ?? launch.stack, identity, world.simulated);
  if (gate !== undefined) return gate;
  const policy = campaignPolicy({
    maxConcurrency: flags.maxConcurrency ?? plan.limits.maxConcurrency,
    maxFailures: plan.limits.maxFailures,
    pollIntervalMs: flags.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
    ...(flags.launchRate !== undefined
      ? { launchRate: { perSecond: flags.launchRate, burst: Math.max(1, Math.ceil(flags.launchRate)) } }
      : world.launchRate !== undefined
        ? { launchRate: world.launchRate }
        : {}),
  });
  // The sweep's early_termination block: the rule watches running jobs through CloudWatch (docs/early-termination.md).
  const observer = earlyTerminationFor(plan, world);
  const prepared = await explained(launch, "list the campaign's jobs on SageMaker", "SageMaker", () =>
    engineFor(plan).prepare(plan, {
      world,
      ...(observer !== undefined ? { observer } : {}),
      stack: world.stack ?? launch.stack,
      journal,
      policy,
      context: launch.context,
      pollIntervalMs: flags.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
      signal: io.signal,
      ...(flags.detach === true ? { detach: true } : {}),
    }),
  );
  tellWhatExists(launch, prepared, identity);
  const queued = prepared.before.queued;
  if (queued > 0 && !flags.yes && !world.simulated && io.confirm !== undefined) {
    const question = `Launch ${queued} training jobs on ${plan.resources.instanceType} in account ${identity.account} (${identity.region})?`;
    if (!(await io.confirm(question))) {
      io.stderr.write("Nothing launched.\n");
      return EXIT_INVALID;
    }
  }
  const outcome = await followWithProgress(prepared, { plan, io, world, mark, eventsFile: flags.eventsFile });
  const reportPlan = reportPlanOf(plan, outcome);
  const summary = summarizeCampaign(reportPlan, outcome.jobs, { simulated: world.simulated, terminated: outcome.terminated });
  const facts = observer !== undefined ? { terminated: outcome.terminated, curves: observer.curves() } : undefined;
  io.stdout.write(renderReport(withEarlyTermination(summary, reportPlan, outcome.jobs, facts), "table"));
  io.stderr.write(`${mark}${apiCallsLine({ ...world.backend.calls, ...world.tuning?.calls }, world.events?.calls)}\n`);
  return finish(launch, outcome, world.simulated);
}

/** Before the first create: the journal must be writable, or nothing is launched. */
async function refuseUnwritableJournal(journal: Journal, cwd: string): Promise<void> {
  const check = await journal.check();
  if (check.ok) return;
  const path = check.path.startsWith(`${cwd}/`) ? check.path.slice(cwd.length + 1) : check.path;
  throw new UserError(
    `Cannot write the launch journal ${path} (${check.reason}); nothing launched.\n` +
      "segsweep notes there which jobs it created and how they ended. Make .segsweep/ a writable directory " +
      "(remove or rename a file of that name), or run from a directory where it can be created.",
  );
}

/** The first lines: who and where, what already exists, what is left to launch. */
function tellWhatExists(launch: Launch, prepared: PreparedLaunch, identity: Identity): void {
  const { plan, io, mark } = launch;
  const before = prepared.before;
  const existing = before.total - before.queued;
  io.stderr.write(
    `${mark}Campaign ${plan.campaign} in ${describeIdentity(identity)}: ${plannedTrainingJobs(plan)} points; on SageMaker already: ${existing} ` +
      `(${before.running} running, ${before.done} done, ${before.failed} failed, ${before.stopped + before.terminated} stopped); to launch: ${before.queued}.\n`,
  );
  if (prepared.unplanned.length > 0) {
    io.stderr.write(
      `${mark}${prepared.unplanned.length} jobs named ${plan.campaign}-… are not in this plan (the sweep file changed?); they are left alone.\n`,
    );
  }
  if (prepared.unreadable.length > 0) {
    io.stderr.write(
      `${mark}${prepared.unreadable.length} ended jobs could not be described (SageMaker kept refusing); their results are missing here, e.g. ${prepared.unreadable[0]}.\n`,
    );
  }
}

function finish(launch: Launch, outcome: LaunchOutcome, simulated: boolean): number {
  const { plan, flags, io, mark } = launch;
  const running =
    outcome.note !== undefined ? `${outcome.note}\n` : stillRunning(outcome.running, flags.file, simulated, launchHintContext(io, flags));
  if (outcome.note !== undefined && outcome.outcome === "finished") io.stderr.write(`${mark}${running}`);
  switch (outcome.outcome) {
    case "finished":
      return EXIT_OK;
    case "interrupted":
      io.stderr.write(`${mark}${interruptedBy(io.signal)} ${running || "No job is running.\n"}`);
      return EXIT_INTERRUPTED;
    case "failure-limit":
      io.stderr.write(
        `${mark}Stopped launching: ${outcome.counts.failed} trainings failed, more than limits.max_failures (${plan.limits.maxFailures}). ` +
          `Look at the failure reasons above, fix the sweep file, and launch again.\n${running}`,
      );
      return EXIT_INVALID;
    case "error": {
      const advice = adviseOn(outcome.error, { what: "run the campaign", sweepFile: flags.file, footer: running });
      // A bug: say what still runs before the bug itself is reported.
      if (!(advice instanceof UserError) && running !== "") io.stderr.write(`${mark}${running}`);
      throw advice;
    }
  }
}

async function explained<T>(launch: Launch, what: string, service: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw adviseOn(error, { what, service, sweepFile: launch.flags.file });
  }
}
