import type { Algorithm } from "../../algorithms/types.js";
import type { AmtStrategy } from "../../catalog/tuning.js";
import type { SweepDefinition } from "../../sweep/definition.js";
import { resourceConfig, stoppingCondition } from "../job-definition.js";
import type { Branch } from "./branches.js";
import { tuningJobName } from "./name.js";
import type { NumericTuned } from "./space.js";
import type { NumericParameterRange, ParameterRanges, TuningRequestTemplate } from "./types.js";

/** The sweep's strategy as AMT names it. */
export const AMT_STRATEGY: Readonly<Record<SweepDefinition["strategy"], AmtStrategy>> = {
  grid: "Grid",
  random: "Random",
  bayesian: "Bayesian",
  hyperband: "Hyperband",
};

const WARM_START_TYPE = {
  identical_data_and_algorithm: "IdenticalDataAndAlgorithm",
  transfer_learning: "TransferLearning",
} as const;

function numericRange(t: NumericTuned): NumericParameterRange {
  return { Name: t.name, MinValue: t.min, MaxValue: t.max, ScalingType: t.scaling };
}

/** A branch's ranges in AMT's shape, in the branch's (sorted) order. */
export function parameterRanges(branch: Branch): ParameterRanges {
  return {
    IntegerParameterRanges: branch.tuned.flatMap((t) => (t.kind === "integer" ? [numericRange(t)] : [])),
    ContinuousParameterRanges: branch.tuned.flatMap((t) => (t.kind === "continuous" ? [numericRange(t)] : [])),
    CategoricalParameterRanges: branch.tuned.flatMap((t) => (t.kind === "categorical" ? [{ Name: t.name, Values: t.values }] : [])),
  };
}

/** What one branch's request is built from. */
export interface TemplateInput {
  readonly branch: Branch;
  readonly staticHyperParameters: Readonly<Record<string, string>>;
  readonly maxTrainingJobs: number;
  readonly maxParallelTrainingJobs: number;
  readonly parents: readonly string[];
}

/**
 * The stack-independent CreateHyperParameterTuningJob request of one branch, exactly as sent. Its
 * name hashes everything else in it plus the data as written (name.ts).
 */
export function buildTemplate(def: SweepDefinition, algorithm: Algorithm, input: TemplateInput): TuningRequestTemplate {
  const direction = algorithm.objectiveMetrics.find((metric) => metric.name === def.objective)?.direction ?? "Maximize";
  const warmStart = def.warm_start;
  const rest: Omit<TuningRequestTemplate, "HyperParameterTuningJobName"> = {
    HyperParameterTuningJobConfig: {
      Strategy: AMT_STRATEGY[def.strategy],
      HyperParameterTuningJobObjective: { Type: direction, MetricName: def.objective },
      ResourceLimits: { MaxNumberOfTrainingJobs: input.maxTrainingJobs, MaxParallelTrainingJobs: input.maxParallelTrainingJobs },
      ParameterRanges: parameterRanges(input.branch),
      TrainingJobEarlyStoppingType: "Off",
      ...(def.seed !== undefined ? { RandomSeed: def.seed } : {}),
    },
    TrainingJobDefinition: {
      StaticHyperParameters: { ...input.staticHyperParameters },
      ResourceConfig: resourceConfig(def.resources),
      StoppingCondition: stoppingCondition(def.resources),
      ...(def.resources.spot ? { EnableManagedSpotTraining: true as const } : {}),
    },
    ...(warmStart !== undefined && input.parents.length > 0
      ? {
          WarmStartConfig: {
            ParentHyperParameterTuningJobs: input.parents.map((name) => ({ HyperParameterTuningJobName: name })),
            WarmStartType: WARM_START_TYPE[warmStart.type],
          },
        }
      : {}),
  };
  return { HyperParameterTuningJobName: tuningJobName(def.name, { request: rest, data: def.data }), ...rest };
}
