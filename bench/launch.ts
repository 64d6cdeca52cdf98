/**
 * Launcher benchmark (issue 4): 500 jobs at concurrency 20 against the SageMaker stand-in (its
 * own process), durations log-normal (median 2 h, sigma 0.5), 10% of SageMaker calls throttled.
 * Launcher and stand-in share one clock scaled so each mode takes about a minute; everything the
 * launcher does in time (the 30 s poll interval, backoff, launch rate) is scaled by the same factor,
 * so a 2-hour job polled every 30 s keeps its 240:1 ratio. Figures are in simulated time.
 *
 *   npx tsx bench/launch.ts [--mode polling|events|both] [--jobs N] [--seconds S]
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { buildCreateTrainingJobRequest } from "../src/backend/request.js";
import { createSageMakerBackend } from "../src/backend/sagemaker.js";
import { createSqsEventSource } from "../src/backend/sqs-events.js";
import { createDescriber } from "../src/campaign/describe.js";
import { memoryJournal } from "../src/campaign/journal.js";
import { runCampaign } from "../src/campaign/launcher.js";
import { campaignPolicy } from "../src/campaign/policy.js";
import { reconcile } from "../src/campaign/reconcile.js";
import { scaledClock, simulatedStackOutputs } from "../src/campaign/simulate.js";
import { plannedJobName } from "../src/plan/job-name.js";
import type { JobsPlan } from "../src/plan/types.js";
import type { StandinStats } from "../src/standin/index.js";
import { makespanRatio, quantile, refillLatencies, slotUsage } from "./launch-metrics.js";

const { values } = parseArgs({
  options: {
    mode: { type: "string", default: "both" },
    jobs: { type: "string", default: "500" },
    seconds: { type: "string", default: "60" },
  },
});
const JOBS = Number(values.jobs);
const CONCURRENCY = 20;
const MEDIAN_SECONDS = 7200;
const SIGMA = 0.5;
const POLL_INTERVAL_MS = 30_000;
const CREDENTIALS = { accessKeyId: "BENCH", secretAccessKey: "bench-secret" };
const SAGEMAKER_OPERATIONS = ["CreateTrainingJob", "DescribeTrainingJob", "ListTrainingJobs", "StopTrainingJob"];

/** Scale so that the expected makespan (jobs × mean duration / concurrency) takes `seconds` of real time. */
const meanSeconds = MEDIAN_SECONDS * Math.exp((SIGMA * SIGMA) / 2);
const SCALE = Math.round((JOBS * meanSeconds) / CONCURRENCY / Number(values.seconds));

function benchPlan(campaign: string): JobsPlan {
  const jobs = Array.from({ length: JOBS }, (_, i) => {
    const pointId = i.toString(16).padStart(12, "0");
    return {
      name: plannedJobName(campaign, pointId),
      pointId,
      hyperparameters: { num_classes: "21", num_training_samples: "1464", learning_rate: String((i + 1) / 1e4) },
      points: [i + 1],
    };
  });
  const resources = { instanceType: "ml.p3.2xlarge", instanceCount: 1 as const, volumeGb: 50, maxRuntimeSeconds: 86_400, spot: false };
  return {
    engine: "jobs",
    campaign,
    sweepFile: "bench/launch.ts",
    objective: "validation:mIOU",
    strategy: "grid",
    resources,
    data: {
      train: "voc/train/",
      validation: "voc/validation/",
      train_annotation: "voc/train_annotation/",
      validation_annotation: "voc/validation_annotation/",
    },
    limits: { maxConcurrency: CONCURRENCY, maxJobs: JOBS, maxFailures: 0 },
    counts: { expanded: JOBS, excluded: 0, duplicates: 0, jobs: JOBS },
    jobs,
    cost: {
      instanceType: resources.instanceType,
      instanceCount: 1,
      usdPerHour: 3.825,
      maxRuntimeSeconds: 86_400,
      perJobUsd: 91.8,
      totalUsd: 91.8 * JOBS,
      spot: false,
    },
    warnings: [],
  };
}

interface StandinProcess {
  readonly endpoint: string;
  readonly queueUrl?: string;
  stats(): Promise<StandinStats>;
  close(): Promise<void>;
}

async function startStandinProcess(origin: number, events: boolean): Promise<StandinProcess> {
  const options = { seed: 42, throttleRate: 0.1, durationLogNormal: { medianSeconds: MEDIAN_SECONDS, sigma: SIGMA }, events };
  const child = fork(fileURLToPath(new URL("./standin-process.ts", import.meta.url)), [JSON.stringify({ origin, scale: SCALE, options })], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  });
  const ready = await new Promise<{ endpoint: string; queueUrl?: string }>((resolve) =>
    child.once("message", (message) => resolve(message as { endpoint: string; queueUrl?: string })),
  );
  return {
    ...ready,
    stats: () =>
      new Promise((resolve) => {
        child.once("message", (message) => resolve((message as { stats: StandinStats }).stats));
        child.send({ type: "stats" });
      }),
    close: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.send({ type: "close" });
      }),
  };
}

async function runMode(mode: "polling" | "events"): Promise<void> {
  const origin = Date.now();
  const clock = scaledClock(SCALE, undefined, origin);
  const standin = await startStandinProcess(origin, mode === "events");
  const plan = benchPlan(`bench-${mode}`);
  const stack = simulatedStackOutputs("us-east-1");
  const backend = createSageMakerBackend({ region: "us-east-1", endpoint: standin.endpoint, credentials: CREDENTIALS, clock });
  const events =
    mode === "events" && standin.queueUrl !== undefined
      ? {
          ...createSqsEventSource({
            queueUrl: standin.queueUrl,
            region: "us-east-1",
            namePrefix: `${plan.campaign}-`,
            waitSeconds: 20,
            endpoint: standin.endpoint,
            credentials: CREDENTIALS,
            clock,
          }),
          waitsForEvents: true,
        }
      : undefined;
  const journal = memoryJournal();
  const policy = campaignPolicy({ maxConcurrency: CONCURRENCY, maxFailures: 0, pollIntervalMs: POLL_INTERVAL_MS });
  const describer = createDescriber(backend);
  const reconciled = await reconcile({ plan, backend, journal, policy, describer });

  let peakRss = 0;
  let peakHeap = 0;
  const sampler = setInterval(() => {
    const memory = process.memoryUsage();
    peakRss = Math.max(peakRss, memory.rss);
    peakHeap = Math.max(peakHeap, memory.heapUsed);
  }, 50);
  const start = clock.now();
  const realStart = performance.now();
  const cpuBefore = process.cpuUsage();
  const result = await runCampaign(
    {
      plan,
      backend,
      clock,
      journal,
      observe: () => undefined,
      policy,
      describer,
      pollIntervalMs: POLL_INTERVAL_MS,
      signal: new AbortController().signal,
      buildRequest: (job, attempt) => buildCreateTrainingJobRequest(plan, job, attempt, stack),
      ...(events !== undefined ? { events } : {}),
    },
    reconciled,
  );
  const cpu = process.cpuUsage(cpuBefore);
  const realSeconds = (performance.now() - realStart) / 1000;
  clearInterval(sampler);
  const stats = await standin.stats();
  await standin.close();

  const spans = stats.jobs
    .filter((job) => job.endedAt !== undefined)
    .map((job) => ({ createdAt: job.createdAt, endedAt: job.endedAt ?? 0 }));
  const usage = slotUsage(spans, CONCURRENCY, start);
  const refill = refillLatencies(spans, CONCURRENCY).map((ms) => ms / 1000);
  const makespan = makespanRatio(spans, CONCURRENCY, start);
  const sageMakerCalls = SAGEMAKER_OPERATIONS.reduce((sum, operation) => sum + (stats.calls[operation] ?? 0), 0);
  const duplicates = Object.values(stats.createsByName).filter((count) => count !== 1).length;
  const completed = stats.jobs.filter((job) => job.status === "Completed").length;
  const lines = [
    `mode ${mode}: ${JOBS} jobs, concurrency ${CONCURRENCY}, log-normal durations (median ${MEDIAN_SECONDS / 3600} h, sigma ${SIGMA}), 10% of calls throttled, time scale ${SCALE}:1, poll interval ${POLL_INTERVAL_MS / 1000} s (simulated)`,
    `  outcome ${result.outcome}; ${completed}/${JOBS} completed; duplicates ${duplicates}; max in progress ${stats.maxInProgress} (limit ${CONCURRENCY}); real time ${realSeconds.toFixed(1)} s`,
    `  idle slot-time while points waited: ${(usage.idleWhileWaitingSeconds / 3600).toFixed(2)} slot-h = ${((100 * usage.idleWhileWaitingSeconds) / usage.busySeconds).toFixed(3)}% of busy ${(usage.busySeconds / 3600).toFixed(0)} slot-h (target <= 2%)`,
    `  refill latency (job end -> next create, simulated): median ${quantile(refill, 0.5).toFixed(1)} s, p99 ${quantile(refill, 0.99).toFixed(1)} s, max ${Math.max(...refill).toFixed(1)} s over ${refill.length} refills ` +
      `(real: median ${((1000 * quantile(refill, 0.5)) / SCALE).toFixed(1)} ms, p99 ${((1000 * quantile(refill, 0.99)) / SCALE).toFixed(1)} ms)`,
    `  makespan ${(makespan.makespanSeconds / 3600).toFixed(2)} h / lower bound ${(makespan.lowerBoundSeconds / 3600).toFixed(2)} h = ${makespan.ratio.toFixed(3)}`,
    `  SageMaker calls (stand-in count, throttled included): ${sageMakerCalls} = ${(sageMakerCalls / JOBS).toFixed(2)} per job; ${JSON.stringify(stats.calls)}; throttled ${stats.throttled}`,
    `  status listing: ${result.follower.ticks} passes, ${backend.calls.ListTrainingJobs ?? 0} ListTrainingJobs calls = ${((backend.calls.ListTrainingJobs ?? 0) / result.follower.ticks).toFixed(2)} per pass ` +
      `(max ${result.follower.maxListCallsPerTick}; throttled calls retried count too) with up to ${CONCURRENCY} jobs in progress; ` +
      `DescribeTrainingJob ${backend.calls.DescribeTrainingJob ?? 0} (one per job at its end, plus throttled retries)`,
    ...(events !== undefined ? [`  SQS calls: ${JSON.stringify(events.calls)}`] : []),
    `  launcher CPU ${((cpu.user + cpu.system) / 1000 / JOBS).toFixed(2)} ms per job (${((cpu.user + cpu.system) / 1e6).toFixed(2)} s total); peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB, peak heap ${(peakHeap / 2 ** 20).toFixed(0)} MB`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

const modes = values.mode === "both" ? (["polling", "events"] as const) : ([values.mode === "events" ? "events" : "polling"] as const);
for (const mode of modes) await runMode(mode);
