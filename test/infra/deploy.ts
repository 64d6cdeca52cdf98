import * as pulumi from "@pulumi/pulumi";
import type { StackOutputValues } from "../../src/infra/stack.js";
import { outputValue, type RecordedResource, type Recorder, settled } from "./mocks.js";

/** One run of the Pulumi program against the recording mocks: its outputs, resources and invokes. */
export interface Deployment {
  readonly outputs: Record<string, unknown>;
  readonly resources: readonly RecordedResource[];
  readonly calls: Recorder["calls"];
  all(type: string): RecordedResource[];
  one(type: string, name?: string): RecordedResource;
}

/** Runs `program` with `config` (keys without the `segsweep:` prefix) in `region`, and waits for every registration. */
export async function deploy(
  recorder: Recorder,
  program: () => StackOutputValues,
  config: Record<string, string> = {},
  region = "us-east-1",
): Promise<Deployment> {
  recorder.clear();
  recorder.region = region;
  const withPrefix = Object.fromEntries(Object.entries(config).map(([key, value]) => [`segsweep:${key}`, value]));
  pulumi.runtime.setAllConfig({ "aws:region": region, ...withPrefix });
  const outputs = program();
  const values: Record<string, unknown> = {};
  for (const [key, output] of Object.entries(outputs)) values[key] = await outputValue(output as pulumi.Output<unknown>);
  await settled();
  const resources = [...recorder.resources];
  const all = (type: string) => resources.filter((r) => r.type === type);
  const one = (type: string, name?: string): RecordedResource => {
    const found = all(type).filter((r) => name === undefined || r.name === name);
    if (found.length !== 1) throw new Error(`expected one ${type}${name ? ` ${name}` : ""}, found ${found.length}`);
    return found[0] as RecordedResource;
  };
  return { outputs: values, resources, calls: [...recorder.calls], all, one };
}

/** The JSON document in a resource's input `field`. */
export const json = (resource: RecordedResource, field: string): unknown => JSON.parse(String(resource.inputs[field]));
