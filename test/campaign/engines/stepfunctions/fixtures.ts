import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import type { JobsPlan, PlannedJob } from "../../../../src/plan/types.js";
import type { DataChannels, Resources } from "../../../../src/sweep/definition.js";
import { DATA, RESOURCES } from "../../fixtures.js";

/** Plans and stack outputs for the Step Functions engine's tests, built by hand as plan/types.ts says. */

export { STACK } from "../../../kit/stack.js";

function plannedJob(campaign: string, index: number): PlannedJob {
  const hyperparameters = {
    backbone: "resnet-50",
    algorithm: "fcn",
    num_classes: "21",
    num_training_samples: "1464",
    epochs: "30",
    learning_rate: (0.0001 * (index + 1)).toPrecision(6),
    mini_batch_size: "16",
  };
  const pointId = createHash("sha256").update(JSON.stringify(hyperparameters)).digest("hex").slice(0, 12);
  return { name: `${campaign}-${pointId}`, pointId, hyperparameters, points: [index + 1] };
}

/** A plan of `jobs` distinct points. */
export function makePlan(options: {
  jobs: number;
  campaign?: string;
  maxConcurrency?: number;
  maxFailures?: number;
  resources?: Partial<Resources>;
  data?: DataChannels;
}): JobsPlan {
  const campaign = options.campaign ?? "seg-sfn";
  const resources = { ...RESOURCES, ...options.resources };
  const jobs = Array.from({ length: options.jobs }, (_, index) => plannedJob(campaign, index));
  return {
    engine: "jobs",
    campaign,
    sweepFile: `sweeps/${campaign}.yaml`,
    objective: "validation:mIOU",
    strategy: "grid",
    resources,
    data: options.data ?? DATA,
    limits: { maxConcurrency: options.maxConcurrency ?? 4, maxJobs: 100_000, maxFailures: options.maxFailures ?? 3 },
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

export interface AslValidation {
  readonly isValid: boolean;
  readonly errors: readonly { readonly message?: string; readonly path?: string }[];
}

/** asl-validator 4.0.0 (CommonJS, untyped): validates a copy, since it writes QueryLanguage into the states it reads. */
export function validateAsl(definition: unknown): AslValidation {
  const validator = createRequire(import.meta.url)("asl-validator") as (definition: unknown) => AslValidation;
  return validator(structuredClone(definition));
}

/** Failure reasons as SageMaker writes them, and a few that test the edges of each rule. */
export const REASONS: readonly string[] = [
  "CapacityError: Unable to provision requested ML compute capacity. Please retry using a different ML instance type.",
  "InsufficientCapacity: no ml.p3.2xlarge in us-east-1a",
  "InsufficientCapacityError: We currently do not have sufficient capacity in the Availability Zone",
  "InsufficientCapacityErrors: not the class name, so not capacity",
  "EC2InsufficientCapacityError: We currently do not have sufficient capacity",
  "ClientError: there is insufficient capacity for ml.p4d.24xlarge",
  "InternalServerError: We encountered an internal error. Please try again.",
  "InternalFailure",
  "InternalError: the training container stopped",
  "AlgorithmError: , exit code: 1",
  "AlgorithmError: CUDA out of memory (insufficient memory, not capacity)",
  "ClientError: Data download failed: NoSuchKey",
  "  CapacityError: with leading blanks",
  "capacityerror: lower case",
  "",
];

/** A state of a definition copy that a test edits (open: any field may be added or deleted). */
export interface EditableState {
  [field: string]: unknown;
  Resource?: string;
  Next?: string;
  Parameters?: Record<string, unknown>;
  Retry?: { ErrorEquals: string[]; [field: string]: unknown }[];
}

/** The Map state of a definition copy. */
export interface EditableMap extends EditableState {
  ItemProcessor: { ProcessorConfig: Record<string, unknown>; States: Record<string, EditableState> };
}

/** A JSON copy of a definition, with its Map state (`map`) and the child's states (`child`) at hand. */
export function editableCopy(
  definition: unknown,
  mapState: string,
): { copy: { States: Record<string, EditableMap> }; map: EditableMap; child: Record<string, EditableState> } {
  const copy = JSON.parse(JSON.stringify(definition)) as { States: Record<string, EditableMap> };
  const map = copy.States[mapState]!;
  return { copy, map, child: map.ItemProcessor.States };
}
