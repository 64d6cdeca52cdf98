import type { CreateTrainingJobRequest } from "@aws-sdk/client-sagemaker";
import { z } from "zod";
import { hashUnit, logNormal } from "../util/random.js";
import { type LearningCurve, learningCurve } from "./curves.js";
import { cutShort, isEnded, type Outcome, planTimeline, stateAt, type Timeline, type Transition } from "./lifecycle.js";
import type { ResolvedOptions } from "./options.js";
import { AwsError } from "./protocol.js";

/**
 * The account's training jobs: creation (name uniqueness, the instance quota, the job's fate),
 * stops, tags, and the clock arithmetic between a job's SageMaker seconds and clock time.
 */

/** The fields of a (model-valid) CreateTrainingJob request the stand-in reads; the rest is kept and echoed. */
export const CreateFields = z.looseObject({
  TrainingJobName: z.string(),
  HyperParameters: z.record(z.string(), z.string()).optional(),
  AlgorithmSpecification: z.looseObject({ TrainingImage: z.string().optional(), AlgorithmName: z.string().optional() }).optional(),
  ResourceConfig: z
    .looseObject({
      InstanceType: z.string().optional(),
      InstanceCount: z.number().optional(),
      InstanceGroups: z.array(z.looseObject({ InstanceCount: z.number() })).optional(),
    })
    .optional(),
  StoppingCondition: z.looseObject({ MaxRuntimeInSeconds: z.number().optional(), MaxWaitTimeInSeconds: z.number().optional() }).optional(),
  EnableManagedSpotTraining: z.boolean().optional(),
  Tags: z.array(z.object({ Key: z.string(), Value: z.string() })).optional(),
  OutputDataConfig: z.looseObject({ S3OutputPath: z.string() }),
});
export type CreateFields = z.infer<typeof CreateFields>;

/** One training job as the stand-in keeps it. */
export interface JobRecord {
  readonly name: string;
  readonly arn: string;
  /** The request as received (model-valid JSON), echoed by DescribeTrainingJob. */
  readonly request: Readonly<Record<string, unknown>>;
  readonly hyperParameters: Readonly<Record<string, string>>;
  /** Clock milliseconds. */
  readonly createdAt: number;
  readonly instanceCount: number;
  readonly spot: boolean;
  /** Share of training time not billed, for spot jobs. */
  readonly spotSavings: number;
  readonly outputPath: string;
  timeline: Timeline;
  /** Its learning curve (curves.ts): the epochs it trains, spread over the Training phase of its natural run. */
  readonly curve: LearningCurve;
  /** SageMaker seconds from creation to completion had nothing stopped it (the natural timeline's length). */
  readonly naturalSeconds: number;
  readonly tags: Map<string, string>;
  /** Transitions already turned into events. */
  emitted: number;
  /** Set on a job a tuning job launched (DescribeTrainingJob.TuningJobArn). */
  readonly tuningJobArn?: string;
}

/** The default MaxRuntimeInSeconds: one day (API model, StoppingCondition). */
const DEFAULT_MAX_RUNTIME = 86_400;

/** Creates the store of one stand-in. */
export function createJobStore(options: ResolvedOptions): JobStore {
  return new JobStore(options);
}

/** The account's training jobs, as the stand-in keeps them. */
export class JobStore {
  readonly jobs = new Map<string, JobRecord>();
  readonly createsByName: Record<string, number> = {};
  /** Jobs with transitions not yet turned into events. */
  readonly unsent = new Set<JobRecord>();
  /** Jobs not seen ended yet: the clock only moves on, so a job seen ended stays so. */
  readonly #live = new Set<JobRecord>();
  readonly #options: ResolvedOptions;
  readonly region: string;
  readonly accountId: string;

  constructor(options: ResolvedOptions) {
    this.#options = options;
    this.region = options.region;
    this.accountId = options.accountId;
  }

  /** A job's SageMaker seconds at clock time `now`. */
  secondsAt(job: JobRecord, now: number): number {
    return ((now - job.createdAt) * this.#options.timeScale) / 1000;
  }

  /** The clock time of a job's SageMaker second `seconds`. */
  msAt(job: JobRecord, seconds: number): number {
    return job.createdAt + (seconds * 1000) / this.#options.timeScale;
  }

  stateNow(job: JobRecord, now: number): Transition {
    return stateAt(job.timeline, this.secondsAt(job, now));
  }

  lookup(name: string): JobRecord {
    const job = this.jobs.get(name.toLowerCase());
    if (job === undefined) {
      const { notFoundError } = this.#options;
      throw new AwsError(
        notFoundError,
        notFoundError === "ValidationException" ? "Requested resource not found." : `Training job ${name} does not exist.`,
      );
    }
    return job;
  }

  #inProgressInstances(now: number, spot: boolean): number {
    let total = 0;
    for (const job of this.#live) {
      if (isEnded(this.stateNow(job, now).status)) this.#live.delete(job);
      else if (job.spot === spot && job.createdAt <= now) total += job.instanceCount;
    }
    return total;
  }

  /** CreateTrainingJob after model validation: uniqueness, practical requirements, quota, then the job. */
  create(raw: Record<string, unknown>, now: number, tuningJobArn?: string): JobRecord {
    const options = this.#options;
    const fields = CreateFields.parse(raw);
    const name = fields.TrainingJobName;
    const arn = `arn:aws:sagemaker:${options.region}:${options.accountId}:training-job/${name.toLowerCase()}`;
    // Names are unique per account and region; ARNs are lower case, so the check ignores case.
    if (this.jobs.has(name.toLowerCase())) {
      throw new AwsError(
        "ResourceInUse",
        `Training job names must be unique within an AWS account and region, and a training job with this name already exists (${arn})`,
      );
    }
    requirePractical(fields);
    const instanceCount =
      fields.ResourceConfig?.InstanceCount ?? fields.ResourceConfig?.InstanceGroups?.reduce((sum, g) => sum + g.InstanceCount, 0) ?? 1;
    const spot = fields.EnableManagedSpotTraining === true;
    // Without a quota there is nothing to count.
    if (Number.isFinite(options.instanceQuota)) checkQuota(options, this.#inProgressInstances(now, spot), instanceCount, spot);
    const job = newJob(options, { raw, fields, arn, now, instanceCount, spot, ...(tuningJobArn !== undefined ? { tuningJobArn } : {}) });
    this.jobs.set(name.toLowerCase(), job);
    this.#live.add(job);
    this.unsent.add(job);
    this.createsByName[name] = (this.createsByName[name] ?? 0) + 1;
    return job;
  }

  /** StopTrainingJob: InProgress -> Stopping -> Stopped; a no-op while Stopping; refused once ended. */
  stop(name: string, now: number): void {
    const job = this.lookup(name);
    const state = this.stateNow(job, now);
    if (isEnded(state.status)) {
      throw new AwsError("ValidationException", `The request was rejected because the training job is in status ${state.status}.`);
    }
    job.timeline = cutShort(job.timeline, this.secondsAt(job, now));
  }

  /** The job an ARN names (AddTags, ListTags). */
  byArn(arn: string): JobRecord {
    const name = /:training-job\/(.+)$/.exec(arn)?.[1];
    const job = name === undefined ? undefined : this.jobs.get(name);
    if (job === undefined) throw new AwsError(this.#options.notFoundError, `Resource ${arn} does not exist.`);
    return job;
  }
}

/** ResourceLimitExceeded when `instanceCount` more would pass the account's quota, as SageMaker words it. */
function checkQuota(options: ResolvedOptions, used: number, instanceCount: number, spot: boolean): void {
  if (used + instanceCount <= options.instanceQuota) return;
  const quota = spot ? "Number of instances across all spot training jobs" : "Number of instances across all training jobs";
  throw new AwsError(
    "ResourceLimitExceeded",
    `The account-level service limit '${quota}' is ${options.instanceQuota} Instances, with current utilization of ${used} Instances and a request delta of ${instanceCount} Instances. Please use AWS Service Quotas to request an increase for this quota. If AWS Service Quotas is not available, contact AWS support to request an increase for this quota.`,
  );
}

/** A job's fate: how long it runs and how it ends, seeded by its name unless the options script it. */
function fateOf(
  options: ResolvedOptions,
  name: string,
  fields: CreateFields,
  request: CreateTrainingJobRequest,
  curve: LearningCurve,
): { duration: number; outcome: Outcome } {
  const { medianSeconds, sigma } = options.durationLogNormal;
  const planned =
    options.duration?.(request) ??
    logNormal(medianSeconds, sigma, hashUnit(options.seed, name, "duration", 1), hashUnit(options.seed, name, "duration", 2));
  // The algorithm's own early stopping ends training after fewer epochs: the Training phase (88%) shrinks with them.
  const duration = planned * (0.12 + (0.88 * curve.epochs.length) / curve.plannedEpochs);
  if (options.outcome !== undefined) return { duration, outcome: options.outcome({ name, hyperParameters: fields.HyperParameters ?? {} }) };
  const draw = hashUnit(options.seed, name, "outcome");
  const { algorithm, capacity, internal } = options.failureRates;
  const outcome: Outcome =
    draw < algorithm
      ? { failure: "algorithm" }
      : draw < algorithm + capacity
        ? { failure: "capacity" }
        : draw < algorithm + capacity + internal
          ? { failure: "internal" }
          : "completed";
  return { duration, outcome };
}

/** The record of a job just created: its request, its fate as a timeline, its tags. */
function newJob(
  options: ResolvedOptions,
  created: {
    raw: Record<string, unknown>;
    fields: CreateFields;
    arn: string;
    now: number;
    instanceCount: number;
    spot: boolean;
    tuningJobArn?: string;
  },
): JobRecord {
  const { raw, fields, spot } = created;
  const name = fields.TrainingJobName;
  // The wire JSON of CreateTrainingJob is the SDK's input shape (it has no timestamps or blobs).
  const curve = learningCurve(fields.HyperParameters ?? {});
  const { duration, outcome } = fateOf(options, name, fields, raw as unknown as CreateTrainingJobRequest, curve);
  const timeline = planTimeline({
    durationSeconds: duration,
    outcome,
    maxRuntimeSeconds: fields.StoppingCondition?.MaxRuntimeInSeconds ?? DEFAULT_MAX_RUNTIME,
    failurePoint: hashUnit(options.seed, name, "failure-point"),
    messagePick: hashUnit(options.seed, name, "failure-message"),
  });
  return {
    name,
    arn: created.arn,
    request: raw,
    hyperParameters: fields.HyperParameters ?? {},
    createdAt: created.now,
    instanceCount: created.instanceCount,
    spot,
    spotSavings: spot ? 0.6 + 0.2 * hashUnit(options.seed, name, "spot") : 0,
    outputPath: fields.OutputDataConfig.S3OutputPath.replace(/\/+$/, ""),
    timeline,
    curve,
    naturalSeconds: Math.max(1, duration),
    tags: new Map((fields.Tags ?? []).map((tag) => [tag.Key, tag.Value])),
    emitted: 0,
    ...(created.tuningJobArn !== undefined ? { tuningJobArn: created.tuningJobArn } : {}),
  };
}

/**
 * What SageMaker requires beyond the model's `required` list (docs/sources.md#create-training-job): an
 * algorithm, resources, and for managed spot a MaxWaitTimeInSeconds not below MaxRuntimeInSeconds.
 * The wording is the stand-in's own.
 */
export function requirePractical(fields: CreateFields): void {
  const problems: string[] = [];
  const algorithm = fields.AlgorithmSpecification;
  if (algorithm === undefined || (algorithm.TrainingImage === undefined && algorithm.AlgorithmName === undefined)) {
    problems.push("AlgorithmSpecification must name a TrainingImage or an AlgorithmName");
  }
  const resources = fields.ResourceConfig;
  if (
    resources === undefined ||
    (resources.InstanceGroups === undefined && (resources.InstanceType === undefined || resources.InstanceCount === undefined))
  ) {
    problems.push("ResourceConfig must set InstanceType and InstanceCount (or InstanceGroups)");
  }
  if (fields.EnableManagedSpotTraining === true) {
    const wait = fields.StoppingCondition?.MaxWaitTimeInSeconds;
    const runtime = fields.StoppingCondition?.MaxRuntimeInSeconds ?? DEFAULT_MAX_RUNTIME;
    if (wait === undefined) problems.push("StoppingCondition.MaxWaitTimeInSeconds is required when EnableManagedSpotTraining is true");
    else if (wait < runtime)
      problems.push(`StoppingCondition.MaxWaitTimeInSeconds (${wait}) must be greater than or equal to MaxRuntimeInSeconds (${runtime})`);
  }
  if (problems.length > 0) throw new AwsError("ValidationException", problems.join("; "));
}
