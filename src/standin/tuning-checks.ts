import { z } from "zod";
import {
  AMT_MAX_PARALLEL,
  AMT_MAX_SEARCHED_VALUES,
  AMT_MAX_TRAINING_JOBS,
  HYPERBAND_MAX_RESOURCE,
  HYPERBAND_RESOURCE_KEYS,
} from "../catalog/tuning.js";
import { AwsError } from "./protocol.js";

/**
 * What the stand-in reads of a (model-valid) CreateHyperParameterTuningJob request, and the rules
 * AMT applies beyond the API model's shapes (docs/sources.md#amt): the 30 searched values, grid
 * only on categorical ranges and never more jobs than combinations, Hyperband with early stopping
 * Off and a static epochs of at most 20,000, the job limits. Wording is the stand-in's own except
 * where docs/standin.md says it is SageMaker's.
 */

const NumericRange = z.looseObject({ Name: z.string(), MinValue: z.string(), MaxValue: z.string(), ScalingType: z.string().optional() });
const CategoricalRange = z.looseObject({ Name: z.string(), Values: z.array(z.string()) });

/** The fields the stand-in reads; the rest of the request is kept and echoed. */
export const TuningCreateFields = z.looseObject({
  HyperParameterTuningJobName: z.string(),
  HyperParameterTuningJobConfig: z.looseObject({
    Strategy: z.enum(["Bayesian", "Random", "Hyperband", "Grid"]),
    HyperParameterTuningJobObjective: z.looseObject({ Type: z.enum(["Maximize", "Minimize"]), MetricName: z.string() }).optional(),
    ResourceLimits: z.looseObject({ MaxParallelTrainingJobs: z.number(), MaxNumberOfTrainingJobs: z.number().optional() }),
    ParameterRanges: z
      .looseObject({
        IntegerParameterRanges: z.array(NumericRange).optional(),
        ContinuousParameterRanges: z.array(NumericRange).optional(),
        CategoricalParameterRanges: z.array(CategoricalRange).optional(),
      })
      .optional(),
    TrainingJobEarlyStoppingType: z.enum(["Off", "Auto"]).optional(),
    StrategyConfig: z.looseObject({ HyperbandStrategyConfig: z.looseObject({ MaxResource: z.number().optional() }).optional() }).optional(),
    RandomSeed: z.number().optional(),
  }),
  TrainingJobDefinition: z
    .looseObject({
      StaticHyperParameters: z.record(z.string(), z.string()).optional(),
      StoppingCondition: z.looseObject({ MaxRuntimeInSeconds: z.number().optional() }),
    })
    .optional(),
  TrainingJobDefinitions: z.array(z.unknown()).optional(),
  WarmStartConfig: z
    .looseObject({ ParentHyperParameterTuningJobs: z.array(z.looseObject({ HyperParameterTuningJobName: z.string().optional() })) })
    .optional(),
  Tags: z.array(z.object({ Key: z.string(), Value: z.string() })).optional(),
});
export type TuningCreateFields = z.infer<typeof TuningCreateFields>;

/** A range as the stand-in draws from it. */
export type Range =
  | { readonly kind: "categorical"; readonly name: string; readonly values: readonly string[] }
  | { readonly kind: "integer" | "continuous"; readonly name: string; readonly min: number; readonly max: number; readonly log: boolean };

/** The request's ranges, numeric ends parsed. */
export function rangesOf(fields: TuningCreateFields): Range[] {
  const ranges = fields.HyperParameterTuningJobConfig.ParameterRanges ?? {};
  const numeric = (kind: "integer" | "continuous") => (r: z.infer<typeof NumericRange>) =>
    ({ kind, name: r.Name, min: Number(r.MinValue), max: Number(r.MaxValue), log: r.ScalingType === "Logarithmic" }) as const;
  return [
    ...(ranges.CategoricalParameterRanges ?? []).map((r) => ({ kind: "categorical" as const, name: r.Name, values: r.Values })),
    ...(ranges.IntegerParameterRanges ?? []).map(numeric("integer")),
    ...(ranges.ContinuousParameterRanges ?? []).map(numeric("continuous")),
  ];
}

/** Refuses, with a ValidationException, what AMT refuses beyond the model. */
export function checkTuningRequest(fields: TuningCreateFields): void {
  const problems = [...definitionProblems(fields), ...rangeProblems(fields), ...strategyProblems(fields)];
  if (problems.length > 0) throw new AwsError("ValidationException", problems.join("; "));
}

function definitionProblems(fields: TuningCreateFields): string[] {
  if (fields.TrainingJobDefinitions !== undefined) return ["the stand-in supports TrainingJobDefinition only, not TrainingJobDefinitions"];
  if (fields.TrainingJobDefinition === undefined) return ["TrainingJobDefinition is required"];
  return [];
}

function rangeProblems(fields: TuningCreateFields): string[] {
  const problems: string[] = [];
  const ranges = rangesOf(fields);
  const count = ranges.reduce((sum, r) => sum + (r.kind === "categorical" ? r.values.length : 1), 0);
  if (count > AMT_MAX_SEARCHED_VALUES)
    problems.push(`the ranges search ${count} hyperparameters (each categorical value counts); the limit is ${AMT_MAX_SEARCHED_VALUES}`);
  const statics = fields.TrainingJobDefinition?.StaticHyperParameters ?? {};
  const seen = new Set<string>();
  for (const r of ranges) {
    if (seen.has(r.name)) problems.push(`hyperparameter ${r.name} has more than one range`);
    if (Object.hasOwn(statics, r.name)) problems.push(`hyperparameter ${r.name} is both static and tuned`);
    seen.add(r.name);
    if (r.kind === "categorical") continue;
    if (!Number.isFinite(r.min) || !Number.isFinite(r.max) || r.min > r.max)
      problems.push(`the range of ${r.name} needs numeric MinValue ≤ MaxValue`);
    else if (r.kind === "integer" && (!Number.isInteger(r.min) || !Number.isInteger(r.max)))
      problems.push(`the integer range of ${r.name} has non-integer ends`);
    else if (r.log && r.min <= 0) problems.push(`Logarithmic scaling of ${r.name} needs values greater than 0`);
  }
  return problems;
}

function strategyProblems(fields: TuningCreateFields): string[] {
  const config = fields.HyperParameterTuningJobConfig;
  const problems: string[] = [];
  const ranges = rangesOf(fields);
  const max = config.ResourceLimits.MaxNumberOfTrainingJobs;
  if (config.ResourceLimits.MaxParallelTrainingJobs > AMT_MAX_PARALLEL)
    problems.push(`MaxParallelTrainingJobs is at most ${AMT_MAX_PARALLEL} per tuning job`);
  if (max !== undefined && max > AMT_MAX_TRAINING_JOBS[config.Strategy])
    problems.push(`MaxNumberOfTrainingJobs is at most ${AMT_MAX_TRAINING_JOBS[config.Strategy]} for ${config.Strategy}`);
  if (config.Strategy === "Grid") {
    if (ranges.some((r) => r.kind !== "categorical"))
      problems.push("Only categorical parameters are supported when using the grid search strategy");
    const combinations = ranges.reduce((product, r) => product * (r.kind === "categorical" ? r.values.length : 1), 1);
    if (max !== undefined && combinations < max)
      problems.push(`The number of combinations [${combinations}] must be equal or greater than MaxNumberOfJobs [${max}]`);
  } else if (max === undefined) {
    problems.push(`MaxNumberOfTrainingJobs is required for ${config.Strategy} (a stand-in rule)`);
  }
  if (config.StrategyConfig?.HyperbandStrategyConfig !== undefined && config.Strategy !== "Hyperband")
    problems.push("HyperbandStrategyConfig is only valid with the Hyperband strategy");
  if (config.Strategy === "Hyperband") problems.push(...hyperbandProblems(fields));
  return problems;
}

function hyperbandProblems(fields: TuningCreateFields): string[] {
  const config = fields.HyperParameterTuningJobConfig;
  const problems: string[] = [];
  if (config.TrainingJobEarlyStoppingType === "Auto") problems.push("TrainingJobEarlyStoppingType must be OFF to use Hyperband");
  const statics = fields.TrainingJobDefinition?.StaticHyperParameters ?? {};
  const key = HYPERBAND_RESOURCE_KEYS.find((k) => Object.hasOwn(statics, k));
  const resource = config.StrategyConfig?.HyperbandStrategyConfig?.MaxResource ?? (key !== undefined ? Number(statics[key]) : undefined);
  if (resource === undefined || !Number.isInteger(resource))
    problems.push(`Hyperband needs MaxResource, or a static hyperparameter to infer it from (${HYPERBAND_RESOURCE_KEYS.join(", ")})`);
  else if (resource > HYPERBAND_MAX_RESOURCE)
    problems.push(`Hyperband's MaxResource is at most ${HYPERBAND_MAX_RESOURCE} (got ${resource})`);
  return problems;
}
