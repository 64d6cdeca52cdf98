import { adviseOn } from "../../backend/advice.js";
import {
  type CampaignExecutions,
  readCampaignExecutions,
  stopCampaignExecutions,
} from "../../campaign/engines/stepfunctions/campaign-executions.js";
import { isCampaignExecution } from "../../campaign/engines/stepfunctions/execution.js";
import type { ServerSide } from "../../campaign/engines/stepfunctions/runner.js";
import { UsageError, UserError } from "../../errors.js";
import type { LaunchPlan } from "../../plan/types.js";
import type { StackOutputs } from "../../stack/outputs.js";
import { executionLines } from "../format/server-side.js";
import type { CliIO } from "../io.js";
import { flaggedStackSource } from "./campaign-context.js";
import type { CampaignDeps, ServerSideRequest } from "./deps.js";

/**
 * The CLI's side of server-side campaigns for `launch`, `status`, `report` and `stop`: opening
 * the stack's state machine when the stack has one, the one-runner-at-a-time check of a local
 * launch, the execution shown next to the jobs, and stopping it. Everything here is optional:
 * without a stack, or a stack without `campaignStateMachineArn`, nothing is called.
 */

/** The AWS SDK's clients; endpoints from AWS_ENDPOINT_URL_SFN / AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL). */
async function sdkServerSide(request: ServerSideRequest): Promise<ServerSide> {
  const [{ endpointFromEnv }, { createStepFunctionsBackend }, { createCampaignItemsStore }] = await Promise.all([
    import("../../backend/identity.js"),
    import("../../backend/stepfunctions.js"),
    import("../../backend/campaign-items.js"),
  ]);
  const sfn = endpointFromEnv(request.env, "SFN");
  const s3 = endpointFromEnv(request.env, "S3");
  return {
    stateMachineArn: request.stateMachineArn,
    stepFunctions: createStepFunctionsBackend({ region: request.region, ...(sfn !== undefined ? { endpoint: sfn } : {}) }),
    items: createCampaignItemsStore({ region: request.region, ...(s3 !== undefined ? { endpoint: s3 } : {}) }),
  };
}

/** The stack's server side, or undefined when the stack has no state machine. */
export async function openServerSide(stack: StackOutputs, io: CliIO, deps: CampaignDeps): Promise<ServerSide | undefined> {
  const stateMachineArn = stack.campaignStateMachineArn;
  if (stateMachineArn === undefined) return undefined;
  const request = { region: stack.region, env: io.env, stateMachineArn };
  return deps.serverSide !== undefined ? deps.serverSide(request) : sdkServerSide(request);
}

const cached = new WeakMap<CampaignDeps, CampaignDeps>();

/** The same deps, reading each stack once (status/report/stop read it for the region and for the state machine). */
export function withStackCache(deps: CampaignDeps): CampaignDeps {
  const known = cached.get(deps);
  if (known !== undefined) return known;
  const reads = new Map<string, Promise<StackOutputs>>();
  const wrapped: CampaignDeps = {
    ...deps,
    readStackOutputs: (source, options) => {
      const key = JSON.stringify([source, options.cwd]);
      const read = reads.get(key) ?? deps.readStackOutputs(source, options);
      reads.set(key, read);
      return read;
    },
  };
  cached.set(deps, wrapped);
  return wrapped;
}

/** The stack named by --stack / --stack-outputs, or undefined without them (status then shows jobs only). */
async function flaggedStack(
  flags: { readonly stack?: string | undefined; readonly "stack-outputs"?: string | undefined },
  io: CliIO,
  deps: CampaignDeps,
): Promise<StackOutputs | undefined> {
  const source = flaggedStackSource(flags);
  return source === undefined ? undefined : withStackCache(deps).readStackOutputs(source, { cwd: io.cwd, env: io.env });
}

/**
 * The campaign's executions for `status` and `report`, when the stack (--stack / --stack-outputs)
 * has a state machine; a failure to read them is a warning, never the end of the command.
 */
export async function campaignExecutionsIfAny(
  flags: { readonly stack?: string | undefined; readonly "stack-outputs"?: string | undefined },
  io: CliIO,
  deps: CampaignDeps,
  campaign: string,
): Promise<CampaignExecutions | undefined> {
  const stack = await flaggedStack(flags, io, deps);
  const server = stack !== undefined ? await openServerSide(stack, io, deps) : undefined;
  if (server === undefined) return undefined;
  try {
    const executions = await readCampaignExecutions(server, campaign);
    return executions.total > 0 ? executions : undefined;
  } catch (error) {
    const advice = adviseOn(error, { what: "read the campaign's Step Functions executions", service: "Step Functions" });
    const message = advice instanceof Error ? advice.message : String(advice);
    io.stderr.write(`warning: ${message.split("\n")[0]} (the jobs are SageMaker's, shown as always)\n`);
    return undefined;
  }
}

/** `status` / `report` table mode: the execution's lines after the jobs. */
export function writeExecutionLines(io: CliIO, executions: CampaignExecutions | undefined): void {
  if (executions !== undefined) io.stdout.write(`\n${executionLines(executions)}`);
}

/**
 * `stop`: stops the campaign's running executions first, so that no child creates another job;
 * the jobs are stopped next by `stop` itself. Asks unless --yes; "declined" when the user said no.
 */
export async function stopServerSideRun(
  flags: { readonly stack?: string | undefined; readonly "stack-outputs"?: string | undefined; readonly yes?: boolean | undefined },
  io: CliIO,
  deps: CampaignDeps,
  plan: LaunchPlan,
): Promise<"declined" | "done"> {
  const stack = await flaggedStack(flags, io, deps);
  const server = stack !== undefined ? await openServerSide(stack, io, deps) : undefined;
  if (server === undefined) return "done";
  const step = <T>(what: string, run: () => Promise<T>): Promise<T> =>
    run().catch((error: unknown) => {
      throw adviseOn(error, { what, service: "Step Functions" });
    });
  const running = await step("list the campaign's executions", () =>
    server.stepFunctions.runningExecutions(server.stateMachineArn, (name) => isCampaignExecution(plan.campaign, name)),
  );
  if (running.length === 0) return "done";
  const question = `Stop Step Functions execution ${running.map((execution) => execution.name).join(", ")} of campaign ${plan.campaign} (it creates the campaign's jobs)?`;
  if (flags.yes !== true) {
    if (io.confirm === undefined) throw new UsageError(`${question} Not on a terminal, so nothing was asked: pass --yes to stop it.`);
    if (!(await io.confirm(question))) {
      io.stdout.write("Nothing stopped.\n");
      return "declined";
    }
  }
  const stopped = await step("stop the campaign's execution", () => stopCampaignExecutions(server, plan.campaign, "segsweep stop"));
  for (const execution of stopped) io.stdout.write(`Step Functions execution ${execution.name}: ${execution.status}.\n`);
  io.stdout.write("Its in-progress training jobs are stopped explicitly next (stopping an execution may not stop them).\n");
  return "done";
}

/**
 * One runner at a time, the local side: a local `launch` while an execution of the campaign runs
 * would create the same points as its children. Refused, naming the execution.
 */
export async function refuseLocalWhileServerSide(
  file: string,
  plan: LaunchPlan,
  stack: StackOutputs,
  io: CliIO,
  deps: CampaignDeps,
): Promise<void> {
  const server = await openServerSide(stack, io, deps);
  if (server === undefined) return;
  const running = await server.stepFunctions
    .runningExecutions(server.stateMachineArn, (name) => isCampaignExecution(plan.campaign, name))
    .catch((error: unknown) => {
      throw adviseOn(error, { what: "look for a running Step Functions execution of the campaign", service: "Step Functions" });
    });
  const [execution] = running;
  if (execution === undefined) return;
  throw new UserError(
    `Campaign ${plan.campaign} is being run by AWS Step Functions (execution ${execution.name}, started ${new Date(execution.startedAt).toISOString()}); ` +
      "launching it here as well would create the same points. Nothing launched.\n" +
      `Follow it with \`segsweep status ${file}\` (with your --stack option), or stop it first with \`segsweep stop ${file}\`.`,
  );
}
