import { describe, expect, it } from "vitest";
import { BackendError } from "../../src/backend/types.js";
import { createDescriber } from "../../src/campaign/describe.js";
import { memoryJournal } from "../../src/campaign/journal.js";
import { campaignPolicy } from "../../src/campaign/policy.js";
import { reconcile } from "../../src/campaign/reconcile.js";
import { createFakeClock } from "../kit/clock.js";
import { InMemorySageMaker, seededRandom } from "../kit/sagemaker.js";
import { launchAgainst, makePlan } from "./fixtures.js";

const HOUR = 3_600_000;

describe("the scheduler against an in-memory SageMaker", () => {
  it("keeps at most max_concurrency jobs in progress and trains every point exactly once", async () => {
    const clock = createFakeClock();
    const random = seededRandom(7);
    const backend = new InMemorySageMaker({ clock, durationMs: () => HOUR * (0.5 + random() * 2) });
    const plan = makePlan({ jobs: 25, maxConcurrency: 4 });

    const { result } = await launchAgainst(backend, plan, clock);

    expect(result.outcome).toBe("finished");
    expect(backend.maxInProgress()).toBe(4);
    expect([...backend.creates.keys()].sort()).toEqual(plan.jobs.map((job) => job.name).sort());
    expect([...backend.creates.values()].every((count) => count === 1)).toBe(true);
    expect(result.state.counts()).toMatchObject({ total: 25, done: 25, failed: 0, queued: 0, running: 0 });
  });

  it("refills a freed slot within one poll interval of the job's end", async () => {
    const clock = createFakeClock();
    const backend = new InMemorySageMaker({ clock, durationMs: () => 2 * HOUR });
    const plan = makePlan({ jobs: 8, maxConcurrency: 2 });

    await launchAgainst(backend, plan, clock, { pollIntervalMs: 30_000 });

    const created = [...backend.jobs.values()].sort((a, b) => a.createdAt - b.createdAt);
    const ends = created.map((job) => job.endsAt);
    // Every create after the first two follows some job's end by at most one (stretched) poll interval and the launch rate.
    for (const job of created.slice(2)) {
      const lastEnd = Math.max(...ends.filter((end) => end <= job.createdAt));
      expect(job.createdAt - lastEnd).toBeLessThanOrEqual(60_000 + 1_000);
    }
  });

  it("steps down to a quota below max_concurrency, says which quota, and still finishes with no failure", async () => {
    const clock = createFakeClock();
    const backend = new InMemorySageMaker({ clock, durationMs: () => HOUR, instanceQuota: 3 });
    const plan = makePlan({ jobs: 12, maxConcurrency: 6 });

    const { result, events } = await launchAgainst(backend, plan, clock);

    expect(result.outcome).toBe("finished");
    expect(backend.maxInProgress()).toBe(3);
    expect(result.state.counts()).toMatchObject({ done: 12, failed: 0 });
    const quota = events.find(({ event }) => event.type === "quota")?.event;
    expect(quota).toMatchObject({ type: "quota", quota: "ml.p3.2xlarge for training job usage", concurrency: 3 });
    expect(quota?.type === "quota" && quota.message).toMatch(/running at most 3 jobs at once instead of 6/);
    expect([...backend.creates.values()].every((count) => count === 1)).toBe(true);
  });

  it("finishes with no failure when 30% of calls are throttled, whatever the throttling pattern", async () => {
    // An arbitrary seed each run: the backend's retries (not a second layer in the launcher) carry every call through.
    const seed = Math.floor(Math.random() * 2 ** 31);
    const clock = createFakeClock();
    const backend = new InMemorySageMaker({
      clock,
      durationMs: () => HOUR,
      throttleRate: 0.3,
      random: seededRandom(seed),
      // 0.3^24: no call of this campaign stays throttled through its attempts.
      retry: { maxAttempts: 24, baseMs: 500, capMs: 20_000 },
    });
    const plan = makePlan({ jobs: 15, maxConcurrency: 4 });

    const { result, events } = await launchAgainst(backend, plan, clock);

    expect(result.outcome, `seed ${seed}`).toBe("finished");
    expect(result.state.counts(), `seed ${seed}`).toMatchObject({ done: 15, failed: 0 });
    expect(
      events.some(({ event }) => event.type === "throttled"),
      `seed ${seed}`,
    ).toBe(true);
    expect(backend.maxInProgress(), `seed ${seed}`).toBeLessThanOrEqual(4);
    expect(
      [...backend.creates.values()].every((count) => count === 1),
      `seed ${seed}`,
    ).toBe(true);
  });

  it("stops launching with the backend's error when a create stays throttled through its attempts, and does not retry it again", async () => {
    const clock = createFakeClock();
    const backend = new InMemorySageMaker({ clock, durationMs: () => HOUR, retry: { maxAttempts: 3, baseMs: 500, capMs: 20_000 } });
    const plan = makePlan({ jobs: 6, maxConcurrency: 2 });
    const create = backend.createJob.bind(backend);
    let creates = 0;
    backend.createJob = async (request) => {
      if (++creates <= 2) return create(request);
      throw new BackendError("throttled", "Rate exceeded", "ThrottlingException");
    };

    const { result, events } = await launchAgainst(backend, plan, clock);

    expect(result.outcome).toBe("error");
    expect(result.error).toMatchObject({ kind: "throttled", code: "ThrottlingException" });
    expect(creates).toBe(3);
    const stopped = events.find(({ event }) => event.type === "stopped-launching")?.event;
    expect(stopped).toMatchObject({ reason: "error", running: backend.inProgressAt(clock.now()) });
    expect(backend.maxInProgress()).toBeLessThanOrEqual(2);
  });

  it("retries capacity and internal errors as new attempts, at most twice, and never algorithm errors", async () => {
    const clock = createFakeClock();
    const plan = makePlan({ jobs: 3, maxConcurrency: 3, maxFailures: 5 });
    const [capacity, internal, algorithm] = plan.jobs.map((job) => job.name);
    const backend = new InMemorySageMaker({
      clock,
      durationMs: () => HOUR,
      outcome: (planned, attempt) => {
        if (planned === capacity && attempt === 0)
          return { status: "Failed", failureReason: "CapacityError: Unable to provision requested ML compute capacity." };
        if (planned === internal) return { status: "Failed", failureReason: "InternalServerError: We encountered an internal error." };
        if (planned === algorithm) return { status: "Failed", failureReason: "AlgorithmError: CUDA out of memory" };
        return { status: "Completed" };
      },
    });

    const { result } = await launchAgainst(backend, plan, clock);

    expect([...backend.creates.keys()].sort()).toEqual(
      [capacity, `${capacity}-r1`, internal, `${internal}-r1`, `${internal}-r2`, algorithm].sort(),
    );
    expect(result.state.get(`${capacity}-r1`)?.state).toBe("completed");
    expect(result.state.counts()).toMatchObject({ done: 1, failed: 2 });
    expect(result.outcome).toBe("finished");
  });

  it("stops launching past max_failures, leaves running jobs running, and reports it", async () => {
    const clock = createFakeClock();
    const random = seededRandom(11);
    const backend = new InMemorySageMaker({
      clock,
      durationMs: () => HOUR * (0.5 + random()),
      outcome: () => ({ status: "Failed", failureReason: "ClientError: Unable to read annotation file" }),
    });
    const plan = makePlan({ jobs: 20, maxConcurrency: 3, maxFailures: 2 });

    const { result, events } = await launchAgainst(backend, plan, clock);

    expect(result.outcome).toBe("failure-limit");
    expect(result.state.counts().failed).toBe(3);
    expect(backend.creates.size).toBeLessThan(20);
    const stopped = events.find(({ event }) => event.type === "stopped-launching")?.event;
    expect(stopped).toMatchObject({ reason: "failure-limit" });
    const stillRunning = [...backend.jobs.values()].filter((job) => job.endsAt > clock.now()).length;
    expect(stopped?.type === "stopped-launching" && stopped.running).toBe(stillRunning);
  });

  it("refuses to launch more when the failures already on SageMaker are past max_failures", async () => {
    const clock = createFakeClock();
    const backend = new InMemorySageMaker({
      clock,
      durationMs: () => HOUR,
      outcome: () => ({ status: "Failed", failureReason: "AlgorithmError: bad" }),
    });
    const plan = makePlan({ jobs: 10, maxConcurrency: 2, maxFailures: 1 });
    await launchAgainst(backend, plan, clock);
    const createsBefore = backend.creates.size;

    const again = await launchAgainst(backend, plan, clock);

    expect(again.result.outcome).toBe("failure-limit");
    expect(backend.creates.size).toBe(createsBefore);
  });

  it("on Ctrl-C stops launching at once, leaves jobs running, and a second launch finishes the campaign", async () => {
    const clock = createFakeClock();
    const backend = new InMemorySageMaker({ clock, durationMs: () => 2 * HOUR });
    const plan = makePlan({ jobs: 10, maxConcurrency: 3 });
    const controller = new AbortController();
    const journal = memoryJournal();

    const first = await launchAgainst(backend, plan, clock, {
      journal,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === "ended" && !controller.signal.aborted) controller.abort();
      },
    });

    expect(first.result.outcome).toBe("interrupted");
    const running = [...backend.jobs.values()].filter((job) => job.endsAt > clock.now());
    expect(running.length).toBeGreaterThan(0);
    expect(first.result.state.counts().running).toBe(running.length);

    const second = await launchAgainst(backend, plan, clock, { journal });

    expect(second.result.outcome).toBe("finished");
    expect(second.result.state.counts()).toMatchObject({ done: 10, failed: 0 });
    expect([...backend.creates.values()].every((count) => count === 1)).toBe(true);
    expect(backend.creates.size).toBe(10);
  });

  it("on resume describes only the ended jobs the journal does not know", async () => {
    const clock = createFakeClock();
    const backend = new InMemorySageMaker({ clock, durationMs: () => HOUR });
    const plan = makePlan({ jobs: 6, maxConcurrency: 3 });
    const journal = memoryJournal();
    await launchAgainst(backend, plan, clock, { journal });
    const describes = backend.calls.DescribeTrainingJob ?? 0;

    const withJournal = await launchAgainst(backend, plan, clock, { journal });
    expect(backend.calls.DescribeTrainingJob).toBe(describes);
    expect(withJournal.result.state.counts().done).toBe(6);

    const withoutJournal = await launchAgainst(backend, plan, clock, { journal: memoryJournal() });
    expect(backend.calls.DescribeTrainingJob).toBe(describes + 6);
    expect(withoutJournal.result.state.counts().done).toBe(6);
    expect(backend.creates.size).toBe(6);
  });

  it("two launchers of one campaign at once never create a training twice", async () => {
    const clock = createFakeClock();
    const random = seededRandom(5);
    const backend = new InMemorySageMaker({ clock, durationMs: () => HOUR * (0.5 + random()) });
    const plan = makePlan({ jobs: 16, maxConcurrency: 4 });

    const [a, b] = await Promise.all([launchAgainst(backend, plan, clock), launchAgainst(backend, plan, clock)]);

    expect(a.result.outcome).toBe("finished");
    expect(b.result.outcome).toBe("finished");
    expect(backend.creates.size).toBe(16);
    expect([...backend.creates.values()].every((count) => count === 1)).toBe(true);
    expect(
      a.events.some(({ event }) => event.type === "created" && event.existed) ||
        b.events.some(({ event }) => event.type === "created" && event.existed),
    ).toBe(true);
  });

  it("lists the campaign once per tick, whatever the number of jobs in progress", async () => {
    const clock = createFakeClock();
    const random = seededRandom(3);
    const backend = new InMemorySageMaker({ clock, durationMs: () => HOUR * (1 + 4 * random()) });
    // 150 in progress: a listing of them all would take 2 pages, of the whole campaign up to 5.
    const plan = makePlan({ jobs: 500, maxConcurrency: 150 });

    const { result } = await launchAgainst(backend, plan, clock, { pollIntervalMs: 60_000 });

    expect(result.outcome).toBe("finished");
    // Only what changed since the last pass is listed: a page a tick; the full pass every tenth takes 2 or 3.
    expect(backend.calls.ListTrainingJobs).toBeLessThanOrEqual(1.25 * result.follower.ticks);
    expect(result.follower.maxListCallsPerTick).toBeLessThanOrEqual(3);
    // Ticks, not jobs x ticks: describes are one per job, at its end.
    expect(backend.calls.DescribeTrainingJob).toBe(500);
  });

  it("lists once per tick when every job of a wave ends and the next wave starts in the same minute", async () => {
    const clock = createFakeClock();
    const backend = new InMemorySageMaker({ clock, durationMs: () => 4 * HOUR });
    const plan = makePlan({ jobs: 120, maxConcurrency: 60 });

    const { result } = await launchAgainst(backend, plan, clock, { pollIntervalMs: 60_000 });

    expect(result.outcome).toBe("finished");
    expect(backend.calls.DescribeTrainingJob).toBe(120);
    // The tick that sees 60 ends and 60 creates lists 120 changed jobs: 2 pages; every other tick, one.
    expect(result.follower.maxListCallsPerTick).toBeLessThanOrEqual(2);
    expect(backend.calls.ListTrainingJobs).toBeLessThanOrEqual(result.follower.ticks + 3);
  });

  it("reconciles past an ended job SageMaker keeps refusing to describe: it is named, and the rest is read", async () => {
    const clock = createFakeClock();
    const backend = new InMemorySageMaker({ clock, durationMs: () => HOUR });
    const plan = makePlan({ jobs: 3, maxConcurrency: 3 });
    await launchAgainst(backend, plan, clock);
    const stubborn = plan.jobs[2]!.name;
    const describe = backend.describeJob.bind(backend);
    backend.describeJob = async (name, options) => {
      if (name === stubborn) throw new BackendError("throttled", "Rate exceeded", "ThrottlingException");
      return describe(name, options);
    };
    const policy = campaignPolicy({ maxConcurrency: 3, maxFailures: 3, pollIntervalMs: 30_000 });

    const { state, unreadable } = await reconcile({ plan, backend, journal: memoryJournal(), policy, describer: createDescriber(backend) });

    expect(unreadable).toEqual([stubborn]);
    expect(state.get(stubborn)).toMatchObject({ state: "completed" });
    expect(state.get(stubborn)?.details?.metrics).toEqual({});
    expect(state.counts()).toMatchObject({ done: 3, queued: 0 });
  });

  it("reconciles past a job deleted between the listing and its describe, planning that point again", async () => {
    const clock = createFakeClock();
    const backend = new InMemorySageMaker({ clock, durationMs: () => HOUR });
    const plan = makePlan({ jobs: 3, maxConcurrency: 3 });
    await launchAgainst(backend, plan, clock);
    const deleted = plan.jobs[1]!.name;
    const describe = backend.describeJob.bind(backend);
    backend.describeJob = async (name) => {
      if (name === deleted) throw new BackendError("not-found", `Training job ${name} does not exist.`, "ResourceNotFound");
      return describe(name);
    };

    const policy = campaignPolicy({ maxConcurrency: 3, maxFailures: 3, pollIntervalMs: 30_000 });
    const { state } = await reconcile({ plan, backend, journal: memoryJournal(), policy, describer: createDescriber(backend) });

    expect(state.get(deleted)?.state).toBe("not-started");
    expect(state.counts()).toMatchObject({ done: 2, queued: 1 });
  });
});

describe("the scheduler following state-change events", () => {
  it("makes at most 3 SageMaker calls per job, lists rarely, and ends every job once", async () => {
    const clock = createFakeClock();
    const random = seededRandom(17);
    const backend = new InMemorySageMaker({ clock, durationMs: () => HOUR * (0.5 + 2 * random()) });
    const plan = makePlan({ jobs: 300, maxConcurrency: 40 });

    const { result } = await launchAgainst(backend, plan, clock, { events: backend.eventSource("seg-test-") });

    expect(result.outcome).toBe("finished");
    expect(result.state.counts()).toMatchObject({ done: 300, running: 0 });
    const calls = Object.values(backend.calls).reduce((a, b) => a + b, 0);
    expect(calls / 300).toBeLessThanOrEqual(3);
    expect(backend.calls.DescribeTrainingJob).toBe(300);
    expect(backend.maxInProgress()).toBeLessThanOrEqual(40);
  });
});
