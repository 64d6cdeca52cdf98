import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { SEMANTIC_SEGMENTATION_REGISTRIES, semanticSegmentationImage } from "../catalog/images.js";
import { TAG_CAMPAIGN } from "../catalog/sagemaker-api.js";
import { StackOutputs } from "../stack/outputs.js";
import { GpuCapacity } from "./capacity.js";
import type { InfraConfig } from "./config.js";
import { JobEvents } from "./events.js";
import { TrainingNetwork } from "./network.js";
import { OperatorAccess } from "./operator.js";
import { type AwsScope, BUCKET_PREFIXES, s3Uri } from "./policies/document.js";
import { type CampaignDefinitionInput, CampaignStateMachine, campaignStateMachineName } from "./state-machine.js";
import { BucketKey, TrainingBucket } from "./storage.js";
import { TrainingRole } from "./training-role.js";

/** The stack outputs as Pulumi values; optional ones are absent when their feature is off. */
export type StackOutputValues = { [K in keyof StackOutputs]?: pulumi.Output<NonNullable<StackOutputs[K]>> };

type StackOutputInputs = { [K in keyof StackOutputs]?: pulumi.Input<NonNullable<StackOutputs[K]>> };

/**
 * Checks the outputs against the schema the CLI reads them with (src/stack/outputs.ts), once their
 * values are known: a stack whose outputs segsweep would reject fails `pulumi up` instead of the
 * first launch. Each output then resolves from the checked values.
 */
export function validatedOutputs(outputs: StackOutputInputs): StackOutputValues {
  const checked = pulumi.output(outputs).apply((values) => {
    const present = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
    const parsed = StackOutputs.safeParse(present);
    if (!parsed.success) {
      throw new Error(`The stack outputs do not match src/stack/outputs.ts (what segsweep reads):\n${z.prettifyError(parsed.error)}`);
    }
    return parsed.data;
  });
  const result: Record<string, pulumi.Output<unknown>> = {};
  for (const key of Object.keys(outputs) as (keyof StackOutputs)[]) {
    result[key] = checked.apply((values) => values[key]);
  }
  return result as StackOutputValues;
}

/** What the program needs from outside src/infra (index.ts supplies it). */
export interface StackProgramOptions {
  /** Generates the campaign state machine's definition; needed when serverSideCampaigns is on. */
  readonly campaignStateMachineDefinition?: ((input: CampaignDefinitionInput) => string) | undefined;
}

/**
 * Everything a semantic-segmentation tuning campaign needs in one account and region: the bucket,
 * the execution role, the operator policy (and role), GPU quota requests and job-state events, and
 * optionally a private network for the jobs and a state machine that runs campaigns server-side.
 * Returns the stack outputs, named as src/stack/outputs.ts names them.
 */
export function createSegsweepStack(config: InfraConfig, options: StackProgramOptions = {}): StackOutputValues {
  const generate = options.campaignStateMachineDefinition;
  if (config.serverSideCampaigns && generate === undefined) {
    // A wiring mistake, not a user's: checked before any resource is declared.
    throw new pulumi.RunError("serverSideCampaigns is on, but the program was given no state machine definition (index.ts passes it)");
  }
  const base = foundation(config);
  const parts = access(config, base, config.serverSideCampaigns ? generate : undefined);
  new GpuCapacity("segsweep-capacity", { quotas: config.quotas, totalTrainingInstances: config.totalTrainingInstancesQuota });
  const { storage, kmsKeyArn } = base;
  const { network, events, training, stateMachine, operator } = parts;
  const uri = (prefix: string) => storage.bucketName.apply((bucket) => s3Uri(bucket, prefix));
  return validatedOutputs({
    region: config.region,
    bucketName: storage.bucketName,
    datasetsUri: uri(BUCKET_PREFIXES.datasets),
    outputsUri: uri(BUCKET_PREFIXES.outputs),
    checkpointsUri: uri(BUCKET_PREFIXES.checkpoints),
    campaignsUri: uri(BUCKET_PREFIXES.campaigns),
    trainingRoleArn: training.roleArn,
    operatorPolicyArn: operator.policyArn,
    ...(operator.roleArn !== undefined ? { operatorRoleArn: operator.roleArn } : {}),
    trainingImage: semanticSegmentationImage(config.region),
    instanceTypes: [...config.instanceTypes],
    maxRuntimeSeconds: config.maxRuntimeSeconds,
    maxKeepAliveSeconds: config.maxKeepAliveSeconds,
    ...(events !== undefined ? { eventsQueueUrl: events.queueUrl } : {}),
    ...(kmsKeyArn !== undefined ? { kmsKeyArn } : {}),
    ...(network !== undefined ? { vpcSubnetIds: network.subnetIds, vpcSecurityGroupIds: network.securityGroupIds } : {}),
    ...(stateMachine !== undefined ? { campaignStateMachineArn: stateMachine.arn } : {}),
  });
}

type Foundation = ReturnType<typeof foundation>;

/**
 * Who may do what: the network jobs run in (optional), the events queue (optional), the execution
 * role, the campaign state machine (when `generate` is given) and the operators, all under the
 * same guardrails.
 */
function access(config: InfraConfig, base: Foundation, generate: StackProgramOptions["campaignStateMachineDefinition"]) {
  const { tags, scope, kmsKeyArn, storage } = base;
  const bucketName = storage.bucketName;
  const network = config.requireVpc ? new TrainingNetwork("segsweep-network", { bucketName, partition: scope.partition, tags }) : undefined;
  const events = config.events ? new JobEvents("segsweep-events", { tags }) : undefined;
  const imageRegistryAccount = SEMANTIC_SEGMENTATION_REGISTRIES[config.region] as string;
  const training = new TrainingRole("segsweep-training", {
    scope,
    bucketName,
    imageRegistryAccount,
    kmsKeyArn,
    network: network?.ids,
    tags,
  });
  const guardrails = {
    instanceTypes: config.instanceTypes,
    maxRuntimeSeconds: config.maxRuntimeSeconds,
    maxKeepAliveSeconds: config.maxKeepAliveSeconds,
    campaignTagKey: TAG_CAMPAIGN,
    network: network?.jobNetwork,
  };
  const stateMachineName = campaignStateMachineName(pulumi.getProject(), pulumi.getStack());
  const stateMachine =
    generate === undefined
      ? undefined
      : new CampaignStateMachine("segsweep-campaigns", {
          ...guardrails,
          scope,
          stateMachineName,
          definition: bucketName.apply((bucket) => generate({ campaignsUri: s3Uri(bucket, BUCKET_PREFIXES.campaigns) })),
          bucketName,
          trainingRoleArn: training.roleArn,
          kmsKeyArn,
          tags,
        });
  const operator = new OperatorAccess("segsweep-operator", {
    ...guardrails,
    scope,
    bucketName,
    trainingRoleArn: training.roleArn,
    eventsQueueArn: events?.queueArn,
    kmsKeyArn,
    campaignStateMachineName: stateMachine !== undefined ? stateMachineName : undefined,
    principals: config.operatorPrincipals,
    tags,
  });
  return { network, events, training, stateMachine, operator };
}

/** The bucket, its key and where the stack lives. */
function foundation(config: InfraConfig) {
  const tags = { "segsweep:stack": `${pulumi.getProject()}/${pulumi.getStack()}`, ...config.tags };
  const partition = aws.getPartitionOutput().partition;
  const scope: pulumi.Output<AwsScope> = pulumi
    .all([partition, aws.getCallerIdentityOutput().accountId])
    .apply(([p, accountId]) => ({ partition: p, region: config.region, accountId }));
  const kmsKeyArn: pulumi.Input<string> | undefined = config.createKmsKey
    ? new BucketKey("segsweep-data", { tags }).keyArn
    : config.kmsKeyArn;
  const storage = new TrainingBucket("segsweep-data", {
    bucketName: config.bucketName,
    forceDestroy: config.forceDestroy,
    kmsKeyArn,
    checkpointExpirationDays: config.checkpointExpirationDays,
    noncurrentVersionExpirationDays: config.noncurrentVersionExpirationDays,
    abortIncompleteUploadDays: config.abortIncompleteUploadDays,
    partition,
    tags,
  });
  return { tags, scope, kmsKeyArn, storage };
}
