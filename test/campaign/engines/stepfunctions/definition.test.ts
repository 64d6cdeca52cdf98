import { describe, expect, it } from "vitest";
import { buildCreateTrainingJobRequest } from "../../../../src/backend/request.js";
import type { AslState } from "../../../../src/campaign/engines/stepfunctions/asl.js";
import { CHILD_STATES, REQUEST_FIELDS, SPOT_REQUEST_FIELDS } from "../../../../src/campaign/engines/stepfunctions/child.js";
import { MAP_STATE, stateMachineDefinition, stateMachineDocument } from "../../../../src/campaign/engines/stepfunctions/definition.js";
import { checkDefinition } from "../../../../src/campaign/engines/stepfunctions/rules.js";
import { UserError } from "../../../../src/errors.js";
import { makePlan, STACK, validateAsl } from "./fixtures.js";

const INPUT = { campaignsUri: STACK.campaignsUri };
const document = stateMachineDocument(INPUT);
const map = document.States[MAP_STATE] as AslState & { ItemProcessor: { States: Record<string, AslState> } };
const child = map.ItemProcessor.States;

describe("the server-side campaign state machine", () => {
  it("is valid ASL for asl-validator 4.0.0, with ARN and path checks on", () => {
    const result = validateAsl(document);
    expect(result.errors).toEqual([]);
    expect(result.isValid).toBe(true);
  });

  it("follows our own rules (SageMaker .sync only, bounded Map, no retried job failures)", () => {
    expect(checkDefinition(JSON.parse(stateMachineDefinition(INPUT)))).toEqual([]);
  });

  it("is the JSON string the Pulumi program deploys, and the same for the same stack", () => {
    const text = stateMachineDefinition(INPUT);
    expect(JSON.parse(text)).toEqual(document);
    expect(stateMachineDefinition({ ...INPUT })).toBe(text);
  });

  it("stays far below Step Functions' 1 MB definition limit", () => {
    const bytes = Buffer.byteLength(stateMachineDefinition(INPUT));
    console.log(`state machine definition: ${bytes} bytes (${((100 * bytes) / 1_048_576).toFixed(2)}% of 1 MB)`);
    expect(bytes).toBeLessThan(1_048_576 / 20);
  });

  it("writes the Map Run results under the stack's campaignsUri, whatever its prefix", () => {
    const writer = (uri: string) => (stateMachineDocument({ campaignsUri: uri }).States[MAP_STATE] as AslState).ResultWriter;
    expect(writer("s3://my-bucket/campaigns/")).toEqual({
      Resource: "arn:aws:states:::s3:putObject",
      Parameters: { Bucket: "my-bucket", Prefix: "campaigns/_results" },
    });
    expect(writer("s3://my-bucket")).toMatchObject({ Parameters: { Bucket: "my-bucket", Prefix: "_results" } });
    expect(writer("s3://my-bucket/a/b")).toMatchObject({ Parameters: { Bucket: "my-bucket", Prefix: "a/b/_results" } });
  });

  it("refuses a campaignsUri that is not an s3:// URI, saying what it got", () => {
    expect(() => stateMachineDocument({ campaignsUri: "https://example.com/x" })).toThrow(UserError);
    expect(() => stateMachineDocument({ campaignsUri: "https://example.com/x" })).toThrow(/campaignsUri.*https:\/\/example.com\/x/);
  });
});

describe("the training tasks pass every field segsweep sends", () => {
  const shapes = {
    "on demand": makePlan({ jobs: 1 }),
    spot: makePlan({ jobs: 1, resources: { spot: true, maxWaitSeconds: 90_000 } }),
    "augmented manifest": makePlan({
      jobs: 1,
      data: {
        augmented_manifest: { train: "m/train.manifest", validation: "m/val.manifest", attribute_names: ["source-ref", "label-ref"] },
      },
    }),
  };
  for (const [shape, plan] of Object.entries(shapes)) {
    it(`${shape}: the task the child picks names exactly the request's fields`, () => {
      const job = plan.jobs[0]!;
      for (const stack of [STACK, { ...STACK, kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k" }]) {
        const request = buildCreateTrainingJobRequest(plan, job, 0, stack, { gitCommit: "abc123" });
        const task = "EnableManagedSpotTraining" in request ? child[CHILD_STATES.trainSpot] : child[CHILD_STATES.train];
        const passed = Object.keys(task?.Parameters as Record<string, unknown>).map((key) => key.replace(/\.\$$/, ""));
        expect(passed.sort()).toEqual(Object.keys(request).sort());
      }
    });
  }

  it("lists the spot fields only on the spot task", () => {
    expect([...REQUEST_FIELDS, ...SPOT_REQUEST_FIELDS]).toHaveLength(new Set([...REQUEST_FIELDS, ...SPOT_REQUEST_FIELDS]).size);
    expect(Object.keys(child[CHILD_STATES.train]?.Parameters as object)).not.toContain("CheckpointConfig.$");
  });
});
