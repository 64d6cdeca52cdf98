import type { CreateHyperParameterTuningJobRequest } from "@aws-sdk/client-sagemaker";
import type { TuningBranch, TuningPlan } from "../plan/tuning/types.js";
import type { StackOutputs } from "../stack/outputs.js";
import { campaignTags, inputChannels, joinS3, type RequestContext, vpcConfig } from "./request.js";

/**
 * The CreateHyperParameterTuningJob request of one branch of a tuning plan: the plan's template
 * (everything that comes from the sweep file, exactly as planned) plus what the stack knows, built
 * with the same pieces as a plain training job's request (request.ts): the channels and input
 * mode, the output path, checkpoints for spot, the campaign's tags. Pure, so what `launch`
 * sends is what a dry run prints. Tags given here are added to every training job the tuning job
 * launches (docs/sources.md#amt).
 */
export function buildCreateTuningJobRequest(
  plan: TuningPlan,
  branch: TuningBranch,
  stack: StackOutputs,
  context: RequestContext = {},
): CreateHyperParameterTuningJobRequest {
  const template = branch.request;
  const definition = template.TrainingJobDefinition;
  const { mode, channels } = inputChannels(plan.data, stack.datasetsUri);
  const config = template.HyperParameterTuningJobConfig;
  const ranges = config.ParameterRanges;
  return {
    HyperParameterTuningJobName: template.HyperParameterTuningJobName,
    HyperParameterTuningJobConfig: {
      ...config,
      ParameterRanges: {
        IntegerParameterRanges: ranges.IntegerParameterRanges.map((r) => ({ ...r })),
        ContinuousParameterRanges: ranges.ContinuousParameterRanges.map((r) => ({ ...r })),
        CategoricalParameterRanges: ranges.CategoricalParameterRanges.map((r) => ({ Name: r.Name, Values: [...r.Values] })),
      },
    },
    TrainingJobDefinition: {
      // No MetricDefinitions: SageMaker reads a built-in algorithm's metrics itself (docs/sources.md#amt).
      AlgorithmSpecification: { TrainingImage: stack.trainingImage, TrainingInputMode: mode },
      RoleArn: stack.trainingRoleArn,
      StaticHyperParameters: { ...definition.StaticHyperParameters },
      InputDataConfig: channels,
      OutputDataConfig: {
        S3OutputPath: joinS3(stack.outputsUri, `${plan.campaign}/`),
        ...(stack.kmsKeyArn !== undefined ? { KmsKeyId: stack.kmsKeyArn } : {}),
      },
      ResourceConfig: { ...definition.ResourceConfig } as NonNullable<
        CreateHyperParameterTuningJobRequest["TrainingJobDefinition"]
      >["ResourceConfig"],
      StoppingCondition: { ...definition.StoppingCondition },
      ...vpcConfig(stack),
      ...(definition.EnableManagedSpotTraining
        ? {
            EnableManagedSpotTraining: true,
            // One prefix per tuning job: the API has one CheckpointConfig for all its training jobs.
            CheckpointConfig: { S3Uri: joinS3(stack.checkpointsUri, `${plan.campaign}/${template.HyperParameterTuningJobName}/`) },
          }
        : {}),
    },
    ...(template.WarmStartConfig !== undefined
      ? {
          WarmStartConfig: {
            ParentHyperParameterTuningJobs: template.WarmStartConfig.ParentHyperParameterTuningJobs.map((p) => ({ ...p })),
            WarmStartType: template.WarmStartConfig.WarmStartType,
          },
        }
      : {}),
    Tags: campaignTags(plan, context),
  };
}
