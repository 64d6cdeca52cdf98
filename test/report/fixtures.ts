import { createHash } from "node:crypto";
import type { JobDetails, TrainingJobStatus } from "../../src/backend/types.js";
import { TAG_CAMPAIGN, TAG_POINT } from "../../src/catalog/sagemaker-api.js";
import { parseJobName, plannedJobName } from "../../src/plan/job-name.js";
import type { JobsPlan, PlannedJob } from "../../src/plan/types.js";
import type { Objective, Resources } from "../../src/sweep/definition.js";

/**
 * Hand-built LaunchPlans and JobDetails for tests of the report and the status/stop/report
 * commands. Names follow plan/types.ts: `<campaign>-<12 hex>`.
 */

/** Hyperparameters every fixture point shares (as sent: strings). */
export const BASE_HYPERPARAMETERS: Readonly<Record<string, string>> = {
  backbone: "resnet-50",
  num_classes: "21",
  num_training_samples: "1464",
  epochs: "10",
};

export const DEFAULT_RESOURCES: Resources = {
  instanceType: "ml.p3.2xlarge",
  instanceCount: 1,
  volumeGb: 50,
  maxRuntimeSeconds: 86_400,
  spot: false,
};

/** A planned job with the given varying hyperparameters on top of the base ones. */
export function plannedJob(campaign: string, varying: Readonly<Record<string, string>>, index = 1): PlannedJob {
  const hyperparameters = Object.fromEntries(
    Object.entries({ ...BASE_HYPERPARAMETERS, ...varying }).sort(([a], [b]) => a.localeCompare(b)),
  );
  const pointId = createHash("sha256").update(JSON.stringify(hyperparameters)).digest("hex").slice(0, 12);
  return { name: plannedJobName(campaign, pointId), pointId, hyperparameters, points: [index] };
}

/** A plan over the given points (each a map of the hyperparameters that vary). */
export function makePlan(options: {
  campaign?: string;
  points: readonly Readonly<Record<string, string>>[];
  objective?: Objective;
  resources?: Partial<Resources>;
}): JobsPlan {
  const campaign = options.campaign ?? "seg-lr";
  const resources = { ...DEFAULT_RESOURCES, ...options.resources };
  const jobs = options.points.map((point, index) => plannedJob(campaign, point, index + 1));
  return {
    engine: "jobs",
    campaign,
    sweepFile: `sweeps/${campaign}.yaml`,
    objective: options.objective ?? "validation:mIOU",
    strategy: "grid",
    resources,
    data: {
      train: "train/",
      validation: "validation/",
      train_annotation: "train_annotation/",
      validation_annotation: "validation_annotation/",
    },
    limits: { maxConcurrency: 2, maxJobs: 1000, maxFailures: 3 },
    counts: { expanded: jobs.length, excluded: 0, duplicates: 0, jobs: jobs.length },
    jobs,
    cost: {
      instanceType: resources.instanceType,
      instanceCount: resources.instanceCount,
      usdPerHour: 3.825,
      maxRuntimeSeconds: resources.maxRuntimeSeconds,
      perJobUsd: null,
      totalUsd: null,
      spot: resources.spot,
    },
    warnings: [],
  };
}

/** Fixed epoch for fixtures: 2026-01-05T10:00:00Z. */
export const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);

/** The tags segsweep gives a job of this name: its campaign and point (none for a name of another shape). */
export function tagsOf(name: string): Record<string, string> {
  const parsed = parseJobName(name);
  if (parsed === undefined) return {};
  return { [TAG_CAMPAIGN]: parsed.plannedName.slice(0, -parsed.pointId.length - 1), [TAG_POINT]: parsed.pointId };
}

/** A job as Search returns it (tags included); a completed one by default, one hour of billable time. */
export function jobDetails(name: string, overrides: Partial<JobDetails> & { status?: TrainingJobStatus } = {}): JobDetails {
  const status = overrides.status ?? "Completed";
  const ended = status === "Completed" || status === "Failed" || status === "Stopped";
  return {
    name,
    tags: tagsOf(name),
    status,
    createdAt: T0,
    ...(ended ? { endedAt: T0 + 3_700_000, billableSeconds: 3600 } : {}),
    secondaryStatus: status === "InProgress" ? "Training" : status,
    metrics: {},
    hyperparameters: {},
    instanceType: "ml.p3.2xlarge",
    instanceCount: 1,
    ...overrides,
  };
}

/** A completed job that reported both metrics. */
export function completed(name: string, mIOU: number, pixelAccuracy = 0.9, overrides: Partial<JobDetails> = {}): JobDetails {
  return jobDetails(name, { metrics: { "validation:mIOU": mIOU, "validation:pixel_accuracy": pixelAccuracy }, ...overrides });
}
