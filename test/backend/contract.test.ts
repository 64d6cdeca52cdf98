import { afterEach, describe, expect, it } from "vitest";
import { buildCreateTrainingJobRequest } from "../../src/backend/request.js";
import { createSageMakerBackend } from "../../src/backend/sagemaker.js";
import { BackendError, type TrainingBackend } from "../../src/backend/types.js";
import { TAG_CAMPAIGN, TAG_POINT } from "../../src/catalog/sagemaker-api.js";
import { type Standin, startStandin } from "../../src/standin/index.js";
import { makePlan } from "../campaign/fixtures.js";
import { createFakeClock, type FakeClock } from "../kit/clock.js";
import { InMemorySageMaker } from "../kit/sagemaker.js";
import { STACK } from "../kit/stack.js";

/**
 * The contract every TrainingBackend keeps (the way Optuna tests every sampler with one suite):
 * the same cases run against the in-memory SageMaker of the tests and against the real SDK backend
 * pointed at the stand-in, so the implementations cannot drift. Jobs take an hour and complete.
 */
const HOUR = 3_600_000;
const CREDENTIALS = { accessKeyId: "TEST", secretAccessKey: "test-secret" };

interface World {
  readonly backend: TrainingBackend;
  readonly clock: FakeClock;
}

let standin: Standin | undefined;
afterEach(async () => {
  await standin?.close();
  standin = undefined;
});

const implementations: readonly [string, (throttleRate?: number) => Promise<World>][] = [
  [
    "the in-memory SageMaker",
    async (throttleRate) => {
      const clock = createFakeClock();
      return {
        clock,
        backend: new InMemorySageMaker({ clock, durationMs: () => HOUR, ...(throttleRate !== undefined ? { throttleRate } : {}) }),
      };
    },
  ],
  [
    "the SDK backend on the stand-in",
    async (throttleRate) => {
      const clock = createFakeClock();
      standin = await startStandin({ clock, duration: () => 3600, ...(throttleRate !== undefined ? { throttleRate } : {}) });
      return {
        clock,
        backend: createSageMakerBackend({ region: "us-east-1", endpoint: standin.endpoint, credentials: CREDENTIALS, clock }),
      };
    },
  ],
];

const plan = makePlan({ jobs: 130, campaign: "seg-contract" });
const other = makePlan({ jobs: 2, campaign: "seg-contract-b" });
const request = (index: number, attempt = 0, of = plan) => buildCreateTrainingJobRequest(of, of.jobs[index]!, attempt, STACK);

describe.each(implementations)("the TrainingBackend contract: %s", (_, start) => {
  it("creates a job once: a second create of the name is 'exists'; an unknown name is not-found", async () => {
    const { backend } = await start();
    await expect(backend.createJob(request(0))).resolves.toBe("created");
    await expect(backend.createJob(request(0))).resolves.toBe("exists");
    const missing = await backend.describeJob("seg-contract-000000000000").catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(BackendError);
    expect((missing as BackendError).kind).toBe("not-found");
  });

  it("lists by name prefix in pages of 100, oldest first, narrowed by creation and by change time", async () => {
    const { backend, clock } = await start();
    for (let i = 0; i < 105; i++) await backend.createJob(request(i));
    await backend.createJob(request(0, 0, other));
    const all = await backend.listJobs("seg-contract-");
    expect(all.filter((job) => job.name.startsWith("seg-contract-b-"))).toHaveLength(1);
    const ours = all.filter((job) => !job.name.startsWith("seg-contract-b-"));
    expect(ours).toHaveLength(105);
    expect(ours.every((job) => job.status === "InProgress")).toBe(true);
    expect(backend.calls.ListTrainingJobs).toBe(2);
    const firstCreated = ours[0]!.createdAt;
    expect(await backend.listJobs("seg-contract-", { createdAfter: clock.now() + 1000 })).toEqual([]);
    expect((await backend.listJobs("seg-contract-", { createdAfter: firstCreated - 1 })).length).toBe(106);

    clock.advance(2 * HOUR);
    const changedSince = clock.now() - 1000;
    await backend.createJob(request(120));
    const changed = await backend.listJobs("seg-contract-", { modifiedAfter: changedSince });
    expect(changed.map((job) => job.name)).toEqual([plan.jobs[120]!.name]);
    const ended = await backend.listJobs("seg-contract-", { modifiedAfter: firstCreated });
    expect(ended.filter((job) => job.status === "Completed")).toHaveLength(106);
  });

  it("describes an ended job with its final metrics, billable time and instance", async () => {
    const { backend, clock } = await start();
    await backend.createJob(request(1));
    expect((await backend.describeJob(plan.jobs[1]!.name)).status).toBe("InProgress");
    clock.advance(2 * HOUR);
    const details = await backend.describeJob(plan.jobs[1]!.name);
    expect(details).toMatchObject({ name: plan.jobs[1]!.name, status: "Completed", instanceType: "ml.p3.2xlarge", instanceCount: 1 });
    expect(details.metrics["validation:mIOU"]).toBeGreaterThan(0);
    expect(details.billableSeconds).toBeGreaterThan(0);
    expect(details.hyperparameters).toEqual(plan.jobs[1]!.hyperparameters);
  });

  it("stops a job in progress (Stopping, then Stopped) and refuses to stop one that is not", async () => {
    const { backend, clock } = await start();
    await backend.createJob(request(2));
    await backend.stopJob(plan.jobs[2]!.name);
    expect((await backend.describeJob(plan.jobs[2]!.name)).status).toMatch(/^Stopp(ing|ed)$/);
    clock.advance(10 * 60_000);
    expect((await backend.describeJob(plan.jobs[2]!.name)).status).toBe("Stopped");
    const again = await backend.stopJob(plan.jobs[2]!.name).catch((error: unknown) => error);
    expect(again).toBeInstanceOf(BackendError);
    expect((again as BackendError).kind).toBe("validation");
  });

  it("finds a campaign's jobs by tag with Search: full records with tags and metrics, 100 a call", async () => {
    const { backend, clock } = await start();
    for (let i = 0; i < 101; i++) await backend.createJob(request(i));
    await backend.createJob(request(0, 0, other));
    clock.advance(2 * HOUR);
    const found = await backend.searchJobs({ [TAG_CAMPAIGN]: "seg-contract" });
    expect(found).toHaveLength(101);
    expect(backend.calls.Search).toBe(2);
    const first = found.find((job) => job.name === plan.jobs[0]!.name);
    expect(first?.tags).toMatchObject({ [TAG_CAMPAIGN]: "seg-contract", [TAG_POINT]: plan.jobs[0]!.pointId });
    expect(found.every((job) => job.status === "Completed" && job.metrics["validation:mIOU"] !== undefined)).toBe(true);
    expect(await backend.searchJobs({ [TAG_CAMPAIGN]: "seg-contract", [TAG_POINT]: plan.jobs[7]!.pointId })).toHaveLength(1);
  });

  it("retries throttled calls itself, tells who listens, and counts them", async () => {
    const { backend } = await start(0.3);
    const retries: string[] = [];
    backend.onRetry((notice) => retries.push(notice.operation));
    for (let i = 0; i < 20; i++) await backend.createJob(request(i));
    await backend.listJobs("seg-contract-");
    expect((await backend.listJobs("seg-contract-")).length).toBe(20);
    expect(retries.length).toBeGreaterThan(0);
    expect(Object.values(backend.calls).reduce((a, b) => a + b, 0)).toBe(22 + retries.length);
  });
});
