import { afterEach, describe, expect, it } from "vitest";
import { createSageMakerBackend } from "../../src/backend/sagemaker.js";
import { createSqsEventSource } from "../../src/backend/sqs-events.js";
import { memoryJournal } from "../../src/campaign/journal.js";
import { type Standin, type StandinOptions, startStandin } from "../../src/standin/index.js";
import { createFakeClock, type FakeClock } from "../kit/clock.js";
import { launchAgainst, makePlan } from "./fixtures.js";

/**
 * End to end through the real SDK against the local stand-in, on one shared fake clock: the
 * stand-in's jobs age only as the launcher sleeps, so hours of SageMaker time pass in moments.
 */
const CREDENTIALS = { accessKeyId: "TEST", secretAccessKey: "test-secret" };
const SAGEMAKER_OPERATIONS = ["CreateTrainingJob", "DescribeTrainingJob", "ListTrainingJobs", "StopTrainingJob"];

let standin: Standin | undefined;
afterEach(async () => {
  await standin?.close();
  standin = undefined;
});

async function world(
  options: Omit<StandinOptions, "clock"> = {},
): Promise<{ clock: FakeClock; standin: Standin; backend: ReturnType<typeof createSageMakerBackend> }> {
  const clock = createFakeClock();
  standin = await startStandin({ clock, ...options });
  const backend = createSageMakerBackend({
    region: "us-east-1",
    endpoint: standin.endpoint,
    credentials: CREDENTIALS,
    clock,
    backoff: { baseMs: 200, capMs: 5000 },
    // 0.3^24: with 30% of calls throttled, no call of these campaigns stays throttled through its attempts.
    maxAttempts: 24,
  });
  return { clock, standin, backend };
}

function expectEachPlannedJobCreatedOnce(standin: Standin, names: readonly string[]): void {
  const { createsByName } = standin.stats();
  for (const name of names) expect(createsByName[name], name).toBe(1);
  expect(Object.values(createsByName).every((count) => count === 1)).toBe(true);
}

describe("launching against the SageMaker stand-in", () => {
  it("never has more than max_concurrency jobs in progress, and trains every planned point exactly once", async () => {
    const { clock, standin, backend } = await world({ seed: 3 });
    const plan = makePlan({ jobs: 30, maxConcurrency: 5 });

    const { result } = await launchAgainst(backend, plan, clock);

    expect(result.outcome).toBe("finished");
    expect(standin.stats().maxInProgress).toBe(5);
    expectEachPlannedJobCreatedOnce(
      standin,
      plan.jobs.map((job) => job.name),
    );
    expect(result.state.counts()).toMatchObject({ done: 30, failed: 0 });
  });

  it("finishes with no failure when 30% of calls are throttled and the quota is below max_concurrency", async () => {
    const { clock, standin, backend } = await world({ seed: 5, throttleRate: 0.3, instanceQuota: 3 });
    const plan = makePlan({ jobs: 20, maxConcurrency: 6 });

    const { result, events } = await launchAgainst(backend, plan, clock);

    expect(result.outcome).toBe("finished");
    expect(result.state.counts()).toMatchObject({ done: 20, failed: 0 });
    expect(standin.stats().throttled).toBeGreaterThan(10);
    expect(standin.stats().maxInProgress).toBeLessThanOrEqual(3);
    expect(events.find(({ event }) => event.type === "quota")?.event).toMatchObject({
      quota: "Number of instances across all training jobs",
      quotaLimit: 3,
    });
    expectEachPlannedJobCreatedOnce(
      standin,
      plan.jobs.map((job) => job.name),
    );
  });

  it("stops at max_failures when trainings fail on their own (algorithm errors)", async () => {
    const { clock, standin, backend } = await world({ seed: 7, failureRates: { algorithm: 0.6 } });
    const plan = makePlan({ jobs: 30, maxConcurrency: 3, maxFailures: 2 });

    const { result } = await launchAgainst(backend, plan, clock);

    expect(result.outcome).toBe("failure-limit");
    expect(result.state.counts().failed).toBe(3);
    expect(Object.keys(standin.stats().createsByName).length).toBeLessThan(30);
    expect(Object.keys(standin.stats().createsByName).some((name) => name.endsWith("-r1"))).toBe(false);
  });

  it("leaves a resumable campaign after Ctrl-C: running jobs keep running, a second launch finishes the rest once", async () => {
    const { clock, standin, backend } = await world({ seed: 9 });
    const plan = makePlan({ jobs: 12, maxConcurrency: 4 });
    const controller = new AbortController();
    const journal = memoryJournal();

    const first = await launchAgainst(backend, plan, clock, {
      journal,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === "ended") controller.abort();
      },
    });
    expect(first.result.outcome).toBe("interrupted");
    const runningAfterCtrlC = standin.stats().jobs.filter((job) => job.status === "InProgress").length;
    expect(runningAfterCtrlC).toBeGreaterThan(0);

    const second = await launchAgainst(backend, plan, clock, { journal });

    expect(second.result.outcome).toBe("finished");
    expectEachPlannedJobCreatedOnce(
      standin,
      plan.jobs.map((job) => job.name),
    );
    expect(second.result.state.counts().done).toBe(12);
  });

  it("two launchers of one campaign at once never create a training twice", async () => {
    const { clock, standin, backend } = await world({ seed: 11 });
    const other = createSageMakerBackend({
      region: "us-east-1",
      endpoint: standin.endpoint,
      credentials: CREDENTIALS,
      clock,
      maxAttempts: 24,
    });
    const plan = makePlan({ jobs: 16, maxConcurrency: 4 });

    const [a, b] = await Promise.all([launchAgainst(backend, plan, clock), launchAgainst(other, plan, clock)]);

    expect([a.result.outcome, b.result.outcome]).toEqual(["finished", "finished"]);
    expectEachPlannedJobCreatedOnce(
      standin,
      plan.jobs.map((job) => job.name),
    );
    expect(standin.stats().maxInProgress).toBeLessThanOrEqual(8);
  });

  it("with the events queue, makes at most 3 SageMaker calls per job, ignoring duplicated events", async () => {
    const { clock, standin, backend } = await world({ seed: 13, events: { duplicateRate: 0.5 } });
    const plan = makePlan({ jobs: 40, maxConcurrency: 8, campaign: "seg-events" });
    const events = {
      ...createSqsEventSource({
        queueUrl: standin.queueUrl ?? "",
        region: "us-east-1",
        namePrefix: "seg-events-",
        waitSeconds: 0,
        endpoint: standin.endpoint,
        credentials: CREDENTIALS,
        clock,
      }),
      waitsForEvents: false,
    };

    const { result } = await launchAgainst(backend, plan, clock, { events });

    expect(result.outcome).toBe("finished");
    expect(result.state.counts().done).toBe(40);
    const calls = standin.stats().calls;
    const sageMakerCalls = SAGEMAKER_OPERATIONS.reduce((sum, operation) => sum + (calls[operation] ?? 0), 0);
    expect(sageMakerCalls / 40).toBeLessThanOrEqual(3);
    expect(calls.DescribeTrainingJob).toBe(40);
    expectEachPlannedJobCreatedOnce(
      standin,
      plan.jobs.map((job) => job.name),
    );
  });
});
