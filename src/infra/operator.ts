import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AwsScope } from "./policies/document.js";
import type { JobNetwork } from "./policies/guardrails.js";
import { operatorPolicy, operatorRoleTrustPolicy } from "./policies/operator.js";

/** Arguments of {@link OperatorAccess}. */
export interface OperatorAccessArgs {
  readonly scope: pulumi.Input<AwsScope>;
  readonly bucketName: pulumi.Input<string>;
  readonly trainingRoleArn: pulumi.Input<string>;
  readonly instanceTypes: readonly string[];
  readonly maxRuntimeSeconds: number;
  readonly maxKeepAliveSeconds: number;
  readonly campaignTagKey: string;
  readonly eventsQueueArn?: pulumi.Input<string> | undefined;
  readonly kmsKeyArn?: pulumi.Input<string> | undefined;
  /** When set, every job must run in these subnets, behind these security groups. */
  readonly network?: pulumi.Input<JobNetwork> | undefined;
  /** The server-side campaign state machine, when it exists. */
  readonly campaignStateMachineName?: string | undefined;
  /** Principals that may assume the operator role; no role is made when empty. */
  readonly principals: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * What people and CI need to launch campaigns: a managed policy to attach to their own
 * identities (see {@link operatorPolicy}), and optionally a role the configured principals assume.
 */
export class OperatorAccess extends pulumi.ComponentResource {
  readonly policyArn: pulumi.Output<string>;
  /** The operator role's ARN (after its policy is attached); undefined when no principals are configured. */
  readonly roleArn: pulumi.Output<string> | undefined;

  constructor(name: string, args: OperatorAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("segsweep:iam:OperatorAccess", name, {}, opts);
    const scope = pulumi.output(args.scope);
    const policy = new aws.iam.Policy(
      `${name}-policy`,
      {
        description: "segsweep operators: launch, follow and stop guard-railed training and tuning jobs",
        policy: pulumi
          .all([scope, args.bucketName, args.trainingRoleArn, args.eventsQueueArn, args.kmsKeyArn, args.network])
          .apply(([s, bucketName, trainingRoleArn, eventsQueueArn, kmsKeyArn, network]) =>
            JSON.stringify(
              operatorPolicy({
                scope: s,
                bucketName,
                trainingRoleArn,
                instanceTypes: args.instanceTypes,
                maxRuntimeSeconds: args.maxRuntimeSeconds,
                maxKeepAliveSeconds: args.maxKeepAliveSeconds,
                campaignTagKey: args.campaignTagKey,
                eventsQueueArn,
                kmsKeyArn,
                network,
                campaignStateMachineName: args.campaignStateMachineName,
              }),
            ),
          ),
        tags: { ...args.tags },
      },
      { parent: this },
    );
    this.policyArn = policy.arn;
    if (args.principals.length > 0) {
      const role = new aws.iam.Role(
        `${name}-role`,
        {
          description: "segsweep operators (assumed by the configured principals)",
          assumeRolePolicy: scope.apply((s) => JSON.stringify(operatorRoleTrustPolicy(s.partition, args.principals))),
          tags: { ...args.tags },
        },
        { parent: this },
      );
      const attachment = new aws.iam.RolePolicyAttachment(
        `${name}-role-policy`,
        { role: role.name, policyArn: policy.arn },
        { parent: this },
      );
      this.roleArn = pulumi.all([role.arn, attachment.id]).apply(([arn]) => arn);
    }
    this.registerOutputs({ policyArn: this.policyArn, roleArn: this.roleArn });
  }
}
