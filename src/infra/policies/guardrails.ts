import type { AwsScope, PolicyStatement } from "./document.js";

/**
 * The guardrails on every SageMaker job a segsweep principal (operator or state machine) creates.
 * They are Deny statements, so no Allow in this or another policy of the same principal can lift
 * them. Condition keys per action: Service Authorization Reference for SageMaker
 * (docs/sources.md#infra-condition-keys).
 */

export const CREATE_TRAINING_JOB = "sagemaker:CreateTrainingJob";
export const CREATE_TUNING_JOB = "sagemaker:CreateHyperParameterTuningJob";

/** The stack's private network, when jobs must run in it. */
export interface JobNetwork {
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
}

/** What the guardrails enforce. */
export interface JobGuardrails {
  /** The GPU instance types jobs may use. */
  readonly instanceTypes: readonly string[];
  /** Upper bound of StoppingCondition.MaxRuntimeInSeconds. */
  readonly maxRuntimeSeconds: number;
  /** Upper bound of ResourceConfig.KeepAlivePeriodInSeconds (0 = no warm pools). */
  readonly maxKeepAliveSeconds: number;
  /** Tag every job must carry (the CLI's campaign tag). */
  readonly campaignTagKey: string;
  /** When set, every job must name exactly these subnets and security groups. */
  readonly network?: JobNetwork | undefined;
}

/** ARN pattern of this account's training jobs in this region. */
export function trainingJobsArn(scope: AwsScope): string {
  return `arn:${scope.partition}:sagemaker:${scope.region}:${scope.accountId}:training-job/*`;
}

/** ARN pattern of this account's hyperparameter tuning jobs in this region. */
export function tuningJobsArn(scope: AwsScope): string {
  return `arn:${scope.partition}:sagemaker:${scope.region}:${scope.accountId}:hyper-parameter-tuning-job/*`;
}

/** The create actions a principal may call, each with the ARN pattern of what it creates. */
export interface GuardedCreates {
  readonly actions: readonly string[];
  readonly resources: readonly string[];
}

/**
 * Deny statements for `creates`. ForAnyValue:StringNotEquals in a Deny, because ForAllValues in an
 * Allow passes when the key is absent; each Null check catches a request IAM cannot see the value of.
 */
export function createGuardrails(creates: GuardedCreates, rails: JobGuardrails): PolicyStatement[] {
  const deny = (Sid: string, Condition: PolicyStatement["Condition"], Action: readonly string[] = creates.actions): PolicyStatement => ({
    Sid,
    Effect: "Deny",
    Action: [...Action],
    Resource: [...creates.resources],
    ...(Condition !== undefined ? { Condition } : {}),
  });
  const statements = [
    deny("DenyUnlistedInstanceTypes", { "ForAnyValue:StringNotEquals": { "sagemaker:InstanceTypes": [...rails.instanceTypes] } }),
    deny("DenyUnknownInstanceTypes", { Null: { "sagemaker:InstanceTypes": "true" } }),
    deny("DenyLongRuntime", { NumericGreaterThan: { "sagemaker:MaxRuntimeInSeconds": String(rails.maxRuntimeSeconds) } }),
    // Without MaxRuntimeInSeconds SageMaker applies its own default, which may exceed the cap.
    deny("DenyMissingRuntime", { Null: { "sagemaker:MaxRuntimeInSeconds": "true" } }),
    deny("DenyJobsWithoutCampaignTag", { Null: { [`aws:RequestTag/${rails.campaignTagKey}`]: "true" } }),
  ];
  if (creates.actions.includes(CREATE_TRAINING_JOB)) {
    // Warm pools keep instances billed after the job; the key exists only for CreateTrainingJob
    // (tuning jobs manage their own warm pools, docs/sources.md#infra-condition-keys).
    statements.push(
      deny("DenyLongWarmPools", { NumericGreaterThan: { "sagemaker:KeepAlivePeriod": String(rails.maxKeepAliveSeconds) } }, [
        CREATE_TRAINING_JOB,
      ]),
    );
  }
  if (rails.network !== undefined) statements.push(...networkGuardrails(deny, rails.network));
  return statements;
}

type Deny = (Sid: string, Condition: PolicyStatement["Condition"]) => PolicyStatement;

/** Jobs must run in the stack's subnets, behind its security groups (VpcConfig), and nowhere else. */
function networkGuardrails(deny: Deny, network: JobNetwork): PolicyStatement[] {
  return [
    deny("DenyJobsOutsideStackSubnets", { "ForAnyValue:StringNotEquals": { "sagemaker:VpcSubnets": [...network.subnetIds] } }),
    deny("DenyJobsWithoutSubnets", { Null: { "sagemaker:VpcSubnets": "true" } }),
    deny("DenyJobsOutsideStackSecurityGroups", {
      "ForAnyValue:StringNotEquals": { "sagemaker:VpcSecurityGroupIds": [...network.securityGroupIds] },
    }),
    deny("DenyJobsWithoutSecurityGroups", { Null: { "sagemaker:VpcSecurityGroupIds": "true" } }),
  ];
}

/**
 * Tags only at creation: SageMaker authorizes the Tags of a create as sagemaker:AddTags with
 * sagemaker:TaggingAction set to the create's API name; a direct AddTags call carries no
 * TaggingAction. The Allow admits the first, the Deny refuses the second even where another
 * policy grants AddTags, so nobody can put the campaign tag on an existing job and then stop it
 * (docs/sources.md#infra-tag-on-create).
 */
export function tagOnCreateOnly(creates: GuardedCreates): PolicyStatement[] {
  const taggingActions = creates.actions.map((action) => action.replace(/^sagemaker:/, ""));
  return [
    {
      Sid: "TagJobsOnlyAtCreation",
      Effect: "Allow",
      Action: "sagemaker:AddTags",
      Resource: [...creates.resources],
      Condition: { StringEquals: { "sagemaker:TaggingAction": taggingActions } },
    },
    {
      Sid: "DenyTaggingExistingJobs",
      Effect: "Deny",
      Action: "sagemaker:AddTags",
      Resource: [...creates.resources],
      Condition: { Null: { "sagemaker:TaggingAction": "true" } },
    },
  ];
}

/** A condition that the resource carries the campaign tag (any value). */
export function hasCampaignTag(campaignTagKey: string): NonNullable<PolicyStatement["Condition"]> {
  return { Null: { [`aws:ResourceTag/${campaignTagKey}`]: "false" } };
}
