import type { CampaignItemsStore } from "../../../backend/campaign-items.js";
import type { ExecutionSummary, StepFunctionsBackend } from "../../../backend/stepfunctions.js";
import { UserError } from "../../../errors.js";
import { campaignPrefix } from "../../../plan/job-name.js";
import type { JobsPlan } from "../../../plan/types.js";
import { matchJobs } from "../../membership.js";
import type { LaunchSetup, PreparedLaunch } from "../types.js";
import { ExecutionInput, type ExecutionPlan, executionName, isCampaignExecution, MAX_RESTARTS, planExecution } from "./execution.js";
import { countPoints, followExecution } from "./follow.js";

/**
 * The `stepfunctions` runner: the same plan as the local launcher, run by the stack's state
 * machine. `prepare` lists the campaign's jobs and executions and plans the items (points with no
 * job yet); `start` writes the items and starts the execution under its deterministic name;
 * `run` starts, then follows the campaign's jobs until the execution ends (`launch --follow`).
 * One runner at a time: while an execution of the campaign runs, nothing new is started.
 */

/** The Step Functions side of a stack: its state machine, the calls, and where items go. */
export interface ServerSide {
  readonly stateMachineArn: string;
  readonly stepFunctions: StepFunctionsBackend;
  readonly items: CampaignItemsStore;
}

/** What a start did. */
export type StartResult =
  /** Items written, execution started. */
  | { readonly kind: "started"; readonly execution: ExecutionSummary; readonly itemsBytes: number }
  /** An execution of the campaign runs already: it is this launch (nothing started). */
  | { readonly kind: "running"; readonly execution: ExecutionSummary }
  /** Every planned point has a job: nothing to start. */
  | { readonly kind: "nothing" };

/** A server-side launch looked up: what exists, what would be started, and the two ways on. */
export interface ServerSideLaunch extends PreparedLaunch {
  /** The campaign's execution that runs now, if any (then `start` starts nothing). */
  readonly running: ExecutionSummary | undefined;
  /**
   * Points this plan would launch that the running execution does not carry (the sweep file
   * changed since it started): they wait for the next launch after it ends. Absent when none runs
   * or its items file cannot be read.
   */
  readonly notInRunning?: number;
  /** The execution a start would begin; null when every point has a job. */
  readonly execution: ExecutionPlan | null;
  /** Jobs of the campaign in progress now (not those stopping: a user stopped them). */
  readonly inProgress: readonly string[];
  /** Writes the items and starts the execution, unless one runs or nothing is missing. */
  start(): Promise<StartResult>;
}

export interface ServerSideOptions {
  readonly maxConcurrency?: number;
}

/** Looks the campaign up on SageMaker and Step Functions; creates nothing. */
export async function prepareServerSide(
  plan: JobsPlan,
  setup: Pick<LaunchSetup, "world" | "stack" | "context" | "pollIntervalMs" | "signal">,
  server: ServerSide,
  options: ServerSideOptions = {},
): Promise<ServerSideLaunch> {
  const listed = await setup.world.backend.listJobs(campaignPrefix(plan.campaign), { signal: setup.signal });
  const { unplanned } = matchJobs(plan, listed);
  const [running] = await server.stepFunctions.runningExecutions(server.stateMachineArn, (name) =>
    isCampaignExecution(plan.campaign, name),
  );
  const execution = planExecution({
    plan,
    existingJobNames: listed.map((job) => job.name),
    stack: setup.stack,
    context: setup.context,
    ...(options.maxConcurrency !== undefined ? { maxConcurrency: options.maxConcurrency } : {}),
  });
  const notInRunning = running !== undefined && execution !== null ? await missingFromRunning(server, running, execution) : undefined;
  let started: ExecutionSummary | undefined = running;
  const start = async (): Promise<StartResult> => {
    if (running !== undefined) return { kind: "running", execution: running };
    if (execution === null) return { kind: "nothing" };
    const result = await startExecution(server, execution);
    if (result.kind !== "nothing") started = result.execution;
    return result;
  };
  return {
    before: countPoints(plan, listed),
    unplanned: unplanned.map((job) => job.name),
    unreadable: [],
    running,
    ...(notInRunning !== undefined ? { notInRunning } : {}),
    execution,
    inProgress: listed.filter((job) => job.status === "InProgress").map((job) => job.name),
    start,
    async run(observe) {
      try {
        if (started === undefined) await start();
      } catch (error) {
        return { outcome: "error", error, counts: countPoints(plan, listed), running: 0, jobs: [], terminated: new Map() };
      }
      if (started === undefined) {
        return { outcome: "finished", counts: countPoints(plan, listed), running: 0, jobs: [], terminated: new Map() };
      }
      return followExecution({
        plan,
        backend: setup.world.backend,
        stepFunctions: server.stepFunctions,
        executionArn: started.arn,
        clock: setup.world.clock,
        pollIntervalMs: setup.pollIntervalMs,
        signal: setup.signal,
        observe,
        known: listed,
        ...(execution !== null ? { maxConcurrency: execution.input.maxConcurrency } : {}),
      });
    },
  };
}

/**
 * Writes the items (same bytes, same key on a repeat), then starts the execution. Its name is
 * taken for 90 days: when an ended execution holds it with the very same items, none of their
 * jobs was ever created (items are only points with no job), so starting them again under the next
 * restart name is safe (docs/sources.md#stepfunctions).
 */
async function startExecution(server: ServerSide, execution: ExecutionPlan): Promise<StartResult> {
  const { bytes } = await server.items.write(execution.itemsLocation, execution.items.body);
  for (let restart = 0; restart <= MAX_RESTARTS; restart++) {
    const name = executionName(execution.input.campaign, execution.items.hash, restart);
    const outcome = await server.stepFunctions.start({ stateMachineArn: server.stateMachineArn, name, input: execution.inputJson });
    if (outcome.kind === "started") return { kind: "started", execution: outcome.execution, itemsBytes: bytes };
    // Started meanwhile by another launch of the same items: that execution is this launch.
    if (outcome.execution.status === "RUNNING") return { kind: "running", execution: outcome.execution };
  }
  throw new UserError(
    `the items of ${execution.name} were started ${MAX_RESTARTS + 1} times and never created a job; look at why they fail`,
  );
}

/** How many of `execution`'s items the running execution's items file lacks; undefined when that file cannot be read. */
async function missingFromRunning(server: ServerSide, running: ExecutionSummary, execution: ExecutionPlan): Promise<number | undefined> {
  const described = await server.stepFunctions.describe(running.arn);
  const input = ExecutionInput.safeParse(parseJson(described.input));
  if (!input.success) return undefined;
  const body = await server.items.read(input.data.items);
  const carried = parseJson(body);
  if (!Array.isArray(carried)) return undefined;
  const names = new Set(carried.map((item: { TrainingJobName?: unknown }) => item?.TrainingJobName));
  return execution.items.items.filter((item) => !names.has(item.TrainingJobName)).length;
}

/** JSON text as a value; undefined for no text or text that is not JSON (an execution started by hand). */
function parseJson(text: string | null | undefined): unknown {
  if (text === null || text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
