import type { DataChannels, Limits, Objective, Resources } from "../../sweep/definition.js";
import type { Diagnostic } from "../../sweep/diagnostic.js";
import type { Strategy, WarmStart } from "../../sweep/tuning-fields.js";
import type { CostBound } from "../cost-bound.js";

/**
 * The plan of a campaign on the tuning engine: one SageMaker Automatic Model Tuning job per
 * branch of the search space, each request exactly as sent but for what only the stack knows.
 * A pure function of the sweep file (src/plan/tuning/compile.ts), JSON-serialisable; designed as
 * the `engine: "tuning"` member of the plan union (docs/tuning.md).
 */

/** CreateHyperParameterTuningJob's range shapes (API model `ParameterRanges`): every value a string. */
export interface CategoricalParameterRange {
  readonly Name: string;
  readonly Values: readonly string[];
}

/** An integer or continuous range; segsweep sends Linear (`uniform`, `int_uniform`) or Logarithmic (`log_uniform`). */
export interface NumericParameterRange {
  readonly Name: string;
  readonly MinValue: string;
  readonly MaxValue: string;
  readonly ScalingType: "Linear" | "Logarithmic";
}

/** API model `ParameterRanges`, the three lists always present (possibly empty). */
export interface ParameterRanges {
  readonly IntegerParameterRanges: readonly NumericParameterRange[];
  readonly ContinuousParameterRanges: readonly NumericParameterRange[];
  readonly CategoricalParameterRanges: readonly CategoricalParameterRange[];
}

/** API model `HyperParameterTuningJobConfig`, as segsweep fills it. */
export interface TuningJobConfig {
  readonly Strategy: "Grid" | "Random" | "Bayesian" | "Hyperband";
  readonly HyperParameterTuningJobObjective: { readonly Type: "Maximize" | "Minimize"; readonly MetricName: string };
  readonly ResourceLimits: { readonly MaxNumberOfTrainingJobs: number; readonly MaxParallelTrainingJobs: number };
  readonly ParameterRanges: ParameterRanges;
  /** Always Off: segsweep never asks AMT to stop jobs early (and Hyperband requires Off). */
  readonly TrainingJobEarlyStoppingType: "Off";
  readonly RandomSeed?: number;
}

/**
 * The stack-independent part of CreateHyperParameterTuningJob, exactly as sent. At launch the stack
 * adds RoleArn, AlgorithmSpecification, InputDataConfig, OutputDataConfig, CheckpointConfig and Tags
 * (src/backend/tuning-request.ts).
 */
export interface TuningRequestTemplate {
  readonly HyperParameterTuningJobName: string;
  readonly HyperParameterTuningJobConfig: TuningJobConfig;
  readonly TrainingJobDefinition: {
    readonly StaticHyperParameters: Readonly<Record<string, string>>;
    readonly ResourceConfig: { readonly InstanceType: string; readonly InstanceCount: number; readonly VolumeSizeInGB: number };
    readonly StoppingCondition: { readonly MaxRuntimeInSeconds: number; readonly MaxWaitTimeInSeconds?: number };
    readonly EnableManagedSpotTraining?: true;
  };
  readonly WarmStartConfig?: {
    readonly ParentHyperParameterTuningJobs: readonly { readonly HyperParameterTuningJobName: string }[];
    readonly WarmStartType: "IdenticalDataAndAlgorithm" | "TransferLearning";
  };
}

/** One tuning job of the campaign: a part of the search space where the same parameters apply. */
export interface TuningBranch {
  /** 1-based, in plan order. */
  readonly index: number;
  /**
   * The values of the split parameters this branch covers, e.g. `{optimizer: ["sgd"]}`; empty when
   * the space is not split. A branch's other parameters are those that apply to these values.
   */
  readonly covers: Readonly<Record<string, readonly string[]>>;
  readonly request: TuningRequestTemplate;
  /** Every hyperparameter name sent to its training jobs (static plus tuned), sorted: what warm start compares. */
  readonly hyperparameterNames: readonly string[];
  /** Grid only: the number of distinct combinations of its categorical ranges. */
  readonly combinations?: number;
}

/** Why a search space was split: a tuned parameter that applies only for some values of a tuned categorical. */
export interface SplitReason {
  readonly parameter: string;
  readonly dependents: readonly { readonly name: string; readonly appliesWhen: string }[];
}

/** A tuning-engine campaign's plan. */
export interface TuningPlan {
  readonly engine: "tuning";
  readonly campaign: string;
  readonly description?: string;
  readonly sweepFile: string;
  readonly objective: Objective;
  readonly strategy: Strategy;
  readonly resources: Resources;
  readonly data: DataChannels;
  readonly limits: Limits;
  readonly warmStart?: WarmStart;
  readonly split: readonly SplitReason[];
  readonly branches: readonly TuningBranch[];
  /** Training jobs over all branches at most (the sum of MaxNumberOfTrainingJobs). */
  readonly maxTrainingJobs: number;
  /** The worst case: every training job runs to max_runtime at the on-demand price. */
  readonly cost: CostBound;
  readonly warnings: readonly Diagnostic[];
}

/** The result of planning a tuning-engine sweep: the plan, or every problem found. */
export type TuningPlanResult =
  | { readonly ok: true; readonly plan: TuningPlan }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/**
 * A campaign named in `warm_start.from` that is a sweep file beside this one: its tuning plan, or
 * why it cannot be a parent (it runs on the jobs engine, or it does not plan).
 */
export type ParentCampaign = { readonly file: string; readonly plan: TuningPlan } | { readonly file: string; readonly problem: string };

/** Whether a plan is the tuning engine's (the jobs engine's LaunchPlan has no `engine: "tuning"`). */
export function isTuningPlan(plan: object): plan is TuningPlan {
  return "engine" in plan && plan.engine === "tuning";
}
