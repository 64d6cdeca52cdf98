import {
  type AwsScope,
  BUCKET_PREFIXES,
  bucketArn,
  type PolicyDocument,
  type PolicyStatement,
  policyDocument,
  prefixObjectsArn,
} from "./document.js";
import { SAGEMAKER_SERVICE, trainingJobsArn } from "./training-role.js";

/** What the operator policy depends on. */
export interface OperatorPolicyArgs {
  readonly scope: AwsScope;
  readonly bucketName: string;
  /** The execution role: the only role operators may pass. */
  readonly trainingRoleArn: string;
  /** The GPU instance types training jobs may use. */
  readonly instanceTypes: readonly string[];
  /** Upper bound of StoppingCondition.MaxRuntimeInSeconds. */
  readonly maxRuntimeSeconds: number;
  /** Upper bound of ResourceConfig.KeepAlivePeriodInSeconds (0 = no warm pools). */
  readonly maxKeepAliveSeconds: number;
  /** Tag every training job must carry (the CLI's campaign tag). */
  readonly campaignTagKey: string;
  /** The job-state events queue, when events are on. */
  readonly eventsQueueArn?: string | undefined;
  /** The bucket's KMS key, when SSE-KMS is used. */
  readonly kmsKeyArn?: string | undefined;
}

const CREATE = "sagemaker:CreateTrainingJob";

/**
 * The guardrails: Deny statements, so no other Allow (in this or another policy of the same
 * principal) can lift them. Condition keys of CreateTrainingJob: Service Authorization Reference
 * for SageMaker (list_amazonsagemaker.html). A Deny with ForAnyValue:StringNotEquals is used for
 * the instance types because ForAllValues in an Allow passes when the key is absent.
 */
function guardrails(args: OperatorPolicyArgs): PolicyStatement[] {
  const jobs = trainingJobsArn(args.scope);
  return [
    {
      Sid: "DenyUnlistedInstanceTypes",
      Effect: "Deny",
      Action: CREATE,
      Resource: jobs,
      Condition: { "ForAnyValue:StringNotEquals": { "sagemaker:InstanceTypes": [...args.instanceTypes] } },
    },
    {
      Sid: "DenyUnknownInstanceTypes",
      Effect: "Deny",
      Action: CREATE,
      Resource: jobs,
      Condition: { Null: { "sagemaker:InstanceTypes": "true" } },
    },
    {
      Sid: "DenyLongRuntime",
      Effect: "Deny",
      Action: CREATE,
      Resource: jobs,
      Condition: { NumericGreaterThan: { "sagemaker:MaxRuntimeInSeconds": String(args.maxRuntimeSeconds) } },
    },
    {
      // Without MaxRuntimeInSeconds SageMaker applies its own default, which may exceed the cap.
      Sid: "DenyMissingRuntime",
      Effect: "Deny",
      Action: CREATE,
      Resource: jobs,
      Condition: { Null: { "sagemaker:MaxRuntimeInSeconds": "true" } },
    },
    {
      // Warm pools keep instances billed after the job (docs: train-warm-pools-how-to-use.html).
      Sid: "DenyLongWarmPools",
      Effect: "Deny",
      Action: CREATE,
      Resource: jobs,
      Condition: { NumericGreaterThan: { "sagemaker:KeepAlivePeriod": String(args.maxKeepAliveSeconds) } },
    },
    {
      Sid: "DenyJobsWithoutCampaignTag",
      Effect: "Deny",
      Action: CREATE,
      Resource: jobs,
      Condition: { Null: { [`aws:RequestTag/${args.campaignTagKey}`]: "true" } },
    },
  ];
}

/** The policy for people and CI who launch campaigns. */
export function operatorPolicy(args: OperatorPolicyArgs): PolicyDocument {
  const { scope, bucketName } = args;
  const { partition, region, accountId } = scope;
  const jobs = trainingJobsArn(scope);
  const statements: PolicyStatement[] = [
    ...guardrails(args),
    {
      // AddTags: tagging on create needs it (SageMaker: "Provide permissions for tagging").
      Sid: "LaunchAndFollowTrainingJobs",
      Effect: "Allow",
      Action: [CREATE, "sagemaker:DescribeTrainingJob", "sagemaker:AddTags", "sagemaker:ListTags"],
      Resource: jobs,
    },
    {
      // Stop only campaign jobs, not other teams' training jobs in the account.
      Sid: "StopCampaignJobs",
      Effect: "Allow",
      Action: "sagemaker:StopTrainingJob",
      Resource: jobs,
      Condition: { Null: { [`aws:ResourceTag/${args.campaignTagKey}`]: "false" } },
    },
    {
      // List and Search have no resource type: IAM requires "*".
      Sid: "ListAndSearchTrainingJobs",
      Effect: "Allow",
      Action: ["sagemaker:ListTrainingJobs", "sagemaker:Search"],
      Resource: "*",
    },
    {
      Sid: "PassExecutionRoleToSageMaker",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: args.trainingRoleArn,
      Condition: { StringEquals: { "iam:PassedToService": SAGEMAKER_SERVICE } },
    },
    {
      Sid: "ListCampaignRecords",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: bucketArn(partition, bucketName),
      Condition: { StringLike: { "s3:prefix": [`${BUCKET_PREFIXES.campaigns}*`] } },
    },
    {
      Sid: "ReadWriteCampaignRecords",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
      Resource: prefixObjectsArn(partition, bucketName, BUCKET_PREFIXES.campaigns),
    },
    {
      // Preflight: how many instances the account may run. Listing has no resource type ("*").
      Sid: "ReadServiceQuotas",
      Effect: "Allow",
      Action: ["servicequotas:ListServiceQuotas", "servicequotas:ListAWSDefaultServiceQuotas"],
      Resource: "*",
    },
    {
      Sid: "ReadSageMakerQuotas",
      Effect: "Allow",
      Action: ["servicequotas:GetServiceQuota", "servicequotas:GetAWSDefaultServiceQuota"],
      Resource: `arn:${partition}:servicequotas:${region}:${accountId}:sagemaker/*`,
    },
  ];
  if (args.eventsQueueArn !== undefined) {
    statements.push({
      Sid: "ConsumeJobStateEvents",
      Effect: "Allow",
      Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
      Resource: args.eventsQueueArn,
    });
  }
  if (args.kmsKeyArn !== undefined) {
    statements.push({
      Sid: "UseBucketKeyForCampaignRecords",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: args.kmsKeyArn,
    });
  }
  return policyDocument(statements);
}

/** Normalises a configured principal: an account id becomes its root ARN. */
export function principalArn(partition: string, principal: string): string {
  return /^\d{12}$/.test(principal) ? `arn:${partition}:iam::${principal}:root` : principal;
}

/** Trust policy of the optional operator role: the configured principals may assume it. */
export function operatorRoleTrustPolicy(partition: string, principals: readonly string[]): PolicyDocument {
  return policyDocument([
    {
      Sid: "ConfiguredOperators",
      Effect: "Allow",
      Principal: { AWS: principals.map((p) => principalArn(partition, p)) },
      Action: "sts:AssumeRole",
    },
  ]);
}
