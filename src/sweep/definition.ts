import { z } from "zod";
import { OBJECTIVE_METRIC_NAMES } from "../algorithms/semantic-segmentation/index.js";
import { DEFAULT_INSTANCE_TYPE, GPU_TRAINING_INSTANCE_TYPES, GPU_TRAINING_INSTANCES } from "../catalog/instances.js";
import { MAX_RUNTIME_LIMIT_SECONDS } from "../catalog/sagemaker-api.js";
import { formatDuration, parseDurationMs } from "../util/duration.js";
import { didYouMean } from "../util/suggest.js";
import { dataLocationProblem } from "./data-location.js";
import { EarlyTermination } from "./early-termination.js";
import { Engine, Strategy, WarmStart } from "./tuning-fields.js";

/**
 * The sweep file (sweeps/*.yaml): one tuning campaign. This schema checks the file's shape;
 * the hyperparameter values themselves are checked per point against the algorithm's contract
 * (src/algorithms/semantic-segmentation/), after expansion.
 */

/** Job names are `<name>-<12 hex>` plus up to `-r99` for automatic retries: 44 + 13 + 4 ≤ 63 (CreateTrainingJob.TrainingJobName max 63). */
export const CAMPAIGN_NAME_MAX = 44;

export const CampaignName = z
  .string()
  .min(1)
  .max(CAMPAIGN_NAME_MAX, `at most ${CAMPAIGN_NAME_MAX} characters, so that job names fit SageMaker's 63-character limit`)
  .regex(/^[a-z0-9](-?[a-z0-9])*$/, "lowercase letters, digits and single hyphens, starting and ending with a letter or digit");

/** A duration in seconds, written `6h`, `90m`, `1h30m`, `3600` (seconds). */
const DURATION = `a duration such as "6h", "90m" or "1h30m"`;
const DurationSeconds = z.union([z.string(), z.number()], DURATION).transform((value, ctx) => {
  const ms = parseDurationMs(value);
  if (ms === undefined || ms <= 0) {
    ctx.addIssue({ code: "custom", message: DURATION });
    return z.NEVER;
  }
  return Math.ceil(ms / 1000);
});

/** CreateTrainingJob StoppingCondition.MaxRuntimeInSeconds: 1 s to 28 days (API model). */

const InstanceType = z.string().refine((type) => GPU_TRAINING_INSTANCES.has(type), {
  error: (issue) => {
    // A well-formed name (ml.m5.xlarge) is another family, not a typo: list the GPU types instead.
    const typo = typeof issue.input === "string" && !/^ml\.[a-z][a-z0-9-]*\.(\d*xlarge|large|medium|small)$/.test(issue.input);
    const hint = typo ? didYouMean(issue.input as string, GPU_TRAINING_INSTANCE_TYPES) : undefined;
    if (hint !== undefined) return `a GPU training instance type (did you mean "${hint}"?)`;
    return `a GPU training instance type, one of: ${GPU_TRAINING_INSTANCE_TYPES.join(", ")} (the algorithm trains on GPUs only)`;
  },
});

/** The fields of `resources:` as written (exported so error messages can list them). */
export const ResourcesFields = z.strictObject({
  instance_type: InstanceType.default(DEFAULT_INSTANCE_TYPE),
  // The algorithm is not parallelizable: "GPU (single instance only)" (common-info-all-im-models).
  instance_count: z.literal(1, "1: the semantic segmentation algorithm trains on a single instance").default(1),
  // OptionalVolumeSizeInGB; the default quota "Size of EBS volume for a training job instance" is 1024 GB.
  volume_gb: z.number().int().min(1).max(16384).default(50),
  max_runtime: DurationSeconds.pipe(
    z.number().max(MAX_RUNTIME_LIMIT_SECONDS, "at most 28d (CreateTrainingJob MaxRuntimeInSeconds)"),
  ).default(86_400),
  spot: z.boolean().default(false),
  max_wait: DurationSeconds.pipe(z.number().max(MAX_RUNTIME_LIMIT_SECONDS)).optional(),
});

export const Resources = ResourcesFields.refine((r) => !r.spot || r.max_wait === undefined || r.max_wait >= r.max_runtime, {
  error: (issue) => {
    const runtime = (issue.input as { max_runtime?: number } | undefined)?.max_runtime;
    const shown = runtime === undefined ? "" : ` (${formatDuration(runtime)})`;
    return `at least max_runtime${shown}: with spot, max_wait bounds the wait for capacity plus the run (StoppingCondition.MaxWaitTimeInSeconds >= MaxRuntimeInSeconds)`;
  },
  path: ["max_wait"],
  // Also when other resources fields are invalid: every independent mistake is reported in one run.
  when: (payload) => !payload.issues.some((issue) => ["spot", "max_runtime", "max_wait"].includes(String(issue.path?.[0]))),
}).transform((r) => ({
  instanceType: r.instance_type,
  instanceCount: r.instance_count,
  volumeGb: r.volume_gb,
  maxRuntimeSeconds: r.max_runtime,
  spot: r.spot,
  // With spot, SageMaker needs a wait bound; default to twice the run time, capped at 28 days.
  ...(r.spot ? { maxWaitSeconds: r.max_wait ?? Math.min(2 * r.max_runtime, MAX_RUNTIME_LIMIT_SECONDS) } : {}),
}));
export type Resources = z.infer<typeof Resources>;

/**
 * An S3 location: a full `s3://bucket/key` URI, or a key relative to the stack's `datasetsUri`
 * (so committed sweep files need not name a generated bucket). Rules: src/sweep/data-location.ts.
 */
export const DataLocation = z
  .string()
  .min(1)
  .superRefine((value, ctx) => {
    const problem = dataLocationProblem(value);
    if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
  });

export const S3PrefixData = z.strictObject({
  train: DataLocation,
  validation: DataLocation,
  train_annotation: DataLocation,
  validation_annotation: DataLocation,
  label_map: DataLocation.optional(),
});

/** Augmented manifests (Pipe mode, RecordIO): attribute names end in `-ref`, at most 16 (S3DataSource.AttributeNames). */
export const AugmentedManifestData = z.strictObject({
  augmented_manifest: z.strictObject({
    train: DataLocation,
    validation: DataLocation,
    attribute_names: z
      .array(z.string().min(1).max(256).regex(/-ref$/, "an attribute name ending in -ref"))
      .min(2, "two names: the image attribute and the annotation attribute, e.g. [source-ref, city-streets-ref]")
      .max(16),
  }),
});

export const DataChannels = z.union([AugmentedManifestData, S3PrefixData], {
  error:
    "either the four channels train, validation, train_annotation, validation_annotation (and optionally label_map), or augmented_manifest: {train, validation, attribute_names}",
});
export type DataChannels = z.infer<typeof DataChannels>;

/** The fields of `limits:` as written. */
export const LimitsFields = z.strictObject({
  max_concurrency: z.number().int().min(1).max(1000).default(2),
  max_jobs: z.number().int().min(1).default(1000),
  max_failures: z.number().int().min(0).default(3),
  budget_usd: z.number().positive().optional(),
});

export const Limits = LimitsFields.transform((l) => ({
  maxConcurrency: l.max_concurrency,
  maxJobs: l.max_jobs,
  maxFailures: l.max_failures,
  ...(l.budget_usd !== undefined ? { budgetUsd: l.budget_usd } : {}),
}));
export type Limits = z.infer<typeof Limits>;

/** Both metrics the algorithm emits; both are maximized (semantic-segmentation-tuning docs). */
export const Objective = z.enum(OBJECTIVE_METRIC_NAMES);
export type Objective = z.infer<typeof Objective>;

/** A partial assignment of hyperparameters, as in `include` / `exclude`. Values are scalars. */
export const PartialAssignment = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
export type PartialAssignment = z.infer<typeof PartialAssignment>;

/** `hyperparameters:` values stay raw here: expansion decides what is an axis, validation what is allowed. */
export const SweepDefinition = z.strictObject({
  name: CampaignName,
  description: z.string().optional(),
  strategy: Strategy.default("grid"),
  // The tuning engine's fields (docs/tuning.md): checked by src/plan/tuning/.
  engine: Engine.optional(),
  warm_start: WarmStart.optional(),
  samples: z.number().int().min(1).optional(),
  seed: z.number().int().optional(),
  hyperparameters: z.record(z.string(), z.unknown()),
  exclude: z.array(PartialAssignment).default([]),
  include: z.array(PartialAssignment).default([]),
  // prefault: an absent block is parsed as {} so every field default applies.
  resources: Resources.prefault({}),
  data: DataChannels,
  limits: Limits.prefault({}),
  objective: Objective.default("validation:mIOU"),
  early_termination: EarlyTermination.optional(),
});
export type SweepDefinition = z.infer<typeof SweepDefinition>;
