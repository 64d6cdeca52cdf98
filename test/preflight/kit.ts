import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { SageMakerClient } from "@aws-sdk/client-sagemaker";
import { ServiceQuotasClient } from "@aws-sdk/client-service-quotas";
import { createQuotaReader } from "../../src/backend/quotas.js";
import { createS3Reader } from "../../src/backend/s3.js";
import { createTrainingUsageReader } from "../../src/backend/training-usage.js";
import { planJobsSweepFile } from "../../src/plan/plan-file.js";
import type { JobsPlan } from "../../src/plan/types.js";
import type { CallerIdentity, PreflightClients } from "../../src/preflight/index.js";
import type { StackOutputs } from "../../src/stack/outputs.js";
import { writeSweep } from "../kit/cli.js";

/** What the preflight tests share: a stack on a given bucket, sweep files, datasets put into S3. */

export const ACCOUNT = "123456789012"; // moto's default account
export const REGION = "us-east-1";
export const IDENTITY: CallerIdentity = { account: ACCOUNT, arn: `arn:aws:sts::${ACCOUNT}:user/moto`, region: REGION };

/** A stack whose bucket is `bucket`, allowing two instance types and 12 hours. */
export function stackOn(bucket: string, overrides: Partial<StackOutputs> = {}): StackOutputs {
  return {
    region: REGION,
    bucketName: bucket,
    datasetsUri: `s3://${bucket}/datasets/`,
    outputsUri: `s3://${bucket}/outputs/`,
    checkpointsUri: `s3://${bucket}/checkpoints/`,
    campaignsUri: `s3://${bucket}/campaigns/`,
    trainingRoleArn: `arn:aws:iam::${ACCOUNT}:role/segsweep-training`,
    operatorPolicyArn: `arn:aws:iam::${ACCOUNT}:policy/segsweep-operator`,
    trainingImage: "811284229777.dkr.ecr.us-east-1.amazonaws.com/semantic-segmentation:1",
    instanceTypes: ["ml.p3.2xlarge", "ml.g5.xlarge"],
    maxRuntimeSeconds: 43_200,
    ...overrides,
  };
}

export interface SweepOptions {
  readonly name?: string;
  readonly samples?: string;
  readonly numClasses?: number;
  readonly resources?: string;
  readonly data?: string;
  readonly limits?: string;
}

/** The data block of a dataset laid out under datasets/<root>/. */
export function prefixData(root: string, labelMap = false): string {
  return `  train: ${root}/train/
  validation: ${root}/validation/
  train_annotation: ${root}/train_annotation/
  validation_annotation: ${root}/validation_annotation/
${labelMap ? `  label_map: ${root}/label_map/\n` : ""}`;
}

/** A sweep file's text: two learning rates, the given data, resources and limits. */
export function sweepYaml(options: SweepOptions = {}): string {
  return `name: ${options.name ?? "pf-test"}
hyperparameters:
  num_classes: ${options.numClasses ?? 3}
  num_training_samples: ${options.samples ?? "3"}
  learning_rate: [0.001, 0.01]
resources:
${options.resources ?? "  instance_type: ml.p3.2xlarge\n  max_runtime: 3h"}
data:
${options.data ?? prefixData("voc")}
limits:
${options.limits ?? "  max_concurrency: 2"}
`;
}

/** Plans a sweep file written from `text`, as `segsweep preflight` does. */
export async function planOf(text: string): Promise<JobsPlan> {
  const result = await planJobsSweepFile(writeSweep(text));
  if (!result.ok) throw new Error(`test sweep does not plan: ${JSON.stringify(result.diagnostics)}`);
  return result.plan;
}

/** An S3 client on a local endpoint (path-style, one attempt: tests want the first answer). */
export function s3On(endpoint: string): S3Client {
  return new S3Client({ region: REGION, endpoint, forcePathStyle: true, maxAttempts: 1 });
}

/** Creates `bucket` and puts the objects (key -> body) into it. */
export async function putObjects(s3: S3Client, bucket: string, objects: Readonly<Record<string, string>>): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: bucket })).catch((error: Error) => {
    if (error.name !== "BucketAlreadyOwnedByYou") throw error;
  });
  await Promise.all(Object.entries(objects).map(([Key, Body]) => s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body }))));
}

/** A clean dataset under datasets/<root>/: three training pairs, one validation pair. */
export function cleanDataset(root = "voc"): Record<string, string> {
  const at = (path: string) => `datasets/${root}/${path}`;
  return {
    [at("train/2007_000032.jpg")]: "jpeg",
    [at("train/2007_000039.JPG")]: "jpeg",
    [at("train/2007_000063.jpeg")]: "jpeg",
    [at("train_annotation/2007_000032.png")]: "png",
    [at("train_annotation/2007_000039.png")]: "png",
    [at("train_annotation/2007_000063.png")]: "png",
    [at("validation/2007_000033.jpg")]: "jpeg",
    [at("validation_annotation/2007_000033.png")]: "png",
  };
}

/** Preflight's clients on local endpoints: S3 and SageMaker on `endpoint` (moto), quotas on `quotasEndpoint` (default the same). */
export function clientsOn(endpoint: string, options: { quotasEndpoint?: string; sagemakerEndpoint?: string } = {}): PreflightClients {
  return {
    s3: createS3Reader(s3On(endpoint)),
    quotas: createQuotaReader(new ServiceQuotasClient({ region: REGION, endpoint: options.quotasEndpoint ?? endpoint, maxAttempts: 1 })),
    usage: createTrainingUsageReader(
      new SageMakerClient({ region: REGION, endpoint: options.sagemakerEndpoint ?? endpoint, maxAttempts: 1 }),
    ),
  };
}
