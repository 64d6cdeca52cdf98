import { adviseOn } from "../../backend/advice.js";
import { describeIdentity, type Identity } from "../../backend/identity.js";
import type { RequestContext } from "../../backend/request.js";
import { checkBudget } from "../../campaign/budget.js";
import { executionConsoleUrl } from "../../campaign/engines/stepfunctions/campaign-executions.js";
import { planExecution } from "../../campaign/engines/stepfunctions/execution.js";
import { campaignItems } from "../../campaign/engines/stepfunctions/items.js";
import { campaignsLocation } from "../../campaign/engines/stepfunctions/layout.js";
import { prepareServerSide, type ServerSideLaunch, type StartResult } from "../../campaign/engines/stepfunctions/runner.js";
import type { LaunchOutcome } from "../../campaign/engines/types.js";
import type { World } from "../../campaign/world.js";
import { UsageError, UserError } from "../../errors.js";
import type { JobsPlan } from "../../plan/types.js";
import { renderReport } from "../../report/render/index.js";
import { summarizeCampaign } from "../../report/summarize.js";
import { plural } from "../../report/table.js";
import type { StackOutputs } from "../../stack/outputs.js";
import type { StackOutputsSource } from "../../stack/read.js";
import { EXIT_INTERRUPTED, EXIT_INVALID, EXIT_OK } from "../errors.js";
import { budgetRefusal, worstCaseLine } from "../format/launch.js";
import type { CliIO } from "../io.js";
import { createProgress } from "../progress.js";
import type { CampaignDeps } from "./deps.js";
import { openServerSide } from "./server-side.js";

/**
 * `segsweep launch FILE --runner stepfunctions`: the plan's missing points written to S3 as the
 * items, one execution of the stack's state machine started under its deterministic name, its ARN
 * and how to follow it printed; `--follow` then follows the jobs with the usual progress line.
 * docs/server-side.md.
 */

/** The `launch` flags this runner reads (launch-run.ts LaunchFlags has them all; not imported, to keep the two files apart). */
export interface StepFunctionsLaunchFlags {
  readonly file: string;
  readonly yes: boolean;
  readonly stackSource: StackOutputsSource;
  readonly dryRun: boolean;
  readonly maxConcurrency?: number;
  /** Base poll interval of --follow; launch-run.ts passes its default when none is given. */
  readonly pollIntervalMs: number;
  readonly follow?: boolean;
  readonly takeOver?: boolean;
}

type LaunchFlags = StepFunctionsLaunchFlags;

/** One server-side launch's facts. */
interface Launch {
  readonly plan: JobsPlan;
  readonly flags: LaunchFlags;
  readonly io: CliIO;
  readonly deps: CampaignDeps;
  readonly stack: StackOutputs;
}

/** Runs `launch --runner stepfunctions` once the plan is known. */
export async function runStepFunctionsLaunch(
  plan: JobsPlan,
  flags: LaunchFlags,
  io: CliIO,
  deps: CampaignDeps,
  given: { readonly stack: StackOutputs; readonly context: RequestContext },
): Promise<number> {
  if (plan.engine !== "jobs") {
    throw new UsageError(`--runner stepfunctions runs a campaign of training jobs; ${flags.file} plans engine "${plan.engine}".`);
  }
  const { stack, context } = given;
  if (flags.dryRun) return printDryRun(plan, stack, context, flags, io);
  io.stderr.write(`${worstCaseLine(plan)}\n`);
  const verdict = checkBudget(plan);
  if (!verdict.ok) throw new UserError(budgetRefusal(plan, verdict));
  const launch: Launch = { plan, flags, io, deps, stack };
  const server = await openServerSide(stack, io, deps);
  if (server === undefined) {
    throw new UserError(
      "The stack has no state machine for server-side campaigns (no campaignStateMachineArn output).\n" +
        "Turn it on with `pulumi config set serverSideCampaigns true` and `pulumi up`, then pass the new outputs (docs/server-side.md).",
    );
  }
  const world = await deps.connect({ region: stack.region, env: io.env, clock: deps.clock, campaign: plan.campaign, stack });
  try {
    const identity = await explained(launch, "find out which AWS account the credentials reach", "STS", () =>
      deps.identify({ region: stack.region, env: io.env, clock: world.clock }),
    );
    const prepared = await explained(launch, "look the campaign up on SageMaker and Step Functions", "AWS", () =>
      prepareServerSide(
        plan,
        { world, stack, context, pollIntervalMs: flags.pollIntervalMs, signal: io.signal },
        server,
        flags.maxConcurrency !== undefined ? { maxConcurrency: flags.maxConcurrency } : {},
      ),
    );
    return await launchPrepared(launch, prepared, identity, world);
  } finally {
    await world.close();
  }
}

/** `--dry-run`: the execution name, input and items, calling nothing (every point counts as missing). */
function printDryRun(plan: JobsPlan, stack: StackOutputs, context: RequestContext, flags: LaunchFlags, io: CliIO): number {
  const execution = planExecution({ plan, existingJobNames: [], stack, context, ...maxConcurrencyOf(flags) });
  const items = execution?.items.items ?? campaignItems(plan, [], stack, context).items;
  const location = execution?.itemsLocation ?? { bucket: campaignsLocation(stack.campaignsUri).bucket, key: "" };
  io.stdout.write(
    `${JSON.stringify({ executionName: execution?.name, itemsFile: `s3://${location.bucket}/${location.key}`, input: execution?.input, items }, null, 2)}\n`,
  );
  io.stderr.write(
    `${items.length} items, ${execution?.items.body.length ?? 0} bytes in S3; execution input ${execution?.inputJson.length ?? 0} characters. ` +
      "A launch leaves out the points that have a job on SageMaker already, so its items and name can differ.\n",
  );
  return EXIT_OK;
}

const maxConcurrencyOf = (flags: LaunchFlags) => (flags.maxConcurrency !== undefined ? { maxConcurrency: flags.maxConcurrency } : {});

async function launchPrepared(launch: Launch, prepared: ServerSideLaunch, identity: Identity, world: World): Promise<number> {
  const { plan, flags, io } = launch;
  const before = prepared.before;
  io.stderr.write(
    `Campaign ${plan.campaign} in ${describeIdentity(identity)}: ${plan.counts.jobs} points; on SageMaker already: ${before.total - before.queued} ` +
      `(${before.running} running, ${before.done} done, ${before.failed} failed, ${before.stopped + before.terminated} stopped); missing: ${before.queued}.\n`,
  );
  if (prepared.running === undefined && prepared.execution !== null && prepared.inProgress.length > 0 && flags.takeOver !== true) {
    throw new UserError(
      `${plural(prepared.inProgress.length, "training job")} of campaign ${plan.campaign} ${prepared.inProgress.length === 1 ? "is" : "are"} in progress and no Step Functions execution runs: ` +
        `a local \`segsweep launch\` may still be at work, and would create the same points as the execution. Nothing started.\n` +
        "Wait until they end (`segsweep status FILE --watch`), or, once no local launch runs (Ctrl-C it), hand the missing points " +
        "to Step Functions with --take-over (the jobs in progress keep running; the execution leaves their points alone).",
    );
  }
  const items = prepared.execution?.items.items.length ?? 0;
  if (prepared.running === undefined && items > 0 && !flags.yes && io.confirm !== undefined) {
    const question = `Start a Step Functions execution of ${items} training jobs on ${plan.resources.instanceType} in account ${identity.account} (${identity.region})?`;
    if (!(await io.confirm(question))) {
      io.stderr.write("Nothing started.\n");
      return EXIT_INVALID;
    }
  }
  const started = await explained(launch, "write the items and start the execution", "Step Functions", () => prepared.start());
  tellStarted(launch, started);
  if (started.kind === "running" && (prepared.notInRunning ?? 0) > 0) {
    io.stderr.write(
      `${plural(prepared.notInRunning ?? 0, "point")} of this plan ${prepared.notInRunning === 1 ? "is" : "are"} not in that execution (the sweep file changed since it started): ` +
        "one runner at a time, so launch again once it has ended to launch them.\n",
    );
  }
  if (started.kind === "nothing" || flags.follow !== true) return EXIT_OK;
  return followAndReport(launch, prepared, world);
}

function tellStarted(launch: Launch, started: StartResult): void {
  const { io, flags } = launch;
  if (started.kind === "nothing") {
    io.stderr.write(`Every planned point has a job on SageMaker: nothing to start. \`segsweep report ${flags.file}\` shows the results.\n`);
    return;
  }
  const { execution } = started;
  const what =
    started.kind === "started"
      ? `Started Step Functions execution ${execution.name} (${started.itemsBytes} bytes of items in S3).`
      : `Step Functions execution ${execution.name} of this campaign runs already (since ${new Date(execution.startedAt).toISOString()}): nothing new started.`;
  const source = flags.stackSource;
  const stackFlag = "file" in source ? ` --stack-outputs ${source.file}` : source.stack !== undefined ? ` --stack ${source.stack}` : "";
  const url = executionConsoleUrl(execution.arn);
  io.stdout.write(
    `${what}\n  ${execution.arn}\n${url !== undefined ? `  ${url}\n` : ""}` +
      `It runs in the account with no machine of yours alive. Follow it with:\n` +
      `  segsweep status ${flags.file}${stackFlag} --watch\n  segsweep launch ${flags.file} --runner stepfunctions${stackFlag} --follow\n` +
      `Stop it (and its jobs) with: segsweep stop ${flags.file}${stackFlag}\n`,
  );
}

/** `--follow`: the jobs with the usual progress line until the execution ends; Ctrl-C leaves it running. */
async function followAndReport(launch: Launch, prepared: ServerSideLaunch, world: World): Promise<number> {
  const { plan, io, flags } = launch;
  const progress = createProgress({ stream: io.stderr, tty: io.stderr.isTTY === true, simulated: false, objective: plan.objective });
  const onInterrupt = (): void => {
    io.stderr.write("\nCtrl-C: no longer following; the execution goes on in the account (`segsweep stop` stops it).\n");
  };
  io.signal.addEventListener("abort", onInterrupt, { once: true });
  let outcome: LaunchOutcome;
  try {
    outcome = await prepared.run((event, view) => progress.observe(event, view));
  } finally {
    io.signal.removeEventListener("abort", onInterrupt);
    progress.finish();
  }
  io.stdout.write(
    renderReport(summarizeCampaign(plan, outcome.jobs, { simulated: world.simulated, terminated: outcome.terminated }), "table"),
  );
  switch (outcome.outcome) {
    case "finished":
      return EXIT_OK;
    case "interrupted":
      return EXIT_INTERRUPTED;
    case "failure-limit":
      io.stderr.write(
        `The Map Run failed: ${outcome.counts.failed} trainings failed, more than limits.max_failures (${plan.limits.maxFailures}). ` +
          `Look at the failure reasons above, fix the sweep file, and launch again.\n`,
      );
      return EXIT_INVALID;
    case "error":
      throw adviseOn(outcome.error, { what: "follow the execution", service: "Step Functions", sweepFile: flags.file });
  }
}

async function explained<T>(launch: Launch, what: string, service: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw adviseOn(error, { what, service, sweepFile: launch.flags.file });
  }
}
