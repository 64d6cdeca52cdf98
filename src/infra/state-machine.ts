import { createHash } from "node:crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AwsScope } from "./policies/document.js";
import type { JobNetwork } from "./policies/guardrails.js";
import { stateMachineRolePolicy, stateMachineTrustPolicy } from "./policies/state-machine.js";

/**
 * What a campaign state machine definition is generated from (index.ts computes the definition
 * with the campaign engine's generator and passes it in: src/infra imports nothing outside itself).
 */
export interface CampaignDefinitionInput {
  /** The stack output `campaignsUri`: items are read and results written under it, the only prefix the machine's role may use. */
  readonly campaignsUri: string;
}

/** Arguments of {@link CampaignStateMachine}. */
export interface CampaignStateMachineArgs {
  readonly scope: pulumi.Input<AwsScope>;
  /** The state machine's name: fixed, so its role's policies can name its ARN before it exists. */
  readonly stateMachineName: string;
  /** The definition (Amazon States Language JSON). */
  readonly definition: pulumi.Input<string>;
  readonly bucketName: pulumi.Input<string>;
  readonly trainingRoleArn: pulumi.Input<string>;
  readonly instanceTypes: readonly string[];
  readonly maxRuntimeSeconds: number;
  readonly maxKeepAliveSeconds: number;
  readonly campaignTagKey: string;
  readonly network?: pulumi.Input<JobNetwork> | undefined;
  readonly kmsKeyArn?: pulumi.Input<string> | undefined;
  readonly tags: Readonly<Record<string, string>>;
}

/** Step Functions state machine names: 1-80 characters; letters, digits, `-` and `_` are safe everywhere (CloudWatch logging included). */
const STATE_MACHINE_NAME_MAX = 80;

/** The campaign state machine's name for a project's stack: unique per stack, at most 80 characters. */
export function campaignStateMachineName(project: string, stack: string): string {
  const name = `${project}-${stack}-campaigns`.replace(/[^A-Za-z0-9_-]/g, "-");
  if (name.length <= STATE_MACHINE_NAME_MAX) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 8);
  return `${name.slice(0, STATE_MACHINE_NAME_MAX - hash.length - 1)}-${hash}`;
}

/** Refuses a definition that is not a JSON state machine, naming what is wrong, before AWS sees it. */
export function checkDefinition(definition: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(definition);
  } catch (error) {
    throw new Error(`The campaign state machine definition is not JSON: ${(error as Error).message}`);
  }
  const machine = parsed as { StartAt?: unknown; States?: unknown } | null;
  if (typeof machine !== "object" || machine === null || typeof machine.StartAt !== "string" || typeof machine.States !== "object") {
    throw new Error("The campaign state machine definition has no StartAt and States: it is not an Amazon States Language state machine");
  }
  return definition;
}

/**
 * Server-side campaigns (docs/pulumi.md, "Server-side campaigns"): a Standard state machine
 * whose Distributed Map runs one `createTrainingJob.sync` child per item, with a role that may
 * create only guard-railed, campaign-tagged training jobs and read and write only `campaigns/`.
 */
export class CampaignStateMachine extends pulumi.ComponentResource {
  /** The state machine's ARN. */
  readonly arn: pulumi.Output<string>;
  readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: CampaignStateMachineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("segsweep:orchestration:CampaignStateMachine", name, {}, opts);
    const scope = pulumi.output(args.scope);
    const tags = { ...args.tags };
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: "Step Functions role of the segsweep campaign state machine",
        assumeRolePolicy: scope.apply((s) => JSON.stringify(stateMachineTrustPolicy(s, args.stateMachineName))),
        tags,
      },
      { parent: this },
    );
    const policy = new aws.iam.Policy(
      `${name}-policy`,
      {
        description: "segsweep campaign state machine: guard-railed campaign training jobs, campaigns/ items and results",
        policy: rolePolicy(args),
        tags,
      },
      { parent: this },
    );
    const attachment = new aws.iam.RolePolicyAttachment(
      `${name}-policy-attachment`,
      { role: role.name, policyArn: policy.arn },
      { parent: this },
    );
    // The role's ARN once its policy is attached: no execution can start with a role that cannot yet act.
    this.roleArn = pulumi.all([role.arn, attachment.id]).apply(([arn]) => arn);
    const machine = new aws.sfn.StateMachine(
      `${name}-state-machine`,
      {
        name: args.stateMachineName,
        // Standard: `.sync` tasks and Distributed Maps do not run in Express workflows (docs/sources.md#infra-step-functions).
        type: "STANDARD",
        roleArn: this.roleArn,
        definition: pulumi.output(args.definition).apply(checkDefinition),
        tags,
      },
      { parent: this },
    );
    this.arn = machine.arn;
    this.registerOutputs({ arn: this.arn, roleArn: this.roleArn });
  }
}

/** The role's policy document, once the stack's values are known. */
function rolePolicy(args: CampaignStateMachineArgs): pulumi.Output<string> {
  return pulumi
    .all([args.scope, args.bucketName, args.trainingRoleArn, args.network, args.kmsKeyArn])
    .apply(([scope, bucketName, trainingRoleArn, network, kmsKeyArn]) =>
      JSON.stringify(
        stateMachineRolePolicy({
          scope,
          bucketName,
          trainingRoleArn,
          stateMachineName: args.stateMachineName,
          instanceTypes: args.instanceTypes,
          maxRuntimeSeconds: args.maxRuntimeSeconds,
          maxKeepAliveSeconds: args.maxKeepAliveSeconds,
          campaignTagKey: args.campaignTagKey,
          network,
          kmsKeyArn,
        }),
      ),
    );
}
