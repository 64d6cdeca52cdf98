import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TrainingBackend } from "../../src/backend/types.js";
import { createDescriber } from "../../src/campaign/describe.js";
import { fileJournal } from "../../src/campaign/journal.js";
import { campaignPolicy } from "../../src/campaign/policy.js";
import { simulatedStackOutputs } from "../../src/campaign/simulate.js";
import { campaignPrefix } from "../../src/plan/job-name.js";
import { createFakeClock } from "../../src/standin/event-clock.js";
import { InMemorySageMaker } from "../../src/standin/in-memory.js";
import { logNormal, seededUniform } from "../../src/util/random.js";
import { benchPlan, reconcileAndRun } from "./fixtures.js";
import { slotUsage } from "./metrics.js";

/**
 * The launcher's own cost: the same campaign in one process against the in-memory SageMaker on a
 * discrete-event clock, so no HTTP, no SDK and no machine speed enter the figures. What is left is
 * segsweep's code (state, follower, policy, create, settle, the wiring, the journal on disk) plus
 * the in-memory backend's own indexes, and slot-time measured exactly, with no real latency
 * stretched by a time scale. Memory is measured in the stand-in run, where the backend is elsewhere.
 */
export interface LogicSettings {
  readonly mode: "polling" | "events";
  readonly jobs: number;
  readonly concurrency: number;
  readonly medianSeconds: number;
  readonly sigma: number;
  readonly throttleRate: number;
  readonly pollIntervalMs: number;
}

export interface LogicFigures {
  readonly settings: LogicSettings;
  readonly outcome: string;
  readonly completed: number;
  readonly maxInProgress: number;
  readonly realSeconds: number;
  readonly cpuMsPerJob: number;
  readonly idlePercent: number;
  readonly callsPerJob: number;
  readonly listCallsPerJob: number;
}

/** Runs one campaign in memory and measures it. */
export async function measureLogic(settings: LogicSettings): Promise<LogicFigures> {
  const clock = createFakeClock();
  const draw = seededUniform(`bench/${settings.jobs}`);
  const backend = new InMemorySageMaker({
    clock,
    durationMs: () => 1000 * logNormal(settings.medianSeconds, settings.sigma, draw(), draw()),
    throttleRate: settings.throttleRate,
    random: seededUniform(`throttle/${settings.jobs}`),
  });
  const plan = benchPlan(`logic-${settings.mode}-${settings.jobs}`, settings.jobs, settings.concurrency);
  const stack = simulatedStackOutputs("us-east-1");
  const events = settings.mode === "events" ? backend.eventSource(campaignPrefix(plan.campaign)) : undefined;
  // A journal on disk, as a real launch writes it.
  const journal = fileJournal(mkdtempSync(join(tmpdir(), "segsweep-bench-")), plan.campaign, {
    account: "000000000000",
    region: "us-east-1",
  });
  const policy = campaignPolicy({ maxConcurrency: settings.concurrency, maxFailures: 0, pollIntervalMs: settings.pollIntervalMs });
  const describer = createDescriber(backend as TrainingBackend);
  const start = clock.now();
  const realStart = performance.now();
  const cpuBefore = process.cpuUsage();
  const result = await reconcileAndRun({
    plan,
    backend,
    clock,
    journal,
    policy,
    describer,
    stack,
    pollIntervalMs: settings.pollIntervalMs,
    ...(events !== undefined ? { events } : {}),
  });
  const cpu = process.cpuUsage(cpuBefore);
  const realSeconds = (performance.now() - realStart) / 1000;
  void result.state.counts();
  const spans = [...backend.jobs.values()].map((job) => ({
    createdAt: job.createdAt,
    endedAt: Math.min(job.endsAt, job.stoppedAt ?? Number.POSITIVE_INFINITY),
  }));
  const usage = slotUsage(spans, settings.concurrency, start);
  const calls = Object.values(backend.calls).reduce((a, b) => a + b, 0);
  return {
    settings,
    outcome: result.outcome,
    completed: result.state.points("completed"),
    maxInProgress: backend.maxInProgress(),
    realSeconds,
    cpuMsPerJob: (cpu.user + cpu.system) / 1000 / settings.jobs,
    idlePercent: (100 * usage.idleWhileWaitingSeconds) / usage.busySeconds,
    callsPerJob: calls / settings.jobs,
    listCallsPerJob: (backend.calls.ListTrainingJobs ?? 0) / settings.jobs,
  };
}
