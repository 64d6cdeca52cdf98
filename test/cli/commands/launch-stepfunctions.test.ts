import { GetObjectCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { CreateTrainingJobCommand, SageMakerClient } from "@aws-sdk/client-sagemaker";
import { DescribeExecutionCommand, ListExecutionsCommand, type SFNClient } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCampaignItemsStore } from "../../../src/backend/campaign-items.js";
import type { Clock } from "../../../src/backend/clock.js";
import { systemClock } from "../../../src/backend/clock.js";
import { buildCreateTrainingJobRequest } from "../../../src/backend/request.js";
import { createSageMakerBackend } from "../../../src/backend/sagemaker.js";
import { createStepFunctionsBackend } from "../../../src/backend/stepfunctions.js";
import type { TrainingBackend } from "../../../src/backend/types.js";
import { stateMachineDocument } from "../../../src/campaign/engines/stepfunctions/definition.js";
import { EXECUTION_INPUT_MAX } from "../../../src/campaign/engines/stepfunctions/execution.js";
import { memoryJournal } from "../../../src/campaign/journal.js";
import type { CampaignDeps } from "../../../src/cli/commands/deps.js";
import { createLaunchCommand, parseLaunchFlags } from "../../../src/cli/commands/launch.js";
import { createReportCommand } from "../../../src/cli/commands/report.js";
import { createStatusCommand } from "../../../src/cli/commands/status.js";
import { createStopCommand } from "../../../src/cli/commands/stop.js";
import { UsageError, UserError } from "../../../src/errors.js";
import type { JobsPlan } from "../../../src/plan/types.js";
import type { StackOutputs } from "../../../src/stack/outputs.js";
import { makePlan, STACK } from "../../campaign/engines/stepfunctions/fixtures.js";
import { motoCampaignStack } from "../../campaign/engines/stepfunctions/moto-stack.js";
import { forMoto } from "../../campaign/engines/stepfunctions/swaps.js";
import { captureIO } from "../../kit/cli.js";
import { fakeDeps } from "../../kit/deps.js";
import { type Moto, startMoto } from "../../kit/moto.js";
import { sageMakerWith } from "../../kit/sagemaker.js";
import { jobDetails } from "../../report/fixtures.js";

/**
 * `launch --runner stepfunctions`, `status` and `stop` in-process against moto's S3 and Step
 * Functions servers through the real AWS SDK. moto runs a Distributed Map execution only once per
 * server (docs/server-side.md), so the whole campaign has its server, and the stop and one-runner
 * cases use a state machine that waits, on a server of their own.
 */

const REGION = "us-east-1";
const credentials = { accessKeyId: "AKIDSEGSWEEPTEST", secretAccessKey: "segsweep-test-secret" };
const FILE = "sweeps/seg-sfn.yaml";
const STACK_FLAGS = ["--stack-outputs", "stack.json"];
/** Real time, in short steps: moto runs executions on a thread of its own. */
const shortSleeps: Clock = { now: () => Date.now(), sleep: (ms, signal) => systemClock.sleep(Math.min(ms, 50), signal) };

interface Server {
  readonly moto: Moto;
  readonly sfn: SFNClient;
  readonly s3: S3Client;
  readonly stack: StackOutputs;
}

/** moto with this state machine; `execute`: moto runs executions (then only one start per server, docs/server-side.md). */
async function startServer(definition: unknown, execute: boolean): Promise<Server> {
  const moto = await startMoto();
  if (execute) await moto.configure({ stepfunctions: { execute_state_machine: true } });
  const { sfn, s3, stateMachineArn } = await motoCampaignStack(moto.endpoint, definition);
  return { moto, sfn, s3, stack: { ...STACK, campaignStateMachineArn: stateMachineArn } };
}

/** The commands' world: the given SageMaker, moto's Step Functions and S3. */
function depsOn(server: Server, plan: JobsPlan, backend: TrainingBackend): CampaignDeps {
  return {
    ...fakeDeps(plan, { backend, stack: server.stack, clock: shortSleeps }),
    serverSide: async (request) => ({
      stateMachineArn: request.stateMachineArn,
      stepFunctions: createStepFunctionsBackend({ region: request.region, endpoint: server.moto.endpoint, credentials }),
      items: createCampaignItemsStore({ region: request.region, endpoint: server.moto.endpoint, credentials }),
    }),
  };
}

async function executionNames(server: Server): Promise<string[]> {
  const listed = await server.sfn.send(new ListExecutionsCommand({ stateMachineArn: server.stack.campaignStateMachineArn }));
  return (listed.executions ?? []).map((execution) => `${execution.name} ${execution.status}`).sort();
}

async function itemsFiles(server: Server, campaign: string): Promise<{ key: string; items: { TrainingJobName: string }[] }[]> {
  const listed = await server.s3.send(new ListObjectsV2Command({ Bucket: STACK.bucketName, Prefix: `campaigns/${campaign}/items/` }));
  return Promise.all(
    (listed.Contents ?? []).map(async (object) => {
      const body = await server.s3.send(new GetObjectCommand({ Bucket: STACK.bucketName, Key: object.Key }));
      return { key: object.Key ?? "", items: JSON.parse((await body.Body?.transformToString()) ?? "[]") };
    }),
  );
}

describe("a campaign launched on moto's Step Functions, followed, relaunched and shown by status", () => {
  const plan = makePlan({ jobs: 3, maxConcurrency: 2, maxFailures: 1 });
  let server: Server;
  let deps: CampaignDeps;

  beforeAll(async () => {
    server = await startServer(forMoto(stateMachineDocument({ campaignsUri: STACK.campaignsUri }), STACK.trainingRoleArn), true);
    const sagemaker = new SageMakerClient({ region: REGION, endpoint: server.moto.endpoint, credentials });
    // The first point was launched before, by the local runner: the execution carries the other two.
    await sagemaker.send(new CreateTrainingJobCommand(buildCreateTrainingJobRequest(plan, plan.jobs[0]!, 0, STACK)));
    deps = depsOn(server, plan, createSageMakerBackend({ region: REGION, client: sagemaker }));
  }, 60_000);
  afterAll(() => server?.moto.close());

  it("writes only the missing points, starts the execution under its name, and --follow follows it to the end", async () => {
    const out = captureIO();
    const code = await createLaunchCommand(deps)([FILE, "--runner", "stepfunctions", "--follow", "--yes", ...STACK_FLAGS], out.io);
    expect(out.stderr()).toContain("on SageMaker already: 1 (0 running, 1 done, 0 failed, 0 stopped); missing: 2.");
    expect(code).toBe(0);
    const [file, ...others] = await itemsFiles(server, plan.campaign);
    expect(others).toEqual([]);
    expect(file?.items.map((item) => item.TrainingJobName)).toEqual(plan.jobs.slice(1).map((job) => job.name));
    const name = `${plan.campaign}-${/items\/([0-9a-f]{16})\.json$/.exec(file?.key ?? "")?.[1]}`;
    expect(out.stdout()).toContain(`Started Step Functions execution ${name} (`);
    expect(out.stdout()).toContain(`arn:aws:states:us-east-1:123456789012:execution:segsweep-campaigns:${name}`);
    expect(out.stdout()).toContain(`#/v2/executions/details/arn:aws:states:us-east-1:123456789012:execution:segsweep-campaigns:${name}`);
    expect(await executionNames(server)).toEqual([`${name} SUCCEEDED`]);
    // The progress line tells the jobs the execution created, not the one that existed before.
    for (const job of plan.jobs.slice(1)) expect(out.stderr()).toContain(`completed ${job.name} (`);
    expect(out.stderr()).not.toContain(`completed ${plan.jobs[0]!.name}`);
    // The report at the end has every point, from SageMaker.
    for (const job of plan.jobs) expect(out.stdout()).toContain(job.name);
  }, 60_000);

  it("starts nothing on a relaunch once every point has a job", async () => {
    const before = await executionNames(server);
    const out = captureIO();
    expect(await createLaunchCommand(deps)([FILE, "--runner", "stepfunctions", "--yes", ...STACK_FLAGS], out.io)).toBe(0);
    expect(out.stderr()).toContain("Every planned point has a job on SageMaker: nothing to start.");
    expect(await executionNames(server)).toEqual(before);
  });

  it("shows the execution and its Map Run counts next to the jobs", async () => {
    const out = captureIO();
    expect(await createStatusCommand(deps)([FILE, ...STACK_FLAGS], out.io)).toBe(0);
    expect(out.stdout()).toMatch(/Step Functions execution seg-sfn-[0-9a-f]{16}: SUCCEEDED \(/);
    expect(out.stdout()).toContain(
      "Map Run SUCCEEDED: 2 of 2 items succeeded, 0 running, 0 failed (1 tolerated), 0 pending; at most 2 jobs at once",
    );
    const json = captureIO();
    expect(await createStatusCommand(deps)([FILE, "--json", ...STACK_FLAGS], json.io)).toBe(0);
    expect(JSON.parse(json.stdout())).toMatchObject({ stepFunctions: { running: 0, total: 1, latest: { status: "SUCCEEDED" } } });
  });

  it("adds the execution to the report's table", async () => {
    const out = captureIO();
    expect(await createReportCommand(deps)([FILE, ...STACK_FLAGS], out.io)).toBe(0);
    expect(out.stdout()).toMatch(/Leaderboard[\s\S]*Step Functions execution seg-sfn-[0-9a-f]{16}: SUCCEEDED/);
    const json = captureIO();
    expect(await createReportCommand(deps)([FILE, "--format", "json", ...STACK_FLAGS], json.io)).toBe(0);
    expect(JSON.parse(json.stdout())).not.toHaveProperty("stepFunctions");
  });

  it("shows no execution without a stack, as before", async () => {
    const out = captureIO();
    expect(await createStatusCommand(deps)([FILE], out.io)).toBe(0);
    expect(out.stdout()).not.toContain("Step Functions");
  });
});

describe("one runner at a time, a repeated launch and stop, on moto", () => {
  const waiting = { StartAt: "Wait", States: { Wait: { Type: "Wait", Seconds: 600, End: true } } };
  // A relaunch after a sweep change: the execution's items are this plan's missing points.
  const plan = makePlan({ jobs: 3, campaign: "seg-wait" });
  const [first] = plan.jobs;
  let server: Server;
  let backend: ReturnType<typeof sageMakerWith>;
  let deps: CampaignDeps;

  beforeAll(async () => {
    // Not executed: moto keeps an execution RUNNING until it is stopped, and starts any number of them.
    server = await startServer(waiting, false);
    // The first point runs, launched locally.
    backend = sageMakerWith([jobDetails(first!.name, { status: "InProgress", tags: { "segsweep:campaign": plan.campaign } })]);
    deps = depsOn(server, plan, backend);
  }, 60_000);
  afterAll(() => server?.moto.close());

  it("refuses to start while locally launched jobs are in progress, unless told to take over", async () => {
    const refused = createLaunchCommand(deps)([FILE, "--runner", "stepfunctions", "--yes", ...STACK_FLAGS], captureIO().io);
    await expect(refused).rejects.toThrow("1 training job of campaign seg-wait is in progress and no Step Functions execution runs");
    expect(await executionNames(server)).toEqual([]);
    expect(await itemsFiles(server, plan.campaign)).toEqual([]);

    const declined = captureIO({ confirm: async () => false });
    expect(await createLaunchCommand(deps)([FILE, "--runner", "stepfunctions", "--take-over", ...STACK_FLAGS], declined.io)).toBe(1);
    expect(declined.stderr()).toContain("Nothing started.");
    expect(await executionNames(server)).toEqual([]);

    const out = captureIO();
    expect(await createLaunchCommand(deps)([FILE, "--runner", "stepfunctions", "--take-over", "--yes", ...STACK_FLAGS], out.io)).toBe(0);
    const [file] = await itemsFiles(server, plan.campaign);
    expect(file?.items.map((item) => item.TrainingJobName)).toEqual(plan.jobs.slice(1).map((job) => job.name));
    expect(await executionNames(server)).toEqual([expect.stringMatching(/^seg-wait-[0-9a-f]{16} RUNNING$/)]);
    expect(out.stdout()).toContain("segsweep status sweeps/seg-sfn.yaml --stack-outputs stack.json --watch");
  });

  it("is a no-op when launched again while the execution runs", async () => {
    const before = await executionNames(server);
    const out = captureIO();
    expect(await createLaunchCommand(deps)([FILE, "--runner", "stepfunctions", "--yes", ...STACK_FLAGS], out.io)).toBe(0);
    expect(out.stdout()).toMatch(/Step Functions execution seg-wait-[0-9a-f]{16} of this campaign runs already .*: nothing new started\./);
    expect(out.stderr()).not.toContain("not in that execution");
    // The sweep file gained a point meanwhile: still nothing started, and the new point is named as waiting.
    const grown = makePlan({ jobs: 4, campaign: "seg-wait" });
    const changed = captureIO();
    expect(
      await createLaunchCommand(depsOn(server, grown, backend))([FILE, "--runner", "stepfunctions", "--yes", ...STACK_FLAGS], changed.io),
    ).toBe(0);
    expect(changed.stderr()).toContain("1 point of this plan is not in that execution (the sweep file changed since it started)");
    expect(await executionNames(server)).toEqual(before);
  });

  it("refuses a local launch while the execution runs", async () => {
    const out = captureIO({ cwd: process.cwd() });
    const launch = createLaunchCommand({ ...deps, openJournal: () => memoryJournal() });
    await expect(launch([FILE, "--yes", ...STACK_FLAGS], out.io)).rejects.toThrow(
      /Campaign seg-wait is being run by AWS Step Functions \(execution seg-wait-[0-9a-f]{16}, started .*\); launching it here as well would create the same points\. Nothing launched\./,
    );
    expect(backend.creates.size).toBe(0);
  });

  it("shows the running execution, then stop stops it and the campaign's in-progress jobs", async () => {
    const status = captureIO();
    expect(await createStatusCommand(deps)([FILE, ...STACK_FLAGS], status.io)).toBe(0);
    expect(status.stdout()).toMatch(/Step Functions execution seg-wait-[0-9a-f]{16}: RUNNING \(since /);

    const out = captureIO();
    expect(await createStopCommand(deps)([FILE, "--yes", ...STACK_FLAGS], out.io)).toBe(0);
    expect(out.stdout()).toMatch(/Step Functions execution seg-wait-[0-9a-f]{16}: ABORTED\./);
    expect(out.stdout()).toContain(`  stopping ${first!.name}`);
    expect(backend.stopRequests).toEqual([first!.name]);
    expect(await executionNames(server)).toEqual([expect.stringMatching(/ ABORTED$/)]);
  });

  it("starts the same items again under the next name once their execution ended without creating a job", async () => {
    // The stopped job is Stopping, not in progress: no local launch is at work.
    const out = captureIO();
    expect(await createLaunchCommand(deps)([FILE, "--runner", "stepfunctions", "--yes", ...STACK_FLAGS], out.io)).toBe(0);
    const names = await executionNames(server);
    expect(names).toHaveLength(2);
    expect(names).toContainEqual(expect.stringMatching(/^seg-wait-[0-9a-f]{16}-1 RUNNING$/));
  });

  it("launches 10,000 points through S3, the execution input far within Step Functions' 256 KiB", async () => {
    const big = makePlan({ jobs: 10_000, campaign: "seg-big", maxConcurrency: 50 });
    const bigDeps = depsOn(server, big, sageMakerWith([]));
    const started = performance.now();
    const out = captureIO();
    expect(await createLaunchCommand(bigDeps)([FILE, "--runner", "stepfunctions", "--yes", ...STACK_FLAGS], out.io)).toBe(0);
    const seconds = (performance.now() - started) / 1000;
    const [file] = await itemsFiles(server, big.campaign);
    expect(file?.items).toHaveLength(10_000);
    const listed = await server.sfn.send(new ListExecutionsCommand({ stateMachineArn: server.stack.campaignStateMachineArn }));
    const execution = (listed.executions ?? []).find((candidate) => candidate.name?.startsWith("seg-big-"));
    const described = await server.sfn.send(new DescribeExecutionCommand({ executionArn: execution?.executionArn }));
    const input = described.input ?? "";
    expect(JSON.parse(input)).toMatchObject({ campaign: "seg-big", items: { count: 10_000 }, maxConcurrency: 50 });
    expect(input.length).toBeLessThan(EXECUTION_INPUT_MAX / 100);
    const fileBytes = Buffer.byteLength(JSON.stringify(file?.items));
    console.log(
      `launch --runner stepfunctions, 10,000 points: items file ${(fileBytes / 1_048_576).toFixed(1)} MiB in S3, ` +
        `execution input ${input.length} characters (${((100 * input.length) / EXECUTION_INPUT_MAX).toFixed(2)}% of 256 KiB), ` +
        `${seconds.toFixed(1)} s against moto`,
    );
  }, 120_000);
});

describe("launch --runner, without AWS", () => {
  const plan = makePlan({ jobs: 3, maxConcurrency: 2 });

  it("takes local or stepfunctions, and --follow / --take-over only with stepfunctions, never with --simulate", () => {
    expect(parseLaunchFlags([FILE])).not.toHaveProperty("runner");
    expect(parseLaunchFlags([FILE, "--runner", "stepfunctions", "--follow"])).toMatchObject({
      runner: "stepfunctions",
      follow: true,
      takeOver: false,
    });
    expect(() => parseLaunchFlags([FILE, "--runner", "lambda"])).toThrow(
      new UsageError('--runner must be local or stepfunctions; got "lambda".'),
    );
    expect(() => parseLaunchFlags([FILE, "--follow"])).toThrow(/--follow and --take-over go with --runner stepfunctions/);
    expect(() => parseLaunchFlags([FILE, "--runner", "stepfunctions", "--simulate"])).toThrow(/the stand-in has no Step Functions/);
  });

  it("--dry-run prints the execution's name, input and items, and calls nothing", async () => {
    const deps = fakeDeps(plan, { backend: sageMakerWith([]) });
    const out = captureIO();
    expect(await createLaunchCommand(deps)([FILE, "--runner", "stepfunctions", "--dry-run"], out.io)).toBe(0);
    const printed = JSON.parse(out.stdout());
    expect(printed.executionName).toMatch(/^seg-sfn-[0-9a-f]{16}$/);
    expect(printed.itemsFile).toMatch(/^s3:\/\/segsweep-data-123456789012\/campaigns\/seg-sfn\/items\/[0-9a-f]{16}\.json$/);
    expect(printed.input).toMatchObject({ campaign: "seg-sfn", items: { count: 3 }, maxConcurrency: 2 });
    expect(printed.items).toEqual(
      plan.jobs.map((job) => buildCreateTrainingJobRequest(plan, job, 0, STACK, { gitCommit: "0123456789abcdef0123456789abcdef01234567" })),
    );
    expect(deps.opened).toEqual([]);
  });

  it("says how to turn server-side campaigns on when the stack has no state machine", async () => {
    const deps = fakeDeps(plan, { backend: sageMakerWith([]) });
    await expect(createLaunchCommand(deps)([FILE, "--runner", "stepfunctions", "--yes"], captureIO().io)).rejects.toThrow(
      new UserError(
        "The stack has no state machine for server-side campaigns (no campaignStateMachineArn output).\n" +
          "Turn it on with `pulumi config set serverSideCampaigns true` and `pulumi up`, then pass the new outputs (docs/server-side.md).",
      ),
    );
    expect(deps.opened).toEqual([]);
  });
});
