import type { JobDetails } from "../../src/backend/types.js";
import { planSweep } from "../../src/plan/plan.js";
import type { JobsPlan } from "../../src/plan/types.js";
import { withJobTimings } from "../../src/report/job-timing.js";
import { summarizeCampaign } from "../../src/report/summarize.js";
import type { CampaignReport, CurvePoint } from "../../src/report/types.js";
import { parseSweepText } from "../../src/sweep/load.js";
import { parseDefinition } from "../../src/sweep/parse-definition.js";
import { seededUniform } from "../../src/util/random.js";

/**
 * A large campaign for the report page's benchmark, built the way a real one is: a random-search
 * sweep file planned by the real planner, one outcome per planned job (completed, stopped early
 * by the campaign, failed, retried, running), learning curves for every job, and the report
 * summarised by the real summariser. Deterministic for a given seed. Not a model of training:
 * the curves only need to look like curves and cross.
 */
export function syntheticReport(options: { jobs: number; epochs: number; seed?: string }): CampaignReport {
  const plan = syntheticPlan(options.jobs, options.epochs);
  const random = seededUniform(options.seed ?? "report-page-bench");
  const jobs: JobDetails[] = [];
  const curves = new Map<string, CurvePoint[]>();
  const terminated = new Map<string, string>();
  const start = Date.UTC(2026, 2, 2, 8, 0, 0);
  const concurrency = 50;
  plan.jobs.forEach((planned, index) => {
    const createdAt = start + Math.floor(index / concurrency) * 3 * 3_600_000 + Math.floor(random() * 600_000);
    const top = 0.45 + 0.25 * random();
    const speed = 1 + 6 * random();
    const outcome = random();
    const epochsRun = outcome < 0.3 ? 3 + Math.floor(random() * 8) : options.epochs;
    const curve = Array.from({ length: epochsRun }, (_, e) => ({
      epoch: e + 1,
      value: top * (1 - Math.exp(-(e + 1) / speed)) + 0.01 * (random() - 0.5),
    }));
    const seconds = 240 * epochsRun + Math.floor(random() * 300);
    const ended = { startedAt: createdAt + 120_000, endedAt: createdAt + 120_000 + seconds * 1000, billableSeconds: seconds };
    const base = { createdAt, hyperparameters: planned.hyperparameters, instanceType: "ml.p3.2xlarge", instanceCount: 1 };
    const last = curve.at(-1)?.value ?? 0;
    if (outcome < 0.3) {
      jobs.push({ ...base, ...ended, name: planned.name, status: "Stopped", metrics: { "validation:mIOU": last } });
      terminated.set(planned.name, `ASHA: below the top third at epoch ${epochsRun}`);
    } else if (outcome < 0.33) {
      const reason = FAILURES[Math.floor(random() * FAILURES.length)] ?? "";
      jobs.push({ ...base, ...ended, name: planned.name, status: "Failed", failureReason: reason, metrics: {} });
      // A third of the failures were retried and completed.
      if (random() < 0.33) jobs.push({ ...base, ...ended, name: `${planned.name}-r1`, status: "Completed", metrics: metrics(last) });
    } else if (outcome < 0.35) {
      jobs.push({ ...base, name: planned.name, status: "InProgress", metrics: {} });
      curve.length = Math.min(curve.length, 5);
    } else {
      jobs.push({ ...base, ...ended, name: planned.name, status: "Completed", metrics: metrics(last) });
    }
    curves.set(jobs.at(-1)?.name ?? planned.name, curve);
  });
  return withJobTimings(summarizeCampaign(plan, jobs), plan, jobs, { curves, terminated });
}

const FAILURES = [
  "AlgorithmError: CUDA out of memory. Tried to allocate 1.2 GiB",
  "CapacityError: Unable to provision requested ML compute capacity.",
  "ClientError: Data download failed: annotation missing for image 0042.jpg",
  "InternalServerError: We encountered an internal error. Please try again.",
];

function metrics(mIOU: number): Record<string, number> {
  return { "validation:mIOU": mIOU, "validation:pixel_accuracy": 0.8 + mIOU / 5 };
}

function syntheticPlan(samples: number, epochs: number): JobsPlan {
  const text = `name: bench-report-page
strategy: random
samples: ${samples}
seed: 7
hyperparameters:
  num_classes: 21
  num_training_samples: 1464
  epochs: ${epochs}
  algorithm: [fcn, psp, deeplab]
  backbone: [resnet-50, resnet-101]
  optimizer: sgd
  learning_rate: {log_uniform: [0.0001, 0.05]}
  momentum: {uniform: [0.85, 0.99]}
  mini_batch_size: [4, 8, 16, 32]
resources:
  instance_type: ml.p3.2xlarge
  max_runtime: 12h
data:
  train: voc/train/
  validation: voc/validation/
  train_annotation: voc/train_annotation/
  validation_annotation: voc/validation_annotation/
limits:
  max_jobs: ${samples}
objective: validation:mIOU
`;
  const parsed = parseSweepText(text, "bench/report-page.yaml");
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
  const definition = parseDefinition(parsed.source);
  if (!definition.ok) throw new Error(JSON.stringify(definition.diagnostics));
  const planned = planSweep(parsed.source, definition.definition);
  if (!planned.ok) throw new Error(JSON.stringify(planned.diagnostics));
  return planned.plan;
}
