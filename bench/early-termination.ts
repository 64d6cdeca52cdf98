/**
 * Early-termination benchmark (issue 10): the 48-point study of bench/early-termination.yaml
 * rehearsed against the stand-in's learning curves, three times per seed in one process: the full
 * grid, the same grid with ASHA (the file's block) and with the median rule. Prints, per run, the
 * best point's final objective, the GPU cost (billable instance-hours × the catalog's price), the
 * ratio to the full grid, and the metric-source calls per running job per tick.
 *
 * Everything runs on a virtual clock (no waiting): the stand-in and the small campaign loop of
 * bench/campaign-driver.ts share it, ticking once a simulated minute. Durations follow the epochs
 * (the stand-in's simulatedTrainingSeconds, 240 s an epoch for FCN/ResNet-50, ×1.6 for ResNet-101),
 * jittered ±10% per seed; each seed also shuffles the launch order. CloudWatch shows a datapoint
 * 60 s after its epoch; the observer reads periods settled for 3 minutes (its default).
 *
 *   npx tsx bench/early-termination.ts [--seeds 1,2,3,4,5,6,7,8] [--concurrency 8]
 *   npx tsx bench/early-termination.ts --rules asha:3:3,asha:5:3,median:3   # other rule settings than the file's
 */
import { parseArgs } from "node:util";
import { createCloudWatchMetricSource } from "../src/backend/cloudwatch-metrics.js";
import { createSageMakerBackend } from "../src/backend/sagemaker.js";
import type { JobSnapshot } from "../src/backend/types.js";
import type { CampaignObserver } from "../src/campaign/observer.js";
import { simulatedStackOutputs } from "../src/campaign/simulate.js";
import { createEarlyTermination } from "../src/campaign/stopping/early-termination.js";
import { GPU_TRAINING_INSTANCES } from "../src/catalog/instances.js";
import { planJobsSweepFile } from "../src/plan/plan-file.js";
import type { JobsPlan, PlannedJob } from "../src/plan/types.js";
import { simulatedTrainingSeconds, startStandin } from "../src/standin/index.js";
import type { EarlyTermination } from "../src/sweep/early-termination.js";
import { hashUnit, logNormal } from "../src/util/random.js";
import { driveCampaign, virtualClock } from "./campaign-driver.js";

const { values } = parseArgs({
  options: { seeds: { type: "string", default: "1,2,3,4,5,6,7,8" }, concurrency: { type: "string" }, rules: { type: "string" } },
});
const SWEEP = "bench/early-termination.yaml";
const EPOCH_SECONDS = 240;
const TICK_MS = 60_000;
const CREDENTIALS = { accessKeyId: "BENCH", secretAccessKey: "bench-secret" };
const REGION = "us-east-1";

const planned = await planJobsSweepFile(SWEEP);
if (!planned.ok) throw new Error(`${SWEEP} does not plan: ${planned.diagnostics.map((d) => d.message).join("; ")}`);
const plan: JobsPlan = planned.plan;
const asha = plan.earlyTermination?.config;
if (asha === undefined) throw new Error(`${SWEEP} has no early_termination block`);
const median: EarlyTermination = { rule: "median", minEpochs: asha.minEpochs };
/** "asha:3:3" -> ASHA min_epochs 3 η 3; "median:5" -> median rule from epoch 5. */
function parseRule(text: string): EarlyTermination {
  const [rule, min, eta] = text.split(":");
  if (rule === "asha") return { rule, minEpochs: Number(min), reductionFactor: Number(eta ?? 3) };
  if (rule === "median") return { rule, minEpochs: Number(min) };
  throw new Error(`--rules: asha:MIN:ETA or median:MIN; got ${text}`);
}
const rules = values.rules === undefined ? [asha, median] : values.rules.split(",").map(parseRule);
const ruleLabel = (r: EarlyTermination) => (r.rule === "asha" ? `ASHA ${r.minEpochs}/${r.reductionFactor}` : `median ${r.minEpochs}`);
const concurrency = Number(values.concurrency ?? plan.limits.maxConcurrency);
const price = GPU_TRAINING_INSTANCES.get(plan.resources.instanceType)?.usdPerHour ?? Number.NaN;

interface RunResult {
  readonly label: string;
  readonly best: { readonly job: PlannedJob; readonly objective: number };
  readonly costUsd: number;
  readonly billableHours: number;
  readonly stopped: number;
  readonly completed: number;
  readonly callsPerRunningJobTick: number;
  readonly maxCallsPerTick: number;
  readonly listCallsPerTick: number;
  readonly makespanHours: number;
}

async function run(label: string, seed: number, config: EarlyTermination | undefined): Promise<RunResult> {
  const start = Date.UTC(2030, 0, 1);
  const clock = virtualClock(start);
  const standin = await startStandin({
    clock,
    seed,
    metricDelaySeconds: 60,
    duration: (request) =>
      simulatedTrainingSeconds(request.HyperParameters ?? {}, EPOCH_SECONDS) *
      logNormal(1, 0.05, hashUnit(seed, request.TrainingJobName ?? "", 1), hashUnit(seed, request.TrainingJobName ?? "", 2)),
  });
  const endpoint = standin.endpoint;
  const backend = createSageMakerBackend({ region: REGION, endpoint, credentials: CREDENTIALS, clock });
  const source = createCloudWatchMetricSource({ region: REGION, endpoint, credentials: CREDENTIALS, objective: plan.objective, clock });
  let listing: readonly JobSnapshot[] = [];
  const epochs = new Map(plan.jobs.map((job) => [job.name, Number(job.hyperparameters.epochs ?? 10)]));
  let maxCallsPerTick = 0;
  let observer: CampaignObserver | undefined;
  if (config !== undefined) {
    const inner = createEarlyTermination({
      config,
      objective: plan.objective,
      source,
      epochsOf: (name) => epochs.get(name) ?? 10,
      campaignJobs: async () =>
        listing.map((job) => ({
          name: job.name,
          plannedName: job.name,
          createdAt: job.createdAt,
          ...(job.endedAt !== undefined ? { endedAt: job.endedAt } : {}),
        })),
      clock,
    });
    observer = {
      intervalMs: inner.intervalMs,
      explainStop: inner.explainStop,
      async observe(running, signal) {
        const before = source.calls.GetMetricData ?? 0;
        const decisions = await inner.observe(running, signal);
        maxCallsPerTick = Math.max(maxCallsPerTick, (source.calls.GetMetricData ?? 0) - before);
        return decisions;
      },
    };
  }
  const order = [...plan.jobs].sort((a, b) => hashUnit("order", seed, a.name) - hashUnit("order", seed, b.name));
  const drive = await driveCampaign({
    plan,
    order,
    backend,
    stack: simulatedStackOutputs(REGION),
    clock,
    concurrency,
    tickMs: TICK_MS,
    ...(observer !== undefined ? { observer } : {}),
    onListing: (jobs) => {
      listing = jobs;
    },
  });
  const details = await Promise.all(plan.jobs.map(async (job) => ({ job, details: await backend.describeJob(job.name) })));
  await standin.close();
  const billableSeconds = details.reduce((sum, { details: d }) => sum + (d.billableSeconds ?? 0) * (d.instanceCount ?? 1), 0);
  const completed = details.filter(({ details: d }) => d.status === "Completed");
  const best = completed
    .map(({ job, details: d }) => ({ job, objective: d.metrics[plan.objective] ?? Number.NEGATIVE_INFINITY }))
    .reduce((a, b) => (b.objective > a.objective ? b : a));
  return {
    label,
    best,
    billableHours: billableSeconds / 3600,
    costUsd: (billableSeconds / 3600) * price,
    stopped: details.filter(({ details: d }) => d.status === "Stopped").length,
    completed: completed.length,
    callsPerRunningJobTick: drive.runningJobObservations === 0 ? 0 : (source.calls.GetMetricData ?? 0) / drive.runningJobObservations,
    maxCallsPerTick,
    listCallsPerTick: (backend.calls.ListTrainingJobs ?? 0) / Math.max(1, drive.ticks),
    makespanHours: (clock.now() - start) / 3_600_000,
  };
}

/** The point's varying settings, e.g. "lr 0.01 cosine mb 8 resnet-101". */
function pointLabel(job: PlannedJob): string {
  const hp = job.hyperparameters;
  return `lr ${hp.learning_rate} ${hp.lr_scheduler} mb ${hp.mini_batch_size} ${hp.backbone}`;
}

const seeds = (values.seeds ?? "1").split(",").map(Number);
const realStart = performance.now();
process.stdout.write(
  `Early termination: ${plan.jobs.length} points of ${SWEEP}, ${plan.jobs[0]?.hyperparameters.epochs} epochs, concurrency ${concurrency}, ${plan.resources.instanceType} at $${price}/h; rules: ${rules.map(ruleLabel).join(", ")} (ASHA min_epochs/η)\n`,
);
const summary: Record<string, { met: number; ratios: number[]; gaps: number[] }> = {};
for (const seed of seeds) {
  const full = await run("full grid", seed, undefined);
  const runs = [full];
  for (const rule of rules) runs.push(await run(ruleLabel(rule), seed, rule));
  process.stdout.write(`seed ${seed}\n`);
  for (const r of runs) {
    const ratio = r.costUsd / full.costUsd;
    const gap = (full.best.objective - r.best.objective) / full.best.objective;
    const same = r.best.job.pointId === full.best.job.pointId;
    const met = ratio <= 0.3 && (same || gap <= 0.005);
    if (r !== full) {
      const s = (summary[r.label] ??= { met: 0, ratios: [], gaps: [] });
      s.met += met ? 1 : 0;
      s.ratios.push(ratio);
      s.gaps.push(gap);
    }
    process.stdout.write(
      `  ${r.label.padEnd(11)} best ${r.best.objective.toFixed(4)} (${pointLabel(r.best.job)})${r === full ? "" : same ? " same point" : ` ${(100 * gap).toFixed(2)}% below`}` +
        ` · ${r.billableHours.toFixed(1)} GPU-h $${r.costUsd.toFixed(2)} = ${(100 * ratio).toFixed(1)}% of full · ${r.completed} completed, ${r.stopped} stopped · makespan ${r.makespanHours.toFixed(1)} h` +
        (r === full
          ? ""
          : ` · GetMetricData ${r.callsPerRunningJobTick.toFixed(3)} per running job per tick (max ${r.maxCallsPerTick} a tick) · target ${met ? "met" : "MISSED"}`) +
        "\n",
    );
  }
}
for (const [label, s] of Object.entries(summary)) {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  process.stdout.write(
    `${label}: target met in ${s.met}/${seeds.length} seeds; cost ${(100 * mean(s.ratios)).toFixed(1)}% of full on average (max ${(100 * Math.max(...s.ratios)).toFixed(1)}%); best ${(100 * mean(s.gaps)).toFixed(2)}% below the full grid's on average (max ${(100 * Math.max(...s.gaps)).toFixed(2)}%)\n`,
  );
}
process.stdout.write(`real time ${((performance.now() - realStart) / 1000).toFixed(1)} s\n`);
