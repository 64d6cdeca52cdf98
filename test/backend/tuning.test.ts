import { describe, expect, it } from "vitest";
import { createTuningBackend } from "../../src/backend/tuning.js";
import { BackendError } from "../../src/backend/types.js";
import { createFakeClock } from "../kit/clock.js";
import { HOUR, manualClock, standin } from "../standin/helpers.js";
import { bayesianRequest, tuningRequests } from "../standin/tuning-helpers.js";

const credentials = { accessKeyId: "AKIDSTANDINTEST", secretAccessKey: "standin-test-secret" };

async function backendOn(options: Omit<NonNullable<Parameters<typeof standin>[0]>, "clock"> = {}) {
  const clock = manualClock();
  const target = await standin({ ...options, clock });
  const backend = createTuningBackend({
    region: "us-east-1",
    endpoint: target.endpoint,
    credentials,
    clock: createFakeClock(),
    random: () => 0.5,
  });
  return { backend, target, clock };
}

describe("the tuning backend against the stand-in, through the real SDK", () => {
  it("creates a tuning job, and a second create of the same request is that tuning job (idempotent)", async () => {
    const { backend, target } = await backendOn();
    const request = await bayesianRequest(4, 2);
    await expect(backend.createTuningJob(request)).resolves.toBe("created");
    await expect(backend.createTuningJob(request)).resolves.toBe("exists");
    expect(backend.calls).toEqual({ CreateHyperParameterTuningJob: 2 });
    expect(target.stats().calls.CreateHyperParameterTuningJob).toBe(2);
  });

  it("describes it: status, limits, counters and AMT's best job", async () => {
    const { backend, clock } = await backendOn({ durationLogNormal: { medianSeconds: 1200, sigma: 0.3 } });
    const request = await bayesianRequest(4, 4);
    const name = request.HyperParameterTuningJobName ?? "";
    await backend.createTuningJob(request);
    const running = await backend.describeTuningJob(name);
    expect(running).toMatchObject({ name, status: "InProgress", maxTrainingJobs: 4, maxParallelTrainingJobs: 4 });
    expect(running.trainingJobs.inProgress).toBe(4);
    expect(running.best).toBeUndefined();
    clock.advance(24 * HOUR);
    const done = await backend.describeTuningJob(name);
    expect(done.status).toBe("Completed");
    expect(done.trainingJobs.completed).toBe(4);
    const jobs = await backend.listTuningTrainingJobs(name);
    const best = Math.max(...jobs.map((j) => j.objective?.value ?? -1));
    expect(done.best?.objective).toEqual({ metric: "validation:mIOU", value: best });
    expect(done.endedAt).toBe(Math.max(...jobs.map((j) => j.endedAt ?? 0)));
  });

  it("lists every training job of a tuning job, 100 per call, with tuned values and objectives", async () => {
    const { backend, clock } = await backendOn({ durationLogNormal: { medianSeconds: 600, sigma: 0.1 } });
    const [request] = await tuningRequests(
      "learning_rate: {log_uniform: [0.0001, 0.1]}\nmini_batch_size: [8, 16]",
      "engine: tuning\nstrategy: random\nsamples: 150\nlimits:\n  max_concurrency: 100",
    );
    if (request === undefined) throw new Error("no request");
    const name = request.HyperParameterTuningJobName ?? "";
    await backend.createTuningJob(request);
    clock.advance(48 * HOUR);
    const jobs = await backend.listTuningTrainingJobs(name);
    expect(jobs).toHaveLength(150);
    expect(new Set(jobs.map((j) => j.name)).size).toBe(150);
    expect(backend.calls.ListTrainingJobsForHyperParameterTuningJob).toBe(2);
    expect(jobs.every((j) => j.status === "Completed" && j.objectiveStatus === "Succeeded" && j.objective !== undefined)).toBe(true);
    expect(Object.keys(jobs[0]?.tunedHyperparameters ?? {}).sort()).toEqual(["learning_rate", "mini_batch_size"]);
    expect(await backend.listTuningTrainingJobs(name, { status: "Failed" })).toEqual([]);
  });

  it("stops a tuning job", async () => {
    const { backend, clock } = await backendOn();
    const request = await bayesianRequest(10, 3);
    const name = request.HyperParameterTuningJobName ?? "";
    await backend.createTuningJob(request);
    await backend.stopTuningJob(name);
    expect((await backend.describeTuningJob(name)).status).toBe("Stopping");
    clock.advance(HOUR);
    const stopped = await backend.describeTuningJob(name);
    expect(stopped.status).toBe("Stopped");
    expect(stopped.trainingJobs.stopped).toBe(3);
  });

  it("retries throttled calls on its clock, and classifies what cannot succeed", async () => {
    const { backend } = await backendOn({ throttleRate: { DescribeHyperParameterTuningJob: 0.5 }, seed: 4 });
    const request = await bayesianRequest(2, 1);
    await backend.createTuningJob(request);
    for (let i = 0; i < 5; i++) await backend.describeTuningJob(request.HyperParameterTuningJobName ?? "");
    expect(backend.calls.DescribeHyperParameterTuningJob).toBeGreaterThan(5);
    const missing = await backend.describeTuningJob("no-such-job").catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(BackendError);
    expect((missing as BackendError).kind).toBe("not-found");
    const invalid = await backend.createTuningJob({ ...request, HyperParameterTuningJobName: "bad_name" }).catch((error: unknown) => error);
    expect((invalid as BackendError).kind).toBe("validation");
  });
});
