import {
  type AwsScope,
  BUCKET_PREFIXES,
  bucketArn,
  type PolicyDocument,
  type PolicyStatement,
  policyDocument,
  prefixObjectsArn,
} from "./document.js";
import { trainingJobsArn, tuningJobsArn } from "./guardrails.js";
import { type NetworkIds, trainingRoleNetworkStatements } from "./network.js";

/** The service that assumes the execution role. */
export const SAGEMAKER_SERVICE = "sagemaker.amazonaws.com";

/** The log group SageMaker training jobs write to. */
export const TRAINING_LOG_GROUP = "/aws/sagemaker/TrainingJobs";

/**
 * CloudWatch namespace of training job metrics (aws/sagemaker-python-sdk, analytics.py,
 * TrainingJobAnalytics.CLOUDWATCH_NAMESPACE).
 */
export const TRAINING_METRICS_NAMESPACE = "/aws/sagemaker/TrainingJobs";

/**
 * Trust policy: only SageMaker may assume the role, and only on behalf of this account's training
 * jobs (confused-deputy prevention, docs.aws.amazon.com/sagemaker/latest/dg/security-confused-deputy-prevention.html)
 * or tuning jobs: which source ARN SageMaker presents for the training jobs a tuning job launches
 * is not documented, so both are admitted (docs/sources.md#infra-tuning).
 */
export function trainingRoleTrustPolicy(scope: AwsScope): PolicyDocument {
  return policyDocument([
    {
      Sid: "SageMakerTrainingJobsOfThisAccount",
      Effect: "Allow",
      Principal: { Service: SAGEMAKER_SERVICE },
      Action: "sts:AssumeRole",
      Condition: {
        StringEquals: { "aws:SourceAccount": scope.accountId },
        ArnLike: { "aws:SourceArn": [trainingJobsArn(scope), tuningJobsArn(scope)] },
      },
    },
  ]);
}

/** What the execution role's permissions depend on. */
export interface TrainingRolePolicyArgs {
  readonly scope: AwsScope;
  readonly bucketName: string;
  /** ECR repository of the algorithm image, `arn:...:ecr:<region>:<registry>:repository/semantic-segmentation`. */
  readonly imageRepositoryArn: string;
  /** The bucket's KMS key, when SSE-KMS is used. */
  readonly kmsKeyArn?: string | undefined;
  /** The stack's VPC, when jobs must run in it. */
  readonly network?: NetworkIds | undefined;
}

/** The ECR repository ARN of the algorithm's image in `region`, published by `registryAccount`. */
export function algorithmRepositoryArn(partition: string, region: string, registryAccount: string): string {
  return `arn:${partition}:ecr:${region}:${registryAccount}:repository/semantic-segmentation`;
}

/** The bucket: datasets read, outputs written, checkpoints read and written, each prefix listed where SageMaker lists it. */
function bucketStatements(partition: string, bucketName: string): PolicyStatement[] {
  return [
    {
      // SageMaker lists the S3Prefix of each input channel and the checkpoint prefix.
      Sid: "ListTrainingPrefixes",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: bucketArn(partition, bucketName),
      Condition: { StringLike: { "s3:prefix": [`${BUCKET_PREFIXES.datasets}*`, `${BUCKET_PREFIXES.checkpoints}*`] } },
    },
    {
      Sid: "ReadDatasets",
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: prefixObjectsArn(partition, bucketName, BUCKET_PREFIXES.datasets),
    },
    {
      Sid: "WriteOutputs",
      Effect: "Allow",
      // Model artifacts can be large: multipart uploads, which may be aborted.
      Action: ["s3:PutObject", "s3:AbortMultipartUpload"],
      Resource: prefixObjectsArn(partition, bucketName, BUCKET_PREFIXES.outputs),
    },
    {
      Sid: "ReadWriteCheckpoints",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
      Resource: prefixObjectsArn(partition, bucketName, BUCKET_PREFIXES.checkpoints),
    },
  ];
}

/**
 * The execution role's permissions (AWS's list for CreateTrainingJob, sagemaker-roles.md
 * "CreateTrainingJob API: Execution Role Permissions"), each scoped as tightly as IAM allows.
 */
export function trainingRolePolicy(args: TrainingRolePolicyArgs): PolicyDocument {
  const { scope, bucketName } = args;
  const { partition, region, accountId } = scope;
  const logGroup = `arn:${partition}:logs:${region}:${accountId}:log-group:${TRAINING_LOG_GROUP}`;
  const statements: PolicyStatement[] = [
    ...bucketStatements(partition, bucketName),
    {
      Sid: "TrainingLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
      Resource: [logGroup, `${logGroup}:*`, `${logGroup}:log-stream:*`],
    },
    {
      // PutMetricData has no resource type, so IAM requires "*"; the namespace condition scopes it.
      Sid: "TrainingMetrics",
      Effect: "Allow",
      Action: "cloudwatch:PutMetricData",
      Resource: "*",
      Condition: { StringEquals: { "cloudwatch:namespace": TRAINING_METRICS_NAMESPACE } },
    },
    {
      // GetAuthorizationToken has no resource type: IAM requires "*". The token alone pulls nothing;
      // the pull actions below are limited to the algorithm's repository.
      Sid: "EcrLogin",
      Effect: "Allow",
      Action: "ecr:GetAuthorizationToken",
      Resource: "*",
    },
    {
      Sid: "PullAlgorithmImage",
      Effect: "Allow",
      Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
      Resource: args.imageRepositoryArn,
    },
  ];
  if (args.kmsKeyArn !== undefined) {
    statements.push({
      // Read SSE-KMS datasets and checkpoints, write SSE-KMS outputs (OutputDataConfig.KmsKeyId).
      Sid: "UseBucketKey",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
      Resource: args.kmsKeyArn,
    });
  }
  if (args.network !== undefined) statements.push(...trainingRoleNetworkStatements(scope, args.network));
  return policyDocument(statements);
}
