import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { createSageMakerBackend } from "../../src/backend/sagemaker.js";
import { createSqsEventSource } from "../../src/backend/sqs-events.js";
import type { TrainingBackend } from "../../src/backend/types.js";
import { createDescriber, DESCRIBE_PARALLELISM } from "../../src/campaign/describe.js";
import { fileJournal } from "../../src/campaign/journal.js";
import { campaignPolicy } from "../../src/campaign/policy.js";
import { scaledClock, simulatedStackOutputs } from "../../src/campaign/simulate.js";
import { campaignPrefix } from "../../src/plan/job-name.js";
import { benchPlan, reconcileAndRun, startStandinProcess } from "./fixtures.js";
import { quantile, refillLatencies, slotUsage } from "./metrics.js";

/**
 * One launcher run against the stand-in (its own process), measured: the launcher's CPU time and
 * retained heap, and from what the stand-in recorded, slot usage and every SageMaker call.
 */
export interface RunSettings {
  readonly mode: "polling" | "events";
  readonly jobs: number;
  readonly concurrency: number;
  /** Real seconds the run should take (sets the time scale). */
  readonly seconds: number;
  readonly medianSeconds: number;
  readonly sigma: number;
  readonly throttleRate: number;
  readonly pollIntervalMs: number;
}

export interface RunFigures {
  readonly settings: RunSettings;
  readonly scale: number;
  readonly outcome: string;
  readonly completed: number;
  readonly duplicates: number;
  readonly maxInProgress: number;
  readonly realSeconds: number;
  readonly cpuMsPerJob: number;
  /** Of which in the kernel (socket writes and reads). */
  readonly systemMsPerJob: number;
  /** Heap kept by the run (state, follower...) after a full GC, per job, above the heap before it. */
  readonly retainedBytesPerJob: number;
  /** CPU of one SDK call against the stand-in, measured before the run: the floor under every call. */
  readonly sdkCallMs: number;
  readonly peakRssMb: number;
  readonly idlePercent: number;
  /** From a job's end to the create that takes its slot, in simulated seconds: median, p99, max. */
  readonly refillSeconds: readonly [number, number, number];
  readonly sageMakerCalls: Readonly<Record<string, number>>;
  readonly callsPerJob: number;
  readonly listCallsPerJob: number;
  readonly otherCallsPerJob: number;
  readonly throttled: number;
  readonly ticks: number;
  readonly maxListCallsPerTick: number;
  readonly maxDescribesInFlight: number;
  readonly socketWarnings: number;
  readonly sqsCalls?: Readonly<Record<string, number>>;
}

const CREDENTIALS = { accessKeyId: "BENCH", secretAccessKey: "bench-secret" };
const SAGEMAKER_OPERATIONS = ["CreateTrainingJob", "DescribeTrainingJob", "ListTrainingJobs", "StopTrainingJob", "Search"];

setFlagsFromString("--expose_gc");
const collectGarbage = runInNewContext("gc") as () => void;

/** The backend with its describes in flight counted. */
function countingDescribes(backend: TrainingBackend): { backend: TrainingBackend; maxInFlight: () => number } {
  let inFlight = 0;
  let max = 0;
  const describeJob: TrainingBackend["describeJob"] = async (name, options) => {
    max = Math.max(max, ++inFlight);
    try {
      return await backend.describeJob(name, options);
    } finally {
      inFlight--;
    }
  };
  return { backend: Object.assign(Object.create(backend) as TrainingBackend, { describeJob }), maxInFlight: () => max };
}

/** Runs one campaign and measures it. */
export async function measureRun(settings: RunSettings): Promise<RunFigures> {
  const meanSeconds = settings.medianSeconds * Math.exp((settings.sigma * settings.sigma) / 2);
  const scale = Math.round((settings.jobs * meanSeconds) / settings.concurrency / settings.seconds);
  const origin = Date.now();
  const clock = scaledClock(scale, undefined, origin);
  const standin = await startStandinProcess(origin, scale, {
    seed: 42,
    throttleRate: settings.throttleRate,
    durationLogNormal: { medianSeconds: settings.medianSeconds, sigma: settings.sigma },
    events: settings.mode === "events",
  });
  const plan = benchPlan(`bench-${settings.mode}-${settings.jobs}`, settings.jobs, settings.concurrency);
  const stack = simulatedStackOutputs("us-east-1");
  const sdk = createSageMakerBackend({ region: "us-east-1", endpoint: standin.endpoint, credentials: CREDENTIALS, clock });
  const { backend, maxInFlight } = countingDescribes(sdk);
  const events =
    settings.mode === "events" && standin.queueUrl !== undefined
      ? {
          ...createSqsEventSource({
            queueUrl: standin.queueUrl,
            region: "us-east-1",
            namePrefix: campaignPrefix(plan.campaign),
            waitSeconds: 20,
            endpoint: standin.endpoint,
            credentials: CREDENTIALS,
            clock,
          }),
          waitsForEvents: true,
        }
      : undefined;
  const socketWarnings = countSocketWarnings();
  // A journal on disk, as a real launch writes it (in memory it would count as the launcher's memory).
  const journal = fileJournal(mkdtempSync(join(tmpdir(), "segsweep-bench-")), plan.campaign, {
    account: "000000000000",
    region: "us-east-1",
  });
  const policy = campaignPolicy({ maxConcurrency: settings.concurrency, maxFailures: 0, pollIntervalMs: settings.pollIntervalMs });
  const describer = createDescriber(backend);

  // Warm up (the SDK loads its modules on the first calls; a launch pays that once), then time one call.
  await backend.listJobs("bench-warm-up-");
  const sdkCallMs = await timeSdkCall(sdk);
  collectGarbage();
  const heapBefore = process.memoryUsage().heapUsed;
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
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
  clearInterval(sampler);
  // What the run keeps: its state (records of every job), the follower, the journal in memory.
  collectGarbage();
  const retained = process.memoryUsage().heapUsed - heapBefore;
  void result.state.counts();
  const stats = await standin.stats();
  await standin.close();
  socketWarnings.stop();

  const spans = stats.jobs
    .filter((job) => job.endedAt !== undefined)
    .map((job) => ({ createdAt: job.createdAt, endedAt: job.endedAt ?? 0 }));
  const usage = slotUsage(spans, settings.concurrency, start);
  const refill = refillLatencies(spans, settings.concurrency).map((ms) => ms / 1000);
  const sageMakerCalls = Object.fromEntries(SAGEMAKER_OPERATIONS.map((op) => [op, stats.calls[op] ?? 0]));
  const total = Object.values(sageMakerCalls).reduce((a, b) => a + b, 0);
  const list = sageMakerCalls.ListTrainingJobs ?? 0;
  return {
    settings,
    scale,
    outcome: result.outcome,
    completed: stats.jobs.filter((job) => job.status === "Completed").length,
    duplicates: Object.values(stats.createsByName).filter((count) => count !== 1).length,
    maxInProgress: stats.maxInProgress,
    realSeconds,
    cpuMsPerJob: (cpu.user + cpu.system) / 1000 / settings.jobs,
    systemMsPerJob: cpu.system / 1000 / settings.jobs,
    retainedBytesPerJob: retained / settings.jobs,
    sdkCallMs,
    peakRssMb: peakRss / 2 ** 20,
    idlePercent: (100 * usage.idleWhileWaitingSeconds) / usage.busySeconds,
    refillSeconds: [quantile(refill, 0.5), quantile(refill, 0.99), Math.max(...refill)],
    sageMakerCalls,
    callsPerJob: total / settings.jobs,
    listCallsPerJob: list / settings.jobs,
    otherCallsPerJob: (total - list) / settings.jobs,
    throttled: stats.throttled,
    ticks: result.follower.ticks,
    maxListCallsPerTick: result.follower.maxListCallsPerTick,
    maxDescribesInFlight: maxInFlight(),
    socketWarnings: socketWarnings.count(),
    ...(events !== undefined ? { sqsCalls: events.calls } : {}),
  };
}

/** CPU per SDK call: 200 listings of nothing against the stand-in. */
async function timeSdkCall(backend: TrainingBackend): Promise<number> {
  const calls = 200;
  const before = process.cpuUsage();
  for (let i = 0; i < calls; i++) await backend.listJobs("bench-nothing-");
  const cpu = process.cpuUsage(before);
  return (cpu.user + cpu.system) / 1000 / calls;
}

/** The SDK's warning that its socket pool is full and requests queue ("socket usage at capacity"). */
function countSocketWarnings(): { count(): number; stop(): void } {
  const original = console.warn;
  let count = 0;
  console.warn = (...args: unknown[]) => {
    if (args.some((arg) => /socket usage at capacity/i.test(String(arg)))) count++;
    else original(...args);
  };
  return { count: () => count, stop: () => (console.warn = original) };
}

export { DESCRIBE_PARALLELISM };
