import { createHash } from "node:crypto";
import type { Clock } from "../../src/backend/clock.js";
import { buildCreateTrainingJobRequest } from "../../src/backend/request.js";
import type { JobEventSource } from "../../src/backend/sqs-events.js";
import type { TrainingBackend } from "../../src/backend/types.js";
import { type CampaignResult, runCampaign } from "../../src/launch/campaign.js";
import type { CampaignView, LaunchEvent } from "../../src/launch/events.js";
import { type Journal, memoryJournal } from "../../src/launch/journal.js";
import { reconcile } from "../../src/launch/reconcile.js";
import type { LaunchPlan, PlannedJob } from "../../src/plan/types.js";
import type { StackOutputs } from "../../src/stack/outputs.js";
import type { DataChannels, Resources } from "../../src/sweep/definition.js";

/** Hand-built plans and stack outputs (plan-file.ts is written elsewhere; plans here follow plan/types.ts). */

export const STACK: StackOutputs = {
  region: "us-east-1",
  bucketName: "segsweep-data-123456789012",
  datasetsUri: "s3://segsweep-data-123456789012/datasets/",
  outputsUri: "s3://segsweep-data-123456789012/outputs/",
  checkpointsUri: "s3://segsweep-data-123456789012/checkpoints/",
  campaignsUri: "s3://segsweep-data-123456789012/campaigns/",
  trainingRoleArn: "arn:aws:iam::123456789012:role/segsweep-training",
  operatorPolicyArn: "arn:aws:iam::123456789012:policy/segsweep-operator",
  trainingImage: "811284229777.dkr.ecr.us-east-1.amazonaws.com/semantic-segmentation:1",
  instanceTypes: ["ml.p3.2xlarge"],
};

const RESOURCES: Resources = { instanceType: "ml.p3.2xlarge", instanceCount: 1, volumeGb: 50, maxRuntimeSeconds: 86_400, spot: false };
const DATA: DataChannels = {
  train: "voc/train/",
  validation: "voc/validation/",
  train_annotation: "voc/train_annotation/",
  validation_annotation: "voc/validation_annotation/",
};

function plannedJob(campaign: string, index: number): PlannedJob {
  const hyperparameters = { num_classes: "21", num_training_samples: "1464", learning_rate: String(0.001 * (index + 1)) };
  const pointId = createHash("sha256").update(JSON.stringify(hyperparameters)).digest("hex").slice(0, 12);
  return { name: `${campaign}-${pointId}`, pointId, hyperparameters, points: [index + 1] };
}

/** A plan of `jobs` points with the given limits and resources. */
export function makePlan(options: {
  jobs: number;
  campaign?: string;
  maxConcurrency?: number;
  maxFailures?: number;
  budgetUsd?: number;
  resources?: Partial<Resources>;
  data?: DataChannels;
}): LaunchPlan {
  const campaign = options.campaign ?? "seg-test";
  const resources = { ...RESOURCES, ...options.resources };
  const jobs = Array.from({ length: options.jobs }, (_, index) => plannedJob(campaign, index));
  const perJobUsd = (3.825 * resources.maxRuntimeSeconds) / 3600;
  const totalUsd = perJobUsd * jobs.length;
  return {
    campaign,
    sweepFile: `sweeps/${campaign}.yaml`,
    objective: "validation:mIOU",
    strategy: "grid",
    resources,
    data: options.data ?? DATA,
    limits: {
      maxConcurrency: options.maxConcurrency ?? 3,
      maxJobs: 1000,
      maxFailures: options.maxFailures ?? 3,
      ...(options.budgetUsd !== undefined ? { budgetUsd: options.budgetUsd } : {}),
    },
    counts: { expanded: jobs.length, excluded: 0, duplicates: 0, jobs: jobs.length },
    jobs,
    cost: {
      instanceType: resources.instanceType,
      instanceCount: 1,
      usdPerHour: 3.825,
      maxRuntimeSeconds: resources.maxRuntimeSeconds,
      perJobUsd,
      totalUsd,
      spot: resources.spot,
      ...(options.budgetUsd !== undefined ? { budgetUsd: options.budgetUsd, withinBudget: totalUsd <= options.budgetUsd } : {}),
    },
    warnings: [],
  };
}

export interface LaunchRun {
  readonly result: CampaignResult;
  readonly events: { event: LaunchEvent; view: CampaignView }[];
}

/** Reconciles and runs a campaign against `backend` on `clock`, recording every event. */
export async function launchAgainst(
  backend: TrainingBackend,
  plan: LaunchPlan,
  clock: Clock,
  options: {
    journal?: Journal;
    signal?: AbortSignal;
    pollIntervalMs?: number;
    maxConcurrency?: number;
    events?: JobEventSource & { waitsForEvents: boolean };
    onEvent?: (event: LaunchEvent) => void;
  } = {},
): Promise<LaunchRun> {
  const journal = options.journal ?? memoryJournal();
  const events: LaunchRun["events"] = [];
  const reconciled = await reconcile({ plan, backend, journal, maxRetries: 2 });
  const result = await runCampaign(
    {
      plan,
      backend,
      clock,
      journal,
      buildRequest: (job, attempt) => buildCreateTrainingJobRequest(plan, job, attempt, STACK),
      observe: (event, view) => {
        events.push({ event, view });
        options.onEvent?.(event);
      },
      maxConcurrency: options.maxConcurrency ?? plan.limits.maxConcurrency,
      pollIntervalMs: options.pollIntervalMs ?? 30_000,
      signal: options.signal ?? new AbortController().signal,
      backoff: { baseMs: 1000, capMs: 30_000 },
      ...(options.events !== undefined ? { events: options.events } : {}),
    },
    reconciled,
  );
  return { result, events };
}
