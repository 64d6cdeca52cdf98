import type { StackOutputs } from "../../src/stack/outputs.js";

/** The one stack fixture: outputs of a deployed stack in account 123456789012, us-east-1 unless told otherwise. */
export const STACK: StackOutputs = {
  region: "us-east-1",
  bucketName: "segsweep-data-123456789012",
  datasetsUri: "s3://segsweep-data-123456789012/datasets/",
  outputsUri: "s3://segsweep-data-123456789012/outputs/",
  checkpointsUri: "s3://segsweep-data-123456789012/checkpoints/",
  campaignsUri: "s3://segsweep-data-123456789012/campaigns/",
  trainingRoleArn: "arn:aws:iam::123456789012:role/segsweep-training",
  operatorPolicyArn: "arn:aws:iam::123456789012:policy/segsweep-operator",
  trainingImage: "811284229777.dkr.ecr.us-east-1.amazonaws.com/semantic-segmentation:1",
  instanceTypes: ["ml.p3.2xlarge"],
};

/** The same stack deployed in another region (to tell the stack's region from AWS_REGION). */
export function stackIn(region: string, trainingImage = STACK.trainingImage): StackOutputs {
  return { ...STACK, region, trainingImage };
}
