import { createHash } from "node:crypto";
import type { Clock } from "../../src/backend/clock.js";
import { buildCreateTrainingJobRequest } from "../../src/backend/request.js";
import type { JobEventSource } from "../../src/backend/sqs-events.js";
import type { TrainingBackend } from "../../src/backend/types.js";
import { createDescriber } from "../../src/campaign/describe.js";
import type { CampaignView, LaunchEvent } from "../../src/campaign/events.js";
import { type Journal, memoryJournal } from "../../src/campaign/journal.js";
import { type CampaignResult, runCampaign } from "../../src/campaign/launcher.js";
import type { CampaignObserver } from "../../src/campaign/observer.js";
import { campaignPolicy, type PolicyInputs } from "../../src/campaign/policy.js";
import { reconcile } from "../../src/campaign/reconcile.js";
import { plannedJobName } from "../../src/plan/job-name.js";
import type { JobsPlan, PlannedJob } from "../../src/plan/types.js";
import type { DataChannels, Resources } from "../../src/sweep/definition.js";
import { STACK } from "../kit/stack.js";

/** Hand-built plans of N points for the launcher's tests, and a launch against a backend on a clock. */

/** The resources and data channels of every hand-built plan. */
export const RESOURCES: Resources = {
  instanceType: "ml.p3.2xlarge",
  instanceCount: 1,
  volumeGb: 50,
  maxRuntimeSeconds: 86_400,
  spot: false,
};
export const DATA: DataChannels = {
  train: "voc/train/",
  validation: "voc/validation/",
  train_annotation: "voc/train_annotation/",
  validation_annotation: "voc/validation_annotation/",
};

function plannedJob(campaign: string, index: number): PlannedJob {
  const hyperparameters = { num_classes: "21", num_training_samples: "1464", learning_rate: String(0.001 * (index + 1)) };
  const pointId = createHash("sha256").update(JSON.stringify(hyperparameters)).digest("hex").slice(0, 12);
  return { name: plannedJobName(campaign, pointId), pointId, hyperparameters, points: [index + 1] };
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
}): JobsPlan {
  const campaign = options.campaign ?? "seg-test";
  const resources = { ...RESOURCES, ...options.resources };
  const jobs = Array.from({ length: options.jobs }, (_, index) => plannedJob(campaign, index));
  const perJobUsd = (3.825 * resources.maxRuntimeSeconds) / 3600;
  const totalUsd = perJobUsd * jobs.length;
  return {
    engine: "jobs",
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

export interface LaunchAgainstOptions {
  journal?: Journal;
  signal?: AbortSignal;
  pollIntervalMs?: number;
  maxConcurrency?: number;
  policy?: Partial<PolicyInputs>;
  events?: JobEventSource & { waitsForEvents: boolean };
  observer?: CampaignObserver;
  onEvent?: (event: LaunchEvent) => void;
}

/** Reconciles and runs a campaign against `backend` on `clock`, recording every event. */
export async function launchAgainst(
  backend: TrainingBackend,
  plan: JobsPlan,
  clock: Clock,
  options: LaunchAgainstOptions = {},
): Promise<LaunchRun> {
  const journal = options.journal ?? memoryJournal();
  const events: LaunchRun["events"] = [];
  const pollIntervalMs = options.pollIntervalMs ?? 30_000;
  const policy = campaignPolicy({
    maxConcurrency: options.maxConcurrency ?? plan.limits.maxConcurrency,
    maxFailures: plan.limits.maxFailures,
    pollIntervalMs,
    ...options.policy,
  });
  const describer = createDescriber(backend);
  const observer = options.observer !== undefined ? { observer: options.observer } : {};
  const reconciled = await reconcile({ plan, backend, journal, policy, describer, ...observer });
  const result = await runCampaign(
    {
      plan,
      backend,
      clock,
      journal,
      policy,
      describer,
      buildRequest: (job, attempt) => buildCreateTrainingJobRequest(plan, job, attempt, STACK),
      observe: (event, view) => {
        events.push({ event, view });
        options.onEvent?.(event);
      },
      pollIntervalMs,
      signal: options.signal ?? new AbortController().signal,
      ...(options.events !== undefined ? { events: options.events } : {}),
      ...observer,
    },
    reconciled,
  );
  return { result, events };
}
