import { z } from "zod";

/**
 * The Pulumi stack's outputs: what `pulumi up` provisions and what `segsweep launch` reads
 * (from `pulumi stack output --json`). One schema, shared by index.ts and the CLI, so the two
 * cannot drift. This file must not import @pulumi/*: the CLI imports it.
 */
const S3Uri = z.string().regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/, "an s3:// URI");

// Pattern from the SageMaker API model (CreateTrainingJob.RoleArn).
const RoleArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-/]+$/, "an IAM role ARN");

// VpcConfig.Subnets and SecurityGroupIds: 1-16 and 1-5 ids of at most 32 characters (API model).
const VpcIds = (kind: string, max: number) =>
  z
    .array(z.string().regex(/^[-0-9a-zA-Z]{1,32}$/, `a ${kind} id`))
    .min(1)
    .max(max);

export const StackOutputs = z
  .object({
    region: z.string().min(1),
    bucketName: z.string().min(3),
    datasetsUri: S3Uri,
    outputsUri: S3Uri,
    checkpointsUri: S3Uri,
    campaignsUri: S3Uri,
    trainingRoleArn: RoleArn,
    operatorPolicyArn: z.string().startsWith("arn:"),
    operatorRoleArn: RoleArn.optional(),
    trainingImage: z.string().min(1).max(255),
    instanceTypes: z.array(z.string()).min(1),
    eventsQueueUrl: z.string().url().optional(),
    kmsKeyArn: z.string().startsWith("arn:").optional(),
    // The limits the operator policy enforces at CreateTrainingJob / CreateHyperParameterTuningJob
    // (src/infra/policies/guardrails.ts), besides instanceTypes and the campaign tag: a request past
    // them is refused with AccessDenied, so the CLI checks them before the first create. Optional:
    // stacks deployed before they were outputs lack them.
    maxRuntimeSeconds: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe("Highest StoppingCondition.MaxRuntimeInSeconds a job may ask for (pulumi config set maxRuntimeSeconds)"),
    maxKeepAliveSeconds: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe(
        "Highest warm-pool KeepAlivePeriodInSeconds a training job may ask for; 0 = no warm pools (pulumi config set maxKeepAliveSeconds)",
      ),
    vpcSubnetIds: VpcIds("subnet", 16)
      .optional()
      .describe("When present, every job must send VpcConfig.Subnets with exactly these subnets (pulumi config set requireVpc true)"),
    vpcSecurityGroupIds: VpcIds("security group", 5)
      .optional()
      .describe("When present, every job must send VpcConfig.SecurityGroupIds with exactly these groups (requireVpc)"),
    campaignStateMachineArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}$/, "a Step Functions state machine ARN")
      .optional()
      .describe("The state machine that runs campaigns server-side (pulumi config set serverSideCampaigns true)"),
  })
  .refine((outputs) => (outputs.vpcSubnetIds === undefined) === (outputs.vpcSecurityGroupIds === undefined), {
    message: "vpcSubnetIds and vpcSecurityGroupIds come together (requireVpc): a stack has both or neither",
    path: ["vpcSecurityGroupIds"],
  });

/** The stack outputs as the CLI uses them. */
export type StackOutputs = z.infer<typeof StackOutputs>;
