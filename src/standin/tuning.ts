import { hashHex, hashUnit } from "../util/random.js";
import { CreateFields, type JobRecord, type JobStore, requirePractical } from "./jobs.js";
import { isEnded } from "./lifecycle.js";
import type { ResolvedOptions } from "./options.js";
import { AwsError } from "./protocol.js";
import { checkTuningRequest, type Range, rangesOf, TuningCreateFields } from "./tuning-checks.js";

/**
 * Hyperparameter tuning jobs (SageMaker Automatic Model Tuning), simulated: a tuning job launches
 * its training jobs through the stand-in's own job store, at most MaxParallelTrainingJobs at a
 * time, each with values drawn from its ranges (uniformly at random for every strategy: the
 * stand-in does not model Bayesian or Hyperband search) and the tuning job's tags, and ends when
 * MaxNumberOfTrainingJobs have ended. Launch times follow from the jobs' own timelines, so, like
 * every job's state, a tuning job's state is a function of the clock (docs/standin.md).
 */

/** One tuning job as the stand-in keeps it. */
export interface TuningRecord {
  readonly name: string;
  readonly arn: string;
  /** The request as received, echoed by DescribeHyperParameterTuningJob. */
  readonly request: Readonly<Record<string, unknown>>;
  readonly fields: TuningCreateFields;
  readonly ranges: readonly Range[];
  readonly createdAt: number;
  readonly maxJobs: number;
  readonly maxParallel: number;
  /** The training jobs launched so far, in launch order. */
  readonly jobs: JobRecord[];
  /** When StopHyperParameterTuningJob was accepted. */
  stoppedAt?: number;
}

/** The members of a training job definition that a launched training job gets as they are (CreateTrainingJob's names). */
const TRAINING_MEMBERS = [
  "AlgorithmSpecification",
  "RoleArn",
  "InputDataConfig",
  "OutputDataConfig",
  "ResourceConfig",
  "StoppingCondition",
  "VpcConfig",
  "EnableNetworkIsolation",
  "EnableInterContainerTrafficEncryption",
  "EnableManagedSpotTraining",
  "CheckpointConfig",
  "RetryStrategy",
  "Environment",
] as const;

/** Significant digits of a drawn continuous value (as the client-side random strategy keeps). */
const DRAW_DIGITS = 6;

/** The value of `range` for launch `index` of tuning job `name`: a pure function of the seed and those. */
export function drawValue(seed: number, name: string, index: number, range: Range): string {
  const u = hashUnit(seed, name, index, range.name);
  if (range.kind === "categorical") return range.values[Math.min(range.values.length - 1, Math.floor(u * range.values.length))] ?? "";
  const { min, max } = range;
  const x = range.log ? Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min))) : min + u * (max - min);
  if (range.kind === "integer") return String(Math.min(max, Math.max(min, Math.floor(range.log ? x : min + u * (max - min + 1)))));
  return String(Math.min(max, Math.max(min, Number(x.toPrecision(DRAW_DIGITS)))));
}

/** Creates the tuning-job store of one stand-in, over its training-job store. */
export function createTuningStore(options: ResolvedOptions, store: JobStore) {
  const tunings = new Map<string, TuningRecord>();
  const endMs = (job: JobRecord): number => store.msAt(job, job.timeline.endAt);

  function lookup(name: string): TuningRecord {
    const tuning = tunings.get(name.toLowerCase());
    if (tuning === undefined) throw new AwsError("ResourceNotFound", `Amazon SageMaker can't find a tuning job with name ${name}`);
    return tuning;
  }

  /** When launch `index` happens: at creation for the first MaxParallel, else when the (index-P+1)-th launched job ends. */
  function launchTime(tuning: TuningRecord, index: number): number | undefined {
    if (index < tuning.maxParallel) return tuning.createdAt;
    const ends = tuning.jobs.map(endMs).sort((a, b) => a - b);
    return ends[index - tuning.maxParallel];
  }

  function launch(tuning: TuningRecord, index: number, at: number): void {
    tuning.jobs.push(store.create(trainingRequest(options.seed, tuning, index), at, tuning.arn));
  }

  /** Launches every training job due by `now` (a launch refused for quota is tried again at the next request). */
  function advance(now: number): void {
    for (const tuning of tunings.values()) {
      while (tuning.stoppedAt === undefined && tuning.jobs.length < tuning.maxJobs) {
        const at = launchTime(tuning, tuning.jobs.length);
        if (at === undefined || at > now) break;
        try {
          launch(tuning, tuning.jobs.length, at);
        } catch (error) {
          // The quota was full, or a name was taken: try again at the next request.
          if (error instanceof AwsError) break;
          throw error;
        }
      }
    }
  }

  return {
    tunings,
    lookup,
    advance,
    endMs,

    /** CreateHyperParameterTuningJob after model validation. */
    create(raw: Record<string, unknown>, now: number): TuningRecord {
      const fields = TuningCreateFields.parse(raw);
      const key = fields.HyperParameterTuningJobName.toLowerCase();
      const arn = `arn:aws:sagemaker:${options.region}:${options.accountId}:hyper-parameter-tuning-job/${key}`;
      // Names are unique per account and region, and not case sensitive (API reference).
      if (tunings.has(key)) throw new AwsError("ResourceInUse", `Hyperparameter tuning job ${arn} already exists`);
      checkParents(fields, (parent) => tunings.get(parent.toLowerCase()));
      const tuning = newTuning(options.seed, fields, raw, arn, now);
      tunings.set(key, tuning);
      advance(now);
      return tuning;
    },

    /** StopHyperParameterTuningJob: no more launches; its running training jobs stop. */
    stop(name: string, now: number): void {
      const tuning = lookup(name);
      if (tuning.stoppedAt !== undefined || statusOf(tuning, now, store, endMs).status !== "InProgress") {
        throw new AwsError(
          "ValidationException",
          `The request was rejected because the tuning job is in status ${statusOf(tuning, now, store, endMs).status}.`,
        );
      }
      tuning.stoppedAt = now;
      for (const job of tuning.jobs) if (!isEnded(store.stateNow(job, now).status)) store.stop(job.name, now);
    },
  };
}

/** The store's interface. */
export type TuningStore = ReturnType<typeof createTuningStore>;

/** The CreateTrainingJob request of launch `index`: the definition, static plus drawn values, the tuning job's tags. */
function trainingRequest(seed: number, tuning: Pick<TuningRecord, "name" | "fields" | "ranges">, index: number): Record<string, unknown> {
  const definition: Record<string, unknown> = tuning.fields.TrainingJobDefinition ?? {};
  const tuned = Object.fromEntries(tuning.ranges.map((r) => [r.name, drawValue(seed, tuning.name, index, r)]));
  const copied = Object.fromEntries(TRAINING_MEMBERS.filter((m) => definition[m] !== undefined).map((m) => [m, definition[m]]));
  return {
    ...copied,
    TrainingJobName: `${tuning.name}-${String(index + 1).padStart(3, "0")}-${hashHex(8, seed, tuning.name, index)}`,
    HyperParameters: { ...(tuning.fields.TrainingJobDefinition?.StaticHyperParameters ?? {}), ...tuned },
    // Tags of a tuning job are added to all training jobs it launches (docs/sources.md#amt).
    ...(tuning.fields.Tags !== undefined ? { Tags: tuning.fields.Tags } : {}),
  };
}

/** A checked request as a new tuning job: AMT's own rules, and what CreateTrainingJob would refuse in every job it launches. */
function newTuning(seed: number, fields: TuningCreateFields, raw: Record<string, unknown>, arn: string, now: number): TuningRecord {
  checkTuningRequest(fields);
  const name = fields.HyperParameterTuningJobName;
  const ranges = rangesOf(fields);
  // ResourceConfig, spot's MaxWaitTime...: refused now rather than on each launch.
  requirePractical(CreateFields.parse(trainingRequest(seed, { name, fields, ranges }, 0)));
  const limits = fields.HyperParameterTuningJobConfig.ResourceLimits;
  // Grid without MaxNumberOfTrainingJobs runs every combination (docs/sources.md#amt).
  const combinations = ranges.reduce((product, r) => product * (r.kind === "categorical" ? r.values.length : 1), 1);
  return {
    name,
    arn,
    request: raw,
    fields,
    ranges,
    createdAt: now,
    maxJobs: limits.MaxNumberOfTrainingJobs ?? combinations,
    maxParallel: limits.MaxParallelTrainingJobs,
    jobs: [],
  };
}

/** Warm start: parents must exist and send the same static plus tuned hyperparameter names (docs/sources.md#amt). */
function checkParents(fields: TuningCreateFields, find: (name: string) => TuningRecord | undefined): void {
  const namesOf = (f: TuningCreateFields) =>
    [...Object.keys(f.TrainingJobDefinition?.StaticHyperParameters ?? {}), ...rangesOf(f).map((r) => r.name)].sort().join(",");
  for (const parent of fields.WarmStartConfig?.ParentHyperParameterTuningJobs ?? []) {
    const name = parent.HyperParameterTuningJobName ?? "";
    const found = find(name);
    if (found === undefined) throw new AwsError("ResourceNotFound", `Amazon SageMaker can't find a tuning job with name ${name}`);
    if (namesOf(found.fields) !== namesOf(fields)) {
      // SageMaker's own words (docs/sources.md#amt).
      throw new AwsError(
        "ValidationException",
        "The set of tunable plus static HyperParameter names is not the same across current and parent tuning jobs. Please ensure this set is constant when warm starting.",
      );
    }
  }
}

/** A tuning job's status at `now`, and when it ended. */
export function statusOf(
  tuning: TuningRecord,
  now: number,
  store: JobStore,
  endMs: (job: JobRecord) => number,
): {
  readonly status: "InProgress" | "Completed" | "Failed" | "Stopping" | "Stopped";
  readonly endedAt?: number;
  readonly failureReason?: string;
} {
  const ended = tuning.jobs.every((job) => isEnded(store.stateNow(job, now).status));
  const lastEnd = Math.max(tuning.createdAt, ...tuning.jobs.map(endMs));
  if (tuning.stoppedAt !== undefined)
    return ended ? { status: "Stopped", endedAt: Math.max(lastEnd, tuning.stoppedAt) } : { status: "Stopping" };
  if (!ended || tuning.jobs.length < tuning.maxJobs) return { status: "InProgress" };
  if (tuning.jobs.every((job) => store.stateNow(job, now).status === "Failed")) {
    // The stand-in's rule and words: a tuning job none of whose training jobs succeeded fails.
    return { status: "Failed", endedAt: lastEnd, failureReason: "All training jobs failed." };
  }
  return { status: "Completed", endedAt: lastEnd };
}
