/**
 * The Pulumi program: everything a segsweep campaign needs in one AWS account and region (see
 * README.md, "Provision with Pulumi"). Pulumi runs the compiled dist/index.js (Pulumi.yaml `main`).
 *
 * The default export is what Pulumi calls; the keys of the object it returns are the stack
 * outputs, exactly the names of src/stack/outputs.ts (region, bucketName, datasetsUri, outputsUri,
 * checkpointsUri, campaignsUri, trainingRoleArn, operatorPolicyArn, operatorRoleArn,
 * trainingImage, instanceTypes, eventsQueueUrl, kmsKeyArn). A default export lets the optional
 * outputs be absent when their feature is off, where named exports would have to be `undefined`
 * (which Pulumi warns about). Pulumi accepts either, not both (sdk/nodejs/cmd/run/run.ts).
 */
import { readInfraConfig } from "./src/infra/read-config.js";
import { createSegsweepStack, type StackOutputValues } from "./src/infra/stack.js";

/** Reads and validates the stack configuration, declares the resources, returns the stack outputs. */
export default function segsweepStack(): StackOutputValues {
  return createSegsweepStack(readInfraConfig());
}
