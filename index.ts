/**
 * The Pulumi program: everything a segsweep campaign needs in one AWS account and region (see
 * docs/pulumi.md). Pulumi runs the compiled dist/index.js (Pulumi.yaml `main`).
 *
 * The default export is what Pulumi calls; the keys of the object it returns are the stack
 * outputs, exactly the names of src/stack/outputs.ts. A default export lets the optional outputs
 * be absent when their feature is off, where named exports would have to be `undefined` (which
 * Pulumi warns about). Pulumi accepts either, not both (sdk/nodejs/cmd/run/run.ts).
 *
 * src/infra imports nothing outside itself, the catalog and the outputs schema
 * (docs/architecture.md): what the stack needs from the rest of segsweep is handed over here, such
 * as the generator of the server-side campaign state machine's definition.
 */
import { stateMachineDefinition } from "./src/campaign/engines/stepfunctions/definition.js";
import { readInfraConfig } from "./src/infra/read-config.js";
import { createSegsweepStack, type StackOutputValues } from "./src/infra/stack.js";

/** Reads and validates the stack configuration, declares the resources, returns the stack outputs. */
export default function segsweepStack(): StackOutputValues {
  return createSegsweepStack(readInfraConfig(), { campaignStateMachineDefinition: stateMachineDefinition });
}
