/**
 * Early-termination benchmark (issue 10): the 48-point study of bench/early-termination.yaml
 * rehearsed through the real launcher (the jobs engine `segsweep launch` runs, with the observer
 * `launch` builds from the plan: src/campaign/early-termination-setup.ts) against the in-memory
 * SageMaker on a discrete-event clock, with the stand-in's learning curves served as CloudWatch
 * serves them (one-minute periods, a datapoint 60 s after its epoch: src/standin/in-memory-metrics.ts).
 * Per seed, in one process: the full grid, the same grid with ASHA (the file's block) and with
 * the median rule. Prints, per run, the best point's final objective, the GPU cost (billable
 * instance-hours × the catalog's price), the ratio to the full grid, and GetMetricData calls per
 * running job per observation tick.
 *
 * Durations follow the epochs (the stand-in's simulatedTrainingSeconds, 240 s an epoch for
 * FCN/ResNet-50, ×1.6 for ResNet-101), jittered ±5% per seed; each seed also shuffles the launch
 * order. The observer reads periods settled for `--settle` (default: its own default).
 *
 *   npx tsx bench/early-termination.ts [--seeds 1,2,3,4,5,6,7,8] [--concurrency 8] [--settle 3m]
 *   npx tsx bench/early-termination.ts --rules asha:3:3,asha:5:3,median:3   # other rule settings than the file's
 */
import { parseArgs } from "node:util";
import { GPU_TRAINING_INSTANCES } from "../src/catalog/instances.js";
import { planJobsSweepFile } from "../src/plan/plan-file.js";
import type { JobsPlan, PlannedJob } from "../src/plan/types.js";
import { learningCurve, simulatedTrainingSeconds } from "../src/standin/index.js";
import type { EarlyTermination } from "../src/sweep/early-termination.js";
import { parseDurationMs } from "../src/util/duration.js";
import { hashUnit, logNormal } from "../src/util/random.js";
import { rehearse } from "./early-termination/rehearse.js";

const { values } = parseArgs({
  options: {
    seeds: { type: "string", default: "1,2,3,4,5,6,7,8" },
    concurrency: { type: "string" },
    rules: { type: "string" },
    settle: { type: "string" },
  },
});
const SWEEP = "bench/early-termination.yaml";
const EPOCH_SECONDS = 240;

const planned = await planJobsSweepFile(SWEEP);
if (!planned.ok) throw new Error(`${SWEEP} does not plan: ${planned.diagnostics.map((d) => d.message).join("; ")}`);
const plan: JobsPlan = planned.plan;
const asha = plan.earlyTermination?.config;
if (asha === undefined || plan.earlyTermination === undefined) throw new Error(`${SWEEP} has no early_termination block`);
const median: EarlyTermination = { rule: "median", minEpochs: asha.minEpochs };
/** "asha:3:3" -> ASHA min_epochs 3 η 3 (":quantile" for Ray Tune's cutoff); "median:5" -> median rule from epoch 5. */
function parseRule(text: string): EarlyTermination {
  const [rule, min, eta, cutoff] = text.split(":");
  if (rule === "asha")
    return { rule, minEpochs: Number(min), reductionFactor: Number(eta ?? 3), cutoff: cutoff === "quantile" ? "quantile" : "top" };
  if (rule === "median") return { rule, minEpochs: Number(min) };
  throw new Error(`--rules: asha:MIN:ETA or median:MIN; got ${text}`);
}
const rules = values.rules === undefined ? [asha, median] : values.rules.split(",").map(parseRule);
const ruleLabel = (r: EarlyTermination) =>
  r.rule === "asha" ? `ASHA ${r.minEpochs}/${r.reductionFactor}${r.cutoff === "quantile" ? " q" : ""}` : `median ${r.minEpochs}`;
const concurrency = Number(values.concurrency ?? plan.limits.maxConcurrency);
const settleMs = values.settle === undefined ? undefined : parseDurationMs(values.settle);
const price = GPU_TRAINING_INSTANCES.get(plan.resources.instanceType)?.usdPerHour ?? Number.NaN;

interface RunResult {
  readonly label: string;
  readonly best: { readonly job: PlannedJob; readonly objective: number };
  readonly costUsd: number;
  readonly billableHours: number;
  readonly stopped: number;
  readonly completed: number;
  readonly callsPerRunningJobTick: number;
  readonly makespanHours: number;
}

/** A planned job's natural length: its epochs (fewer when the algorithm's own early stopping ends it), jittered per seed. */
function durationMs(seed: number, job: PlannedJob): number {
  const curve = learningCurve(job.hyperparameters);
  const seconds =
    simulatedTrainingSeconds(job.hyperparameters, EPOCH_SECONDS) * (0.12 + (0.88 * curve.epochs.length) / curve.plannedEpochs);
  return 1000 * seconds * logNormal(1, 0.05, hashUnit(seed, job.name, 1), hashUnit(seed, job.name, 2));
}

async function run(label: string, seed: number, config: EarlyTermination | undefined): Promise<RunResult> {
  const order = [...plan.jobs].sort((a, b) => hashUnit("order", seed, a.name) - hashUnit("order", seed, b.name));
  const { earlyTermination: _, ...grid } = plan;
  const runPlan: JobsPlan =
    config === undefined ? { ...grid, jobs: order } : { ...plan, jobs: order, earlyTermination: { ...plan.earlyTermination!, config } };
  const byName = new Map(plan.jobs.map((job) => [job.name, job]));
  const result = await rehearse({
    plan: runPlan,
    concurrency,
    durationMs: (name) => durationMs(seed, byName.get(name) as PlannedJob),
    ...(settleMs !== undefined ? { settleMs } : {}),
  });
  const billableSeconds = result.jobs.reduce((sum, job) => sum + (job.billableSeconds ?? 0) * (job.instanceCount ?? 1), 0);
  const completed = result.jobs.filter((job) => job.status === "Completed");
  const best = completed
    .map((job) => ({ job: byName.get(job.name) as PlannedJob, objective: job.metrics[plan.objective] ?? Number.NEGATIVE_INFINITY }))
    .reduce((a, b) => (b.objective > a.objective ? b : a));
  return {
    label,
    best,
    billableHours: billableSeconds / 3600,
    costUsd: (billableSeconds / 3600) * price,
    stopped: result.jobs.filter((job) => job.status === "Stopped").length,
    completed: completed.length,
    callsPerRunningJobTick: result.runningJobObservations === 0 ? 0 : result.getMetricDataCalls / result.runningJobObservations,
    makespanHours: result.makespanMs / 3_600_000,
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
  `Early termination through the launcher: ${plan.jobs.length} points of ${SWEEP}, ${plan.jobs[0]?.hyperparameters.epochs} epochs, concurrency ${concurrency}, ${plan.resources.instanceType} at $${price}/h; settle ${settleMs === undefined ? "default" : `${settleMs / 1000} s`}; rules: ${rules.map(ruleLabel).join(", ")} (ASHA min_epochs/η)\n`,
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
          : ` · GetMetricData ${r.callsPerRunningJobTick.toFixed(3)} per running job per tick · target ${met ? "met" : "MISSED"}`) +
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
