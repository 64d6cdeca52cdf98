import { describe, expect, it } from "vitest";
import { createDescriber } from "../../src/campaign/describe.js";
import { memoryJournal } from "../../src/campaign/journal.js";
import type { CampaignObserver, RunningJob, StopDecision } from "../../src/campaign/observer.js";
import { campaignPolicy } from "../../src/campaign/policy.js";
import { reconcile } from "../../src/campaign/reconcile.js";
import type { JobsPlan } from "../../src/plan/types.js";
import { createFakeClock, type FakeClock } from "../kit/clock.js";
import { InMemorySageMaker } from "../kit/sagemaker.js";
import { launchAgainst, makePlan } from "./fixtures.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * A scripted stopping rule: every `intervalMs` it stops the running jobs of the "losing" points
 * (every other planned point) once they have run `afterMs`. Its decisions follow from the job
 * alone, so after a restart it explains a stop the same way.
 */
function scriptedObserver(plan: JobsPlan, clock: FakeClock, options: { afterMs?: number; intervalMs?: number } = {}) {
  const losing = new Set(plan.jobs.filter((_, index) => index % 2 === 1).map((job) => job.name));
  const afterMs = options.afterMs ?? 30 * MINUTE;
  const seen: (readonly RunningJob[])[] = [];
  const observer: CampaignObserver & { seen: typeof seen; repeat: boolean; fail: boolean } = {
    intervalMs: options.intervalMs ?? 10 * MINUTE,
    seen,
    repeat: false,
    fail: false,
    async observe(running) {
      seen.push(running);
      if (this.fail) throw new Error("metrics unavailable");
      const decisions: StopDecision[] = [];
      for (const job of running) {
        const ranFor = job.createdAt !== undefined ? clock.now() - job.createdAt : 0;
        if (losing.has(job.plannedName) && ranFor >= afterMs) decisions.push({ name: job.name, reason: "below the median at epoch 3" });
      }
      // A rule that repeats itself on every tick must not make the launcher stop a job twice.
      return this.repeat ? [...decisions, ...decisions, { name: "someone-else-0123456789ab", reason: "not ours" }] : decisions;
    },
    async explainStop(name) {
      const planned = plan.jobs.find((job) => name.startsWith(job.name));
      return planned !== undefined && losing.has(planned.name) ? { name, reason: "below the median at epoch 3" } : undefined;
    },
  };
  return observer;
}

describe("the observation seam", () => {
  it("stops the jobs the observer decides on, once each; they end terminated: not failed, not retried, not a user's stop", async () => {
    const clock = createFakeClock();
    const backend = new InMemorySageMaker({ clock, durationMs: () => 2 * HOUR, stopDelayMs: 2 * MINUTE });
    const plan = makePlan({ jobs: 8, maxConcurrency: 4, maxFailures: 0 });
    const observer = scriptedObserver(plan, clock);
    observer.repeat = true;

    const { result, events } = await launchAgainst(backend, plan, clock, { observer });

    expect(result.outcome).toBe("finished");
    expect(result.state.counts()).toMatchObject({ total: 8, done: 4, terminated: 4, failed: 0, stopped: 0 });
    expect([...backend.stopRequests].sort()).toEqual(
      plan.jobs
        .filter((_, i) => i % 2 === 1)
        .map((job) => job.name)
        .sort(),
    );
    expect([...backend.creates.keys()].some((name) => name.endsWith("-r1"))).toBe(false);
    const ended = events.flatMap(({ event }) => (event.type === "ended" && event.state === "terminated" ? [event] : []));
    expect(ended).toHaveLength(4);
    expect(ended.every((event) => event.stopReason === "below the median at epoch 3")).toBe(true);
    expect(events.filter(({ event }) => event.type === "terminating")).toHaveLength(4);
    // Asked on the campaign's clock, with the jobs in progress only.
    expect(observer.seen.length).toBeGreaterThan(3);
    expect(observer.seen.every((running) => running.length <= 4 && running.every((job) => job.attempt === 0))).toBe(true);
  });

  it("keeps a Stopping job's slot until it is Stopped: max_concurrency counts it", async () => {
    const clock = createFakeClock();
    const backend = new InMemorySageMaker({ clock, durationMs: () => 3 * HOUR, stopDelayMs: 20 * MINUTE });
    const plan = makePlan({ jobs: 6, maxConcurrency: 2 });
    const observer = scriptedObserver(plan, clock, { afterMs: 10 * MINUTE, intervalMs: 5 * MINUTE });

    const { result, events } = await launchAgainst(backend, plan, clock, { observer, pollIntervalMs: 30_000 });

    expect(result.outcome).toBe("finished");
    // The fake counts a job in progress from its creation until Stopped, Stopping included.
    expect(backend.maxInProgress()).toBeLessThanOrEqual(2);
    const stopping = events.filter(({ event }) => event.type === "status" && event.status === "Stopping");
    expect(stopping.length).toBeGreaterThan(0);
    expect(stopping.every(({ view }) => view.counts.running >= 1)).toBe(true);
  });

  it("goes on when the observer fails, saying so", async () => {
    const clock = createFakeClock();
    const backend = new InMemorySageMaker({ clock, durationMs: () => HOUR });
    const plan = makePlan({ jobs: 4, maxConcurrency: 2 });
    const observer = scriptedObserver(plan, clock);
    observer.fail = true;

    const { result, events } = await launchAgainst(backend, plan, clock, { observer });

    expect(result.outcome).toBe("finished");
    expect(result.state.counts()).toMatchObject({ done: 4, terminated: 0 });
    expect(backend.stopRequests).toEqual([]);
    const warning = events.find(({ event }) => event.type === "warning")?.event;
    expect(warning).toMatchObject({ type: "warning" });
    expect(warning?.type === "warning" && warning.message).toMatch(
      /stopping rule could not look at the running jobs \(metrics unavailable\)/,
    );
  });

  it("after a restart, tells a job its rule stopped (terminated) from one a user stopped (stopped, never relaunched)", async () => {
    const clock = createFakeClock();
    const backend = new InMemorySageMaker({ clock, durationMs: () => 2 * HOUR, stopDelayMs: MINUTE });
    const plan = makePlan({ jobs: 4, maxConcurrency: 4 });
    const [byUser, byRule] = plan.jobs.map((job) => job.name) as [string, string];
    const interrupt = new AbortController();
    // A first launcher creates every job and is killed; then the rule's stop (job 1) and a user's (job 0) happen.
    await launchAgainst(backend, plan, clock, {
      signal: interrupt.signal,
      onEvent: (event) => {
        if (event.type === "created" && backend.creates.size === 4) interrupt.abort();
      },
    });
    await backend.stopJob(byUser);
    await backend.stopJob(byRule);
    clock.advance(5 * MINUTE);

    const observer = scriptedObserver(plan, clock);
    const policy = campaignPolicy({ maxConcurrency: 4, maxFailures: 0, pollIntervalMs: 30_000 });
    const { state } = await reconcile({ plan, backend, journal: memoryJournal(), policy, describer: createDescriber(backend), observer });

    expect(state.get(byRule)).toMatchObject({ state: "terminated", stopReason: "below the median at epoch 3" });
    expect(state.get(byUser)?.state).toBe("stopped");
    expect(state.counts()).toMatchObject({ terminated: 1, stopped: 1, queued: 0, failed: 0 });
  });
});
