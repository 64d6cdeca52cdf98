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
  createGuardrails,
  type GuardedCreates,
  hasCampaignTag,
  type JobGuardrails,
  tagOnCreateOnly,
  trainingJobsArn,
} from "./guardrails.js";
import { SAGEMAKER_SERVICE } from "./training-role.js";

/** Step Functions' service principal. */
export const STATES_SERVICE = "states.amazonaws.com";

/**
 * The EventBridge rule Step Functions manages in the account to learn when a `.sync` training job
 * ends; its role must be allowed to create and read it (docs/sources.md#infra-step-functions).
 */
export const SAGEMAKER_SYNC_RULE = "StepFunctionsGetEventsForSageMakerTrainingJobsRule";

/** The ARNs of a state machine and of what its runs create. */
export interface StateMachineArns {
  readonly stateMachine: string;
  /** Its executions, `execution:<name>:<id>`. */
  readonly executions: string;
  /** The child executions of its Distributed Map runs, `execution:<name>/<map run label>:<id>`. */
  readonly childExecutions: string;
  /** Its Distributed Map runs, `mapRun:<name>/<label>:<id>`. */
  readonly mapRuns: string;
}

/** ARN patterns of the state machine `name` (Service Authorization Reference, Step Functions resource types). */
export function stateMachineArns(scope: AwsScope, name: string): StateMachineArns {
  const prefix = `arn:${scope.partition}:states:${scope.region}:${scope.accountId}`;
  return {
    stateMachine: `${prefix}:stateMachine:${name}`,
    executions: `${prefix}:execution:${name}:*`,
    childExecutions: `${prefix}:execution:${name}/*`,
    mapRuns: `${prefix}:mapRun:${name}/*`,
  };
}

/**
 * Trust policy: Step Functions, for this account's state machine `name` only (confused-deputy
 * prevention). Versions and aliases (`<name>:<qualifier>`) and any labelled form (`<name>/...`)
 * are admitted: which form a Distributed Map's child executions present is not documented
 * (docs/sources.md#infra-step-functions).
 */
export function stateMachineTrustPolicy(scope: AwsScope, name: string): PolicyDocument {
  const { stateMachine } = stateMachineArns(scope, name);
  return policyDocument([
    {
      Sid: "StepFunctionsForTheCampaignStateMachine",
      Effect: "Allow",
      Principal: { Service: STATES_SERVICE },
      Action: "sts:AssumeRole",
      Condition: {
        StringEquals: { "aws:SourceAccount": scope.accountId },
        ArnLike: { "aws:SourceArn": [stateMachine, `${stateMachine}:*`, `${stateMachine}/*`] },
      },
    },
  ]);
}

/** What the state machine's role depends on. */
export interface StateMachineRolePolicyArgs extends JobGuardrails {
  readonly scope: AwsScope;
  readonly bucketName: string;
  readonly trainingRoleArn: string;
  readonly stateMachineName: string;
  readonly kmsKeyArn?: string | undefined;
}

/** Run campaign training jobs: `createTrainingJob.sync` creates, describes and (on abort) stops them. */
function trainingJobStatements(args: StateMachineRolePolicyArgs): PolicyStatement[] {
  const jobs = trainingJobsArn(args.scope);
  const { partition, region, accountId } = args.scope;
  return [
    { Sid: "CreateCampaignTrainingJobs", Effect: "Allow", Action: [CREATE_TRAINING_JOB, "sagemaker:ListTags"], Resource: jobs },
    {
      Sid: "FollowAndStopCampaignTrainingJobs",
      Effect: "Allow",
      Action: ["sagemaker:DescribeTrainingJob", "sagemaker:StopTrainingJob"],
      Resource: jobs,
      Condition: hasCampaignTag(args.campaignTagKey),
    },
    {
      Sid: "PassExecutionRoleToSageMaker",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: args.trainingRoleArn,
      Condition: { StringEquals: { "iam:PassedToService": SAGEMAKER_SERVICE } },
    },
    {
      Sid: "ManagedRuleForSyncTrainingJobs",
      Effect: "Allow",
      Action: ["events:PutTargets", "events:PutRule", "events:DescribeRule"],
      Resource: `arn:${partition}:events:${region}:${accountId}:rule/${SAGEMAKER_SYNC_RULE}`,
    },
  ];
}

/**
 * The Distributed Map: read the items and write the results under `campaigns/` (ResultWriter
 * uploads in parts), and start, follow and stop its own child executions
 * (docs/sources.md#infra-step-functions).
 */
function distributedMapStatements(args: StateMachineRolePolicyArgs): PolicyStatement[] {
  const { partition } = args.scope;
  const arns = stateMachineArns(args.scope, args.stateMachineName);
  return [
    {
      Sid: "ListCampaignItems",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: bucketArn(partition, args.bucketName),
      Condition: { StringLike: { "s3:prefix": [`${BUCKET_PREFIXES.campaigns}*`] } },
    },
    {
      Sid: "ReadItemsWriteResults",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload"],
      Resource: prefixObjectsArn(partition, args.bucketName, BUCKET_PREFIXES.campaigns),
    },
    { Sid: "StartChildExecutions", Effect: "Allow", Action: "states:StartExecution", Resource: arns.stateMachine },
    {
      Sid: "FollowAndStopChildExecutions",
      Effect: "Allow",
      Action: ["states:DescribeExecution", "states:StopExecution"],
      Resource: arns.childExecutions,
    },
  ];
}

/** The state machine role's permissions: campaign training jobs under the operators' guardrails, and its own map runs. */
export function stateMachineRolePolicy(args: StateMachineRolePolicyArgs): PolicyDocument {
  const creates: GuardedCreates = { actions: [CREATE_TRAINING_JOB], resources: [trainingJobsArn(args.scope)] };
  const statements: PolicyStatement[] = [
    ...createGuardrails(creates, args),
    ...tagOnCreateOnly(creates),
    ...trainingJobStatements(args),
    ...distributedMapStatements(args),
  ];
  if (args.kmsKeyArn !== undefined) {
    statements.push({ Sid: "UseBucketKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: args.kmsKeyArn });
  }
  return policyDocument(statements);
}
