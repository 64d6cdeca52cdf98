import { z } from "zod";

/**
 * The Pulumi stack's outputs: what `pulumi up` provisions and what `segsweep launch` reads
 * (from `pulumi stack output --json`). One schema, shared by index.ts and the CLI, so the two
 * cannot drift. This file must not import @pulumi/*: the CLI imports it.
 */
const S3Uri = z.string().regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/, "an s3:// URI");

// Pattern from the SageMaker API model (CreateTrainingJob.RoleArn).
const RoleArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-/]+$/, "an IAM role ARN");

export const StackOutputs = z.object({
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
  maxRuntimeSeconds: z.number().int().positive().optional().describe("the longest MaxRuntimeInSeconds the operator policy allows"),
  eventsQueueUrl: z.string().url().optional(),
  kmsKeyArn: z.string().startsWith("arn:").optional(),
});

/** The stack outputs as the CLI uses them. */
export type StackOutputs = z.infer<typeof StackOutputs>;
