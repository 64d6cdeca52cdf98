import type { Channel, CreateTrainingJobRequest, Tag } from "@aws-sdk/client-sagemaker";
import { TAG_CAMPAIGN, TAG_GIT_COMMIT, TAG_POINT, TAG_SWEEP_FILE, TAG_VALUE_FORBIDDEN, TAG_VALUE_MAX } from "../catalog/sagemaker-api.js";
import { resourceConfig, stoppingCondition } from "../plan/job-definition.js";
import { attemptName } from "../plan/job-name.js";
import type { LaunchPlan, PlannedJob } from "../plan/types.js";
import type { StackOutputs } from "../stack/outputs.js";
import { resolveDataLocation } from "../sweep/data-location.js";
import type { DataChannels } from "../sweep/definition.js";

/**
 * Builds the CreateTrainingJob request of one attempt of one planned job: pure, so `--dry-run`
 * prints exactly what `launch` sends. Limits cited are from the SageMaker API model
 * (docs/sources.md#algorithm, #create-training-job).
 */

/** What the request needs besides the plan and the stack. */
export interface RequestContext {
  /** Commit of the repository holding the sweep file (`<sha>` or `<sha>-dirty`), when in a git repo. */
  readonly gitCommit?: string;
  /** The sweep file as the `segsweep:sweep-file` tag names it (relative to the git root; campaign/git.ts), when not plan.sweepFile. */
  readonly sweepFile?: string;
}

/** Makes a string a valid tag value: forbidden characters become `_`; over-long values keep their end (a path's file name). */
export function tagValue(value: string): string {
  const clean = value.replace(TAG_VALUE_FORBIDDEN, "_");
  return clean.length <= TAG_VALUE_MAX ? clean : clean.slice(clean.length - TAG_VALUE_MAX);
}

/** `base` + `/` + `path`, with exactly one slash between them. */
export function joinS3(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}

/** A sweep file's data location: `s3://...` as is, anything else relative to the stack's datasets prefix (the one resolver). */
export { resolveDataLocation } from "../sweep/data-location.js";

function s3PrefixChannel(name: string, uri: string, contentType: string): Channel {
  return {
    ChannelName: name,
    ContentType: contentType,
    DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: uri, S3DataDistributionType: "FullyReplicated" } },
  };
}

/** The input channels and the input mode they need (docs/sources.md#algorithm). */
export function inputChannels(data: DataChannels, datasetsUri: string): { readonly mode: "File" | "Pipe"; readonly channels: Channel[] } {
  const at = (location: string): string => resolveDataLocation(location, datasetsUri);
  if ("augmented_manifest" in data) {
    const manifest = data.augmented_manifest;
    // Augmented manifests stream in Pipe mode as RecordIO; the attribute names pair image and annotation.
    const channel = (name: string, location: string): Channel => ({
      ChannelName: name,
      ContentType: "application/x-recordio",
      RecordWrapperType: "RecordIO",
      DataSource: {
        S3DataSource: {
          S3DataType: "AugmentedManifestFile",
          S3Uri: at(location),
          S3DataDistributionType: "FullyReplicated",
          AttributeNames: [...manifest.attribute_names],
        },
      },
    });
    return { mode: "Pipe", channels: [channel("train", manifest.train), channel("validation", manifest.validation)] };
  }
  const channels = [
    s3PrefixChannel("train", at(data.train), "image/jpeg"),
    s3PrefixChannel("validation", at(data.validation), "image/jpeg"),
    s3PrefixChannel("train_annotation", at(data.train_annotation), "image/png"),
    s3PrefixChannel("validation_annotation", at(data.validation_annotation), "image/png"),
  ];
  // No content type is documented for label_map; it holds JSON files (docs/sources.md#algorithm, unconfirmed).
  if (data.label_map !== undefined) channels.push(s3PrefixChannel("label_map", at(data.label_map), "application/json"));
  return { mode: "File", channels };
}

/** The campaign's tags on every job: who it belongs to and where it came from (at most 50 tags, API model TagList). */
export function jobTags(plan: LaunchPlan, job: PlannedJob, context: RequestContext): Tag[] {
  const [campaign, ...rest] = campaignTags(plan, context);
  return [...(campaign !== undefined ? [campaign] : []), { Key: TAG_POINT, Value: tagValue(job.pointId) }, ...rest];
}

/** The tags of anything a campaign creates: campaign, sweep file and, when known, the git commit. */
export function campaignTags(plan: { readonly campaign: string; readonly sweepFile: string }, context: RequestContext): Tag[] {
  const tags: Tag[] = [
    { Key: TAG_CAMPAIGN, Value: tagValue(plan.campaign) },
    { Key: TAG_SWEEP_FILE, Value: tagValue(context.sweepFile ?? plan.sweepFile) },
  ];
  if (context.gitCommit !== undefined) tags.push({ Key: TAG_GIT_COMMIT, Value: tagValue(context.gitCommit) });
  return tags;
}

/**
 * The stack's VPC, when it requires one (pulumi config set requireVpc true): the operator policy
 * then denies every CreateTrainingJob that does not name exactly these subnets and security groups
 * (src/infra/network.ts).
 */
export function vpcConfig(stack: StackOutputs): Pick<CreateTrainingJobRequest, "VpcConfig"> {
  if (stack.vpcSubnetIds === undefined || stack.vpcSecurityGroupIds === undefined) return {};
  return { VpcConfig: { Subnets: [...stack.vpcSubnetIds], SecurityGroupIds: [...stack.vpcSecurityGroupIds] } };
}

/** The CreateTrainingJob request of attempt `attempt` (0 = first) of `job`. */
export function buildCreateTrainingJobRequest(
  plan: LaunchPlan,
  job: PlannedJob,
  attempt: number,
  stack: StackOutputs,
  context: RequestContext = {},
): CreateTrainingJobRequest {
  const { resources } = plan;
  const { mode, channels } = inputChannels(plan.data, stack.datasetsUri);
  const spot = resources.spot;
  return {
    TrainingJobName: attemptName(job.name, attempt),
    RoleArn: stack.trainingRoleArn,
    AlgorithmSpecification: { TrainingImage: stack.trainingImage, TrainingInputMode: mode },
    HyperParameters: { ...job.hyperparameters },
    InputDataConfig: channels,
    OutputDataConfig: {
      S3OutputPath: joinS3(stack.outputsUri, `${plan.campaign}/`),
      ...(stack.kmsKeyArn !== undefined ? { KmsKeyId: stack.kmsKeyArn } : {}),
    },
    ResourceConfig: resourceConfig(resources) as CreateTrainingJobRequest["ResourceConfig"],
    StoppingCondition: stoppingCondition(resources),
    ...vpcConfig(stack),
    ...(spot
      ? {
          EnableManagedSpotTraining: true,
          // Per planned job, not per attempt: a retried attempt resumes from the checkpoints of the one before.
          CheckpointConfig: { S3Uri: joinS3(stack.checkpointsUri, `${plan.campaign}/${job.name}/`) },
        }
      : {}),
    Tags: jobTags(plan, job, context),
  };
}
