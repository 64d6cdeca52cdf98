import { describe, expect, it } from "vitest";
import type { CampaignItemsStore } from "../../../../src/backend/campaign-items.js";
import {
  type ExecutionSummary,
  executionArn,
  type MapRunSummary,
  type StepFunctionsBackend,
} from "../../../../src/backend/stepfunctions.js";
import { followExecution } from "../../../../src/campaign/engines/stepfunctions/follow.js";
import { prepareServerSide, type ServerSide } from "../../../../src/campaign/engines/stepfunctions/runner.js";
import type { LaunchEvent } from "../../../../src/campaign/events.js";
import { UserError } from "../../../../src/errors.js";
import { createFakeClock } from "../../../kit/clock.js";
import { sageMakerWith } from "../../../kit/sagemaker.js";
import { jobDetails } from "../../../report/fixtures.js";
import { makePlan, STACK } from "./fixtures.js";

/**
 * The stepfunctions runner's decisions, on an in-memory Step Functions (the calls themselves are
 * tested against moto in test/backend/stepfunctions.test.ts and test/cli/commands/launch-stepfunctions.test.ts).
 */

const STATE_MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:segsweep-campaigns";
const COUNTS = { pending: 0, running: 0, succeeded: 0, failed: 0, timedOut: 0, aborted: 0, total: 0, resultsWritten: 0 };

/** Executions by name; `describe` plays each one's scripted statuses in turn, the last one staying. */
function fakeStepFunctions(script: Record<string, ExecutionSummary["status"][]> = {}, mapRun?: Partial<MapRunSummary>) {
  const executions = new Map<string, ExecutionSummary & { readonly plays: ExecutionSummary["status"][] }>();
  const starts: string[] = [];
  const put = (name: string, status: ExecutionSummary["status"], input: string, extra: Partial<ExecutionSummary> = {}) =>
    executions.set(name, {
      arn: executionArn(STATE_MACHINE, name),
      name,
      status,
      startedAt: 1,
      input,
      plays: script[name] ?? [],
      ...extra,
    });
  const backend: StepFunctionsBackend = {
    async start({ name, input }) {
      const existing = executions.get(name);
      if (existing !== undefined) return { kind: "exists", execution: existing, sameInput: existing.input === input };
      starts.push(name);
      put(name, "RUNNING", input);
      return { kind: "started", execution: executions.get(name)! };
    },
    async describe(arn) {
      const execution = [...executions.values()].find((candidate) => candidate.arn === arn);
      if (execution === undefined) throw new Error(`no ${arn}`);
      const next = execution.plays.shift();
      if (next !== undefined) executions.set(execution.name, { ...execution, status: next });
      return executions.get(execution.name)!;
    },
    mapRuns: async () =>
      mapRun === undefined
        ? []
        : [{ arn: "map", status: "RUNNING", maxConcurrency: 4, toleratedFailureCount: 0, items: COUNTS, executions: COUNTS, ...mapRun }],
    stop: async (arn) => backend.describe(arn),
    runningExecutions: async () => [...executions.values()].filter((execution) => execution.status === "RUNNING"),
    executions: async () => [...executions.values()],
  };
  const written: string[] = [];
  const items: CampaignItemsStore = {
    write: async (location, body) => {
      written.push(location.key);
      return { bytes: body.length };
    },
    read: async () => null,
  };
  const server: ServerSide = { stateMachineArn: STATE_MACHINE, stepFunctions: backend, items };
  return { server, put, starts, written };
}

const plan = makePlan({ jobs: 3, maxFailures: 1 });

function setupWith(jobs = [] as ReturnType<typeof jobDetails>[]) {
  const clock = createFakeClock();
  const backend = sageMakerWith(jobs, clock);
  return {
    backend,
    setup: {
      world: { backend, clock, simulated: false, close: async () => undefined },
      stack: STACK,
      context: {},
      pollIntervalMs: 30_000,
      signal: new AbortController().signal,
    },
  };
}

describe("starting a server-side campaign", () => {
  it("starts the same items again as -1 when their execution ended without creating a job", async () => {
    const { setup } = setupWith();
    const fake = fakeStepFunctions();
    const first = await prepareServerSide(plan, setup, fake.server);
    fake.put(first.execution!.name, "FAILED", first.execution!.inputJson);
    const again = await prepareServerSide(plan, setup, fake.server);
    const started = await again.start();
    expect(started).toMatchObject({ kind: "started", execution: { name: `${first.execution!.name}-1` } });
    expect(fake.starts).toEqual([`${first.execution!.name}-1`]);
    expect(fake.written).toEqual([first.execution!.itemsLocation.key]);
  });

  it("starts nothing while an execution of the campaign runs, whatever its items", async () => {
    const { setup } = setupWith();
    const fake = fakeStepFunctions();
    fake.put("seg-sfn-00000000000000aa", "RUNNING", "{}");
    const prepared = await prepareServerSide(plan, setup, fake.server);
    expect(await prepared.start()).toMatchObject({ kind: "running", execution: { name: "seg-sfn-00000000000000aa" } });
    expect(fake.starts).toEqual([]);
    expect(fake.written).toEqual([]);
  });

  it("has nothing to start when every point has a job, and counts the points as SageMaker has them", async () => {
    const { setup } = setupWith([
      jobDetails(plan.jobs[0]!.name, { status: "Completed" }),
      jobDetails(plan.jobs[1]!.name, { status: "InProgress" }),
      jobDetails(plan.jobs[2]!.name, { status: "Failed", failureReason: "AlgorithmError: boom" }),
    ]);
    const prepared = await prepareServerSide(plan, setup, fakeStepFunctions().server);
    expect(prepared.execution).toBeNull();
    expect(prepared.before).toMatchObject({ total: 3, done: 1, running: 1, failed: 1, queued: 0 });
    expect(prepared.inProgress).toEqual([plan.jobs[1]!.name]);
    expect(await prepared.start()).toEqual({ kind: "nothing" });
  });
});

describe("following an execution", () => {
  async function follow(status: ExecutionSummary["status"], mapRun?: Partial<MapRunSummary>, signal = new AbortController().signal) {
    const { backend, setup } = setupWith([jobDetails(plan.jobs[0]!.name, { status: "Failed", failureReason: "AlgorithmError: boom" })]);
    const fake = fakeStepFunctions({ "seg-sfn-0123456789abcdef": ["RUNNING", status] }, mapRun);
    fake.put("seg-sfn-0123456789abcdef", "RUNNING", "{}", { error: "segsweep.Stopped", cause: "segsweep stop" });
    const events: LaunchEvent[] = [];
    const outcome = await followExecution({
      plan,
      backend,
      stepFunctions: fake.server.stepFunctions,
      executionArn: executionArn(STATE_MACHINE, "seg-sfn-0123456789abcdef"),
      clock: setup.world.clock,
      pollIntervalMs: 30_000,
      signal,
      observe: (event) => events.push(event),
    });
    return { outcome, events };
  }

  it("ends at the failure budget when the Map Run failed past it", async () => {
    const { outcome, events } = await follow("FAILED", { status: "FAILED", toleratedFailureCount: 1, items: { ...COUNTS, failed: 2 } });
    expect(outcome.outcome).toBe("failure-limit");
    expect(outcome.counts).toMatchObject({ failed: 1, queued: 2 });
    expect(events).toContainEqual(expect.objectContaining({ type: "ended", name: plan.jobs[0]!.name, state: "failed" }));
  });

  it("ends as an error naming the execution's end otherwise", async () => {
    const { outcome } = await follow("ABORTED");
    expect(outcome.outcome).toBe("error");
    expect(outcome.error).toBeInstanceOf(UserError);
    expect((outcome.error as Error).message).toBe("Execution seg-sfn-0123456789abcdef ended ABORTED (segsweep.Stopped: segsweep stop).");
  });

  it("finishes with the jobs as SageMaker has them when the execution succeeded", async () => {
    const { outcome } = await follow("SUCCEEDED");
    expect(outcome.outcome).toBe("finished");
    expect(outcome.jobs.map((job) => job.name)).toEqual([plan.jobs[0]!.name]);
  });

  it("leaves at Ctrl-C, the execution running on", async () => {
    const controller = new AbortController();
    controller.abort();
    const { outcome } = await follow("SUCCEEDED", undefined, controller.signal);
    expect(outcome.outcome).toBe("interrupted");
  });
});
