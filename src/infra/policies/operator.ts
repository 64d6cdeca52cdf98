import {
  type AwsScope,
  BUCKET_PREFIXES,
  bucketArn,
  type PolicyDocument,
  type PolicyStatement,
  policyDocument,
  prefixObjectsArn,
} from "./document.js";
import {
  CREATE_TRAINING_JOB,
  CREATE_TUNING_JOB,
  createGuardrails,
  type GuardedCreates,
  hasCampaignTag,
  type JobGuardrails,
  tagOnCreateOnly,
  trainingJobsArn,
  tuningJobsArn,
} from "./guardrails.js";
import { stateMachineArns } from "./state-machine.js";
import { SAGEMAKER_SERVICE, TRAINING_LOG_GROUP } from "./training-role.js";

/** What the operator policy depends on: the guardrails, and the stack's resources. */
export interface OperatorPolicyArgs extends JobGuardrails {
  readonly scope: AwsScope;
  readonly bucketName: string;
  /** The execution role: the only role operators may pass. */
  readonly trainingRoleArn: string;
  /** The job-state events queue, when events are on. */
  readonly eventsQueueArn?: string | undefined;
  /** The bucket's KMS key, when SSE-KMS is used. */
  readonly kmsKeyArn?: string | undefined;
  /** The name of the server-side campaign state machine, when it exists. */
  readonly campaignStateMachineName?: string | undefined;
}

/** The creates an operator may call: training jobs and tuning jobs, under the same guardrails. */
function operatorCreates(scope: AwsScope): GuardedCreates {
  return { actions: [CREATE_TRAINING_JOB, CREATE_TUNING_JOB], resources: [trainingJobsArn(scope), tuningJobsArn(scope)] };
}

/** Launch, follow and stop jobs: creating is guard-railed, stopping needs the campaign tag. */
function jobStatements(args: OperatorPolicyArgs): PolicyStatement[] {
  const jobs = trainingJobsArn(args.scope);
  const tuningJobs = tuningJobsArn(args.scope);
  return [
    {
      Sid: "LaunchAndFollowTrainingJobs",
      Effect: "Allow",
      Action: [CREATE_TRAINING_JOB, "sagemaker:DescribeTrainingJob", "sagemaker:ListTags"],
      Resource: jobs,
    },
    // Stop only campaign jobs, not other teams' training jobs in the account.
    {
      Sid: "StopCampaignJobs",
      Effect: "Allow",
      Action: "sagemaker:StopTrainingJob",
      Resource: jobs,
      Condition: hasCampaignTag(args.campaignTagKey),
    },
    // Creating a tuning job is guard-railed like a training job; the rest needs the campaign tag.
    { Sid: "LaunchTuningJobs", Effect: "Allow", Action: [CREATE_TUNING_JOB, "sagemaker:ListTags"], Resource: tuningJobs },
    {
      Sid: "FollowAndStopCampaignTuningJobs",
      Effect: "Allow",
      Action: [
        "sagemaker:DescribeHyperParameterTuningJob",
        "sagemaker:ListTrainingJobsForHyperParameterTuningJob",
        "sagemaker:StopHyperParameterTuningJob",
      ],
      Resource: tuningJobs,
      Condition: hasCampaignTag(args.campaignTagKey),
    },
    {
      // List and Search have no resource type: IAM requires "*" (docs/sources.md#infra-condition-keys).
      Sid: "ListAndSearchJobs",
      Effect: "Allow",
      Action: ["sagemaker:ListTrainingJobs", "sagemaker:ListHyperParameterTuningJobs", "sagemaker:Search"],
      Resource: "*",
    },
    {
      Sid: "PassExecutionRoleToSageMaker",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: args.trainingRoleArn,
      Condition: { StringEquals: { "iam:PassedToService": SAGEMAKER_SERVICE } },
    },
  ];
}

/**
 * The bucket: campaign records read-write; datasets listed and read (preflight checks the layout,
 * label maps and manifests); model artifacts read (download the best model). Nothing else is
 * written: datasets are uploaded with the platform team's credentials, outputs by training jobs.
 */
function bucketStatements(args: OperatorPolicyArgs): PolicyStatement[] {
  const { partition } = args.scope;
  const objects = (prefix: string) => prefixObjectsArn(partition, args.bucketName, prefix);
  return [
    {
      Sid: "ListCampaignRecordsAndDatasets",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: bucketArn(partition, args.bucketName),
      Condition: { StringLike: { "s3:prefix": [`${BUCKET_PREFIXES.campaigns}*`, `${BUCKET_PREFIXES.datasets}*`] } },
    },
    {
      Sid: "ReadWriteCampaignRecords",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
      Resource: objects(BUCKET_PREFIXES.campaigns),
    },
    {
      Sid: "ReadDatasetsAndModelArtifacts",
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: [objects(BUCKET_PREFIXES.datasets), objects(BUCKET_PREFIXES.outputs)],
    },
  ];
}

/**
 * Reading what jobs report: their logs, their metrics while they run, and the account's quotas.
 * Log streams are `<job>/algo-<n>-<time>` in one log group shared by every training job of the
 * account, and a campaign's job names share no prefix fixed at deploy time (each campaign names its
 * own), so IAM can scope reads to the log group, not to campaign jobs: FilterLogEvents and
 * DescribeLogStreams take the group as their resource whatever stream prefix they ask for
 * (docs/sources.md#infra-observability).
 */
function observationStatements(args: OperatorPolicyArgs): PolicyStatement[] {
  const { partition, region, accountId } = args.scope;
  const logGroup = `arn:${partition}:logs:${region}:${accountId}:log-group:${TRAINING_LOG_GROUP}`;
  return [
    {
      Sid: "ReadTrainingLogs",
      Effect: "Allow",
      Action: ["logs:DescribeLogStreams", "logs:FilterLogEvents", "logs:GetLogEvents"],
      Resource: [logGroup, `${logGroup}:*`],
    },
    // GetMetricData has no resource-level permission and no namespace key: IAM requires "*".
    { Sid: "ReadRunningJobMetrics", Effect: "Allow", Action: "cloudwatch:GetMetricData", Resource: "*" },
    {
      // Preflight: how many instances the account may run. These three have no resource type ("*").
      Sid: "ReadServiceQuotas",
      Effect: "Allow",
      Action: ["servicequotas:ListServiceQuotas", "servicequotas:ListAWSDefaultServiceQuotas", "servicequotas:GetAWSDefaultServiceQuota"],
      Resource: "*",
    },
    {
      Sid: "ReadSageMakerQuotas",
      Effect: "Allow",
      Action: "servicequotas:GetServiceQuota",
      Resource: `arn:${partition}:servicequotas:${region}:${accountId}:sagemaker/*`,
    },
  ];
}

/** Start, follow and stop executions of the campaign state machine, and nothing of any other. */
function stateMachineStatements(scope: AwsScope, name: string): PolicyStatement[] {
  const arns = stateMachineArns(scope, name);
  return [
    // ListExecutions: a campaign runs on one runner at a time, so launch looks for a running execution.
    {
      Sid: "StartCampaignExecutions",
      Effect: "Allow",
      Action: ["states:StartExecution", "states:ListExecutions"],
      Resource: arns.stateMachine,
    },
    {
      Sid: "FollowAndStopCampaignExecutions",
      Effect: "Allow",
      Action: ["states:DescribeExecution", "states:StopExecution", "states:ListMapRuns"],
      Resource: arns.executions,
    },
    { Sid: "FollowCampaignItems", Effect: "Allow", Action: "states:DescribeExecution", Resource: arns.childExecutions },
    { Sid: "FollowCampaignMapRuns", Effect: "Allow", Action: "states:DescribeMapRun", Resource: arns.mapRuns },
  ];
}

/** The policy for people and CI who launch campaigns. */
export function operatorPolicy(args: OperatorPolicyArgs): PolicyDocument {
  const creates = operatorCreates(args.scope);
  const statements: PolicyStatement[] = [
    ...createGuardrails(creates, args),
    ...tagOnCreateOnly(creates),
    ...jobStatements(args),
    ...bucketStatements(args),
    ...observationStatements(args),
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
    // Read SSE-KMS datasets and model artifacts, read and write SSE-KMS campaign records.
    statements.push({ Sid: "UseBucketKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: args.kmsKeyArn });
  }
  if (args.campaignStateMachineName !== undefined) statements.push(...stateMachineStatements(args.scope, args.campaignStateMachineName));
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
