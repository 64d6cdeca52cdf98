import { GetObjectCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { CreateTrainingJobCommand, ListTrainingJobsCommand, SageMakerClient } from "@aws-sdk/client-sagemaker";
import type { SFNClient } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createCampaignItemsStore } from "../../src/backend/campaign-items.js";
import { buildCreateTrainingJobRequest } from "../../src/backend/request.js";
import { createStepFunctionsBackend, type ExecutionSummary, type StepFunctionsBackend } from "../../src/backend/stepfunctions.js";
import { stateMachineDocument } from "../../src/campaign/engines/stepfunctions/definition.js";
import { type ExecutionPlan, isCampaignExecution, planExecution } from "../../src/campaign/engines/stepfunctions/execution.js";
import { makePlan, STACK } from "../campaign/engines/stepfunctions/fixtures.js";
import { motoCampaignStack } from "../campaign/engines/stepfunctions/moto-stack.js";
import { forMoto } from "../campaign/engines/stepfunctions/swaps.js";
import { type Moto, startMoto } from "../kit/moto.js";
import { type RecordingProxy, startRecordingProxy } from "../kit/recording-proxy.js";

/**
 * Server-side campaigns against moto's S3, Step Functions and SageMaker, through the real AWS SDK.
 * moto 5.2.1 runs a Distributed Map with an S3 ItemReader, but not `.sync` (the definition is
 * swapped to request-response, swaps.ts), and after one Distributed Map execution it can start no
 * other execution on that server (StartExecution answers 500: it deep-copies a lock), so each
 * block below has a server of its own. A recording proxy between moto's Step Functions engine and
 * its SageMaker shows the exact CreateTrainingJob requests the children send.
 */

const REGION = "us-east-1";
const credentials = { accessKeyId: "AKIDSEGSWEEPTEST", secretAccessKey: "segsweep-test-secret" };

interface World {
  readonly moto: Moto;
  readonly proxy: RecordingProxy;
  readonly sfn: SFNClient;
  readonly s3: S3Client;
  readonly sagemaker: SageMakerClient;
  readonly backend: StepFunctionsBackend;
  readonly stateMachineArn: string;
}

async function startWorld(definition: unknown): Promise<World> {
  const proxy = await startRecordingProxy();
  const moto = await startMoto({ tasksPort: proxy.port });
  proxy.forwardTo(moto.port);
  await moto.configure({ stepfunctions: { execute_state_machine: true } });
  const { sfn, s3, stateMachineArn } = await motoCampaignStack(moto.endpoint, definition);
  const sagemaker = new SageMakerClient({ region: REGION, endpoint: moto.endpoint, credentials });
  const backend = createStepFunctionsBackend({ region: REGION, endpoint: moto.endpoint, credentials });
  return { moto, proxy, sfn, s3, sagemaker, backend, stateMachineArn };
}

async function stopWorld(world: World | undefined): Promise<void> {
  await world?.moto.close();
  await world?.proxy.close();
}

/** Polls until the execution has ended (moto runs it on a thread of its own). */
async function ended(backend: StepFunctionsBackend, arn: string): Promise<ExecutionSummary> {
  return vi.waitFor(
    async () => {
      const execution = await backend.describe(arn);
      if (execution.status === "RUNNING") throw new Error("still running");
      return execution;
    },
    { timeout: 15_000, interval: 100 },
  );
}

const createBodies = (proxy: RecordingProxy) =>
  proxy.requests
    .filter((request) => request.target === "SageMaker.CreateTrainingJob")
    .map((request) => JSON.parse(request.body) as unknown);

describe("a campaign run by moto's Step Functions", () => {
  const plan = makePlan({ jobs: 3, maxConcurrency: 2, maxFailures: 1 });
  let world: World;
  let execution: ExecutionPlan;
  let executionArn: string;

  beforeAll(async () => {
    world = await startWorld(forMoto(stateMachineDocument({ campaignsUri: STACK.campaignsUri }), STACK.trainingRoleArn));
    // The first point was launched before (say by the local launcher): only the other two are items.
    const first = buildCreateTrainingJobRequest(plan, plan.jobs[0]!, 0, STACK);
    await world.sagemaker.send(new CreateTrainingJobCommand(first));
    const listed = await world.sagemaker.send(new ListTrainingJobsCommand({ NameContains: plan.campaign }));
    const planned = planExecution({
      plan,
      existingJobNames: (listed.TrainingJobSummaries ?? []).map((job) => job.TrainingJobName ?? ""),
      stack: STACK,
    });
    if (planned === null) throw new Error("nothing planned");
    execution = planned;
    const store = createCampaignItemsStore({ region: REGION, endpoint: world.moto.endpoint, credentials });
    await store.write(execution.itemsLocation, execution.items.body);
    const outcome = await world.backend.start({ stateMachineArn: world.stateMachineArn, name: execution.name, input: execution.inputJson });
    expect(outcome.kind).toBe("started");
    executionArn = outcome.execution.arn;
    await ended(world.backend, executionArn);
  }, 60_000);
  afterAll(() => stopWorld(world));

  it("writes the items under campaignsUri and starts the execution under its deterministic name", async () => {
    const object = await world.s3.send(new GetObjectCommand({ Bucket: STACK.bucketName, Key: execution.itemsLocation.key }));
    expect(await object.Body?.transformToString()).toBe(execution.items.body);
    expect(execution.itemsLocation.key).toMatch(/^campaigns\/seg-sfn\/items\/[0-9a-f]{16}\.json$/);
    const described = await world.backend.describe(executionArn);
    expect(described).toMatchObject({ name: execution.name, status: "SUCCEEDED" });
    expect(JSON.parse(described.input ?? "")).toEqual(execution.input);
  });

  it("has each child create exactly the request the launcher would send, once, for the points without a job", () => {
    const expected = plan.jobs.slice(1).map((job) => buildCreateTrainingJobRequest(plan, job, 0, STACK));
    const sent = createBodies(world.proxy);
    expect(sent).toHaveLength(2);
    expect(sent).toEqual(expect.arrayContaining(expected));
  });

  it("counts the items in its Map Run, with the concurrency and failure budget of the input", async () => {
    const [run, ...others] = await world.backend.mapRuns(executionArn);
    expect(others).toEqual([]);
    expect(run).toMatchObject({ status: "SUCCEEDED", maxConcurrency: 2, toleratedFailureCount: 1 });
    expect(run?.items).toMatchObject({ total: 2, succeeded: 2, failed: 0, resultsWritten: 2 });
    const jobs = await world.sagemaker.send(new ListTrainingJobsCommand({ NameContains: plan.campaign }));
    expect((jobs.TrainingJobSummaries ?? []).map((job) => job.TrainingJobName).sort()).toEqual(plan.jobs.map((job) => job.name).sort());
  });

  it("writes the Map Run's results under campaignsUri", async () => {
    const listed = await world.s3.send(new ListObjectsV2Command({ Bucket: STACK.bucketName, Prefix: "campaigns/_results/" }));
    expect((listed.Contents ?? []).map((object) => object.Key)).toContainEqual(
      expect.stringMatching(/^campaigns\/_results\/[^/]+\/manifest\.json$/),
    );
  });

  it("finds the execution again on a repeated launch instead of starting a second one", async () => {
    const again = await world.backend.start({ stateMachineArn: world.stateMachineArn, name: execution.name, input: execution.inputJson });
    expect(again).toMatchObject({ kind: "exists", sameInput: true, execution: { arn: executionArn, status: "SUCCEEDED" } });
    const changed = JSON.stringify({ ...execution.input, maxConcurrency: 3 });
    const other = await world.backend.start({ stateMachineArn: world.stateMachineArn, name: execution.name, input: changed });
    expect(other).toMatchObject({ kind: "exists", sameInput: false });
    expect(createBodies(world.proxy)).toHaveLength(2);
    expect(await world.backend.runningExecutions(world.stateMachineArn, (name) => isCampaignExecution(plan.campaign, name))).toEqual([]);
  });
});

describe("a child that fails, on moto", () => {
  const plan = makePlan({ jobs: 2, campaign: "seg-failing", maxFailures: 3 });
  let world: World;

  beforeAll(async () => {
    world = await startWorld(forMoto(stateMachineDocument({ campaignsUri: STACK.campaignsUri }), STACK.trainingRoleArn));
  }, 60_000);
  afterAll(() => stopWorld(world));

  it("fails that child alone and counts it against the tolerated failures (which moto records but does not enforce)", async () => {
    const execution = planExecution({ plan, existingJobNames: [], stack: STACK });
    if (execution === null) throw new Error("nothing planned");
    // A test-only corruption of one item: without Tags, its task's path $.request.Tags is missing, so
    // that child fails (States.Runtime, which no Catch takes) and the others go on.
    const items = JSON.parse(execution.items.body) as { Tags?: unknown }[];
    delete items[1]!.Tags;
    const store = createCampaignItemsStore({ region: REGION, endpoint: world.moto.endpoint, credentials });
    await store.write(execution.itemsLocation, JSON.stringify(items));
    const outcome = await world.backend.start({ stateMachineArn: world.stateMachineArn, name: execution.name, input: execution.inputJson });
    await ended(world.backend, outcome.execution.arn);
    const [run] = await world.backend.mapRuns(outcome.execution.arn);
    expect(run?.items).toMatchObject({ total: 2, succeeded: 1, failed: 1 });
    expect(run?.toleratedFailureCount).toBe(3);
    const jobs = await world.sagemaker.send(new ListTrainingJobsCommand({ NameContains: plan.campaign }));
    expect((jobs.TrainingJobSummaries ?? []).map((job) => job.TrainingJobName)).toEqual([plan.jobs[0]!.name]);
  });
});

describe("stopping and finding executions, on moto", () => {
  let world: World;
  const waiting = { StartAt: "Wait", States: { Wait: { Type: "Wait", Seconds: 600, End: true } } };

  beforeAll(async () => {
    world = await startWorld(waiting);
  }, 60_000);
  afterAll(() => stopWorld(world));

  it("lists a campaign's running execution, stops it, and answers a second stop with how it ended", async () => {
    const name = "seg-stop-0123456789abcdef";
    const started = await world.backend.start({ stateMachineArn: world.stateMachineArn, name, input: "{}" });
    expect(started).toMatchObject({ kind: "started", execution: { name, status: "RUNNING" } });
    const running = await world.backend.runningExecutions(world.stateMachineArn, (candidate) => isCampaignExecution("seg-stop", candidate));
    expect(running.map((execution) => execution.name)).toEqual([name]);
    expect(await world.backend.runningExecutions(world.stateMachineArn, (candidate) => isCampaignExecution("seg", candidate))).toEqual([]);
    const stopped = await world.backend.stop(started.execution.arn, "segsweep stop");
    expect(stopped.status).toBe("ABORTED");
    expect((await world.backend.stop(started.execution.arn, "segsweep stop")).status).toBe("ABORTED");
  });

  it("reports an unknown execution as a classified error naming it", async () => {
    const arn = `${world.stateMachineArn.replace(":stateMachine:", ":execution:")}:nope`;
    await expect(world.backend.describe(arn)).rejects.toThrow(/DescribeExecution .*nope/);
  });
});
