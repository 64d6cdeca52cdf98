import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { SEMANTIC_SEGMENTATION_REGISTRIES, semanticSegmentationImage } from "../catalog/images.js";
import { TAG_CAMPAIGN } from "../catalog/sagemaker-api.js";
import { StackOutputs } from "../stack/outputs.js";
import { GpuCapacity } from "./capacity.js";
import type { InfraConfig } from "./config.js";
import { JobEvents } from "./events.js";
import { OperatorAccess } from "./operator.js";
import { type AwsScope, BUCKET_PREFIXES, s3Uri } from "./policies/document.js";
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

/**
 * Everything a semantic-segmentation tuning campaign needs in one account and region: the bucket,
 * the execution role, the operator policy (and role), GPU quota requests and job-state events.
 * Returns the stack outputs, named as src/stack/outputs.ts names them.
 */
export function createSegsweepStack(config: InfraConfig): StackOutputValues {
  const region = config.region;
  // Both throw for a region without the algorithm; config validation refused those already.
  const trainingImage = semanticSegmentationImage(region);
  const registry = SEMANTIC_SEGMENTATION_REGISTRIES[region] as string;
  const tags = { "segsweep:stack": `${pulumi.getProject()}/${pulumi.getStack()}`, ...config.tags };

  const partition = aws.getPartitionOutput().partition;
  const scope: pulumi.Output<AwsScope> = pulumi
    .all([partition, aws.getCallerIdentityOutput().accountId])
    .apply(([p, accountId]) => ({ partition: p, region, accountId }));

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
  const events = config.events ? new JobEvents("segsweep-events", { tags }) : undefined;
  const training = new TrainingRole("segsweep-training", {
    scope,
    bucketName: storage.bucketName,
    imageRegistryAccount: registry,
    kmsKeyArn,
    tags,
  });
  const operator = new OperatorAccess("segsweep-operator", {
    scope,
    bucketName: storage.bucketName,
    trainingRoleArn: training.roleArn,
    instanceTypes: config.instanceTypes,
    maxRuntimeSeconds: config.maxRuntimeSeconds,
    maxKeepAliveSeconds: config.maxKeepAliveSeconds,
    campaignTagKey: TAG_CAMPAIGN,
    eventsQueueArn: events?.queueArn,
    kmsKeyArn,
    principals: config.operatorPrincipals,
    tags,
  });
  new GpuCapacity("segsweep-capacity", { quotas: config.quotas, totalTrainingInstances: config.totalTrainingInstancesQuota });

  const uri = (prefix: string) => storage.bucketName.apply((bucket) => s3Uri(bucket, prefix));
  return validatedOutputs({
    region,
    bucketName: storage.bucketName,
    datasetsUri: uri(BUCKET_PREFIXES.datasets),
    outputsUri: uri(BUCKET_PREFIXES.outputs),
    checkpointsUri: uri(BUCKET_PREFIXES.checkpoints),
    campaignsUri: uri(BUCKET_PREFIXES.campaigns),
    trainingRoleArn: training.roleArn,
    operatorPolicyArn: operator.policyArn,
    ...(operator.roleArn !== undefined ? { operatorRoleArn: operator.roleArn } : {}),
    trainingImage,
    instanceTypes: [...config.instanceTypes],
    ...(events !== undefined ? { eventsQueueUrl: events.queueUrl } : {}),
    ...(kmsKeyArn !== undefined ? { kmsKeyArn } : {}),
  });
}
