import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AwsScope } from "./policies/document.js";
import type { NetworkIds } from "./policies/network.js";
import { algorithmRepositoryArn, trainingRolePolicy, trainingRoleTrustPolicy } from "./policies/training-role.js";

/** Arguments of {@link TrainingRole}. */
export interface TrainingRoleArgs {
  readonly scope: pulumi.Input<AwsScope>;
  readonly bucketName: pulumi.Input<string>;
  /** AWS account of the ECR registry that publishes the algorithm image in the stack's region. */
  readonly imageRegistryAccount: string;
  readonly kmsKeyArn?: pulumi.Input<string> | undefined;
  /** The stack's VPC, when jobs must run in it (the role then manages their network interfaces). */
  readonly network?: pulumi.Input<NetworkIds> | undefined;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * The SageMaker execution role of the campaign's training jobs: assumable by SageMaker for this
 * account's training jobs only, with the permissions of {@link trainingRolePolicy}.
 */
export class TrainingRole extends pulumi.ComponentResource {
  /**
   * The role's ARN, resolved only once its policy is attached, so a launch that reads it never
   * passes a role that cannot yet read its data (the awsx/eks "resolvedRole" pattern).
   */
  readonly roleArn: pulumi.Output<string>;
  readonly role: aws.iam.Role;

  constructor(name: string, args: TrainingRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("segsweep:iam:TrainingRole", name, {}, opts);
    const scope = pulumi.output(args.scope);
    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        description: "SageMaker execution role of segsweep training jobs",
        assumeRolePolicy: scope.apply((s) => JSON.stringify(trainingRoleTrustPolicy(s))),
        maxSessionDuration: 3600,
        tags: { ...args.tags },
      },
      { parent: this },
    );
    const policy = new aws.iam.Policy(
      `${name}-policy`,
      {
        description: "segsweep training jobs: datasets/ read, outputs/ write, checkpoints/ read-write, logs, metrics, algorithm image",
        policy: pulumi.all([scope, args.bucketName, args.kmsKeyArn, args.network]).apply(([s, bucketName, kmsKeyArn, network]) =>
          JSON.stringify(
            trainingRolePolicy({
              scope: s,
              bucketName,
              imageRepositoryArn: algorithmRepositoryArn(s.partition, s.region, args.imageRegistryAccount),
              kmsKeyArn,
              network,
            }),
          ),
        ),
        tags: { ...args.tags },
      },
      { parent: this },
    );
    const attachment = new aws.iam.RolePolicyAttachment(
      `${name}-policy-attachment`,
      { role: this.role.name, policyArn: policy.arn },
      { parent: this },
    );
    this.roleArn = pulumi.all([this.role.arn, attachment.id]).apply(([arn]) => arn);
    this.registerOutputs({ roleArn: this.roleArn });
  }
}
