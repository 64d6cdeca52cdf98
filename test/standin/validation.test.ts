import { fileURLToPath } from "node:url";
import {
  CreateTrainingJobCommand,
  type CreateTrainingJobRequest,
  DescribeTrainingJobCommand,
  ListTrainingJobsCommand,
} from "@aws-sdk/client-sagemaker";
import { describe, expect, it } from "vitest";
import { apiModelPath, loadApiModel } from "../../src/standin/model.js";
import { compilePattern, validateShape, validationMessage } from "../../src/standin/validate.js";
import { rejection, sageMakerClient, standin, trainingRequest } from "./helpers.js";

describe("requests are checked against the SageMaker API model", () => {
  it("answers a bad job name with SageMaker's ValidationException wording", async () => {
    const client = sageMakerClient(await standin());
    const error = await rejection(client.send(new CreateTrainingJobCommand(trainingRequest("my_job"))));
    expect(error.name).toBe("ValidationException");
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toBe(
      "1 validation error detected: Value 'my_job' at 'trainingJobName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}",
    );
  });

  it("reports every failed constraint: a missing member, and a too-long name's length and pattern", async () => {
    const client = sageMakerClient(await standin());
    const request = { ...trainingRequest("a".repeat(64)), RoleArn: undefined } as unknown as CreateTrainingJobRequest;
    const error = await rejection(client.send(new CreateTrainingJobCommand(request)));
    // The pattern's {0,62} fails too, as in real error output (length and pattern reported together).
    expect(error.message).toMatch(/^3 validation errors detected: /);
    expect(error.message).toContain("Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
    expect(error.message).toContain(
      `Value '${"a".repeat(64)}' at 'trainingJobName' failed to satisfy constraint: Member must have length less than or equal to 63`,
    );
    expect(error.message).toContain("at 'trainingJobName' failed to satisfy constraint: Member must satisfy regular expression pattern");
  });

  it("checks numeric ranges: ListTrainingJobs MaxResults 101", async () => {
    const client = sageMakerClient(await standin());
    const error = await rejection(client.send(new ListTrainingJobsCommand({ MaxResults: 101 })));
    expect(error.message).toBe(
      "1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100",
    );
  });

  it("checks enums inside nested structures", async () => {
    const client = sageMakerClient(await standin());
    const request = trainingRequest("bad-instance", {
      ResourceConfig: { InstanceType: "ml.p9.huge" as "ml.p3.2xlarge", InstanceCount: 1, VolumeSizeInGB: 50 },
    });
    const error = await rejection(client.send(new CreateTrainingJobCommand(request)));
    expect(error.message).toMatch(
      /^1 validation error detected: Value 'ml\.p9\.huge' at 'resourceConfig\.instanceType' failed to satisfy constraint: Member must satisfy enum value set: \[ml\.m4\.xlarge, /,
    );
  });

  it("checks list sizes and members of list items, with Coral's 1-based paths", async () => {
    const client = sageMakerClient(await standin());
    const tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
    const tooMany = await rejection(client.send(new CreateTrainingJobCommand(trainingRequest("many-tags", { Tags: tags }))));
    expect(tooMany.message).toContain("at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50");

    const channels = trainingRequest("bad-channel").InputDataConfig ?? [];
    const renamed = channels.map((c, i) => (i === 1 ? { ...c, ChannelName: "validation data" } : c));
    const badChannel = await rejection(
      client.send(new CreateTrainingJobCommand(trainingRequest("bad-channel", { InputDataConfig: renamed }))),
    );
    expect(badChannel.message).toContain(
      "Value 'validation data' at 'inputDataConfig.2.member.channelName' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9\\.\\-_]+",
    );
  });

  it("checks map values and lists every constraint of the value shape", async () => {
    const client = sageMakerClient(await standin());
    const request = trainingRequest("long-value", { HyperParameters: { num_classes: "21", lr_scheduler_step: "x".repeat(2501) } });
    const error = await rejection(client.send(new CreateTrainingJobCommand(request)));
    expect(error.message).toContain(
      "at 'hyperParameters' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 2500, Member must have length greater than or equal to 0, Member must satisfy regular expression pattern: .*]",
    );
  });

  it("answers a value of the wrong JSON type with SerializationException", async () => {
    const client = sageMakerClient(await standin());
    const request = trainingRequest("wrong-type", { HyperParameters: { num_classes: 21 as unknown as string } });
    const error = await rejection(client.send(new CreateTrainingJobCommand(request)));
    expect(error.name).toBe("SerializationException");
    expect(error.message).toContain("Expected a string at 'hyperParameters'");
  });

  it("refuses spot training without a MaxWaitTimeInSeconds at least MaxRuntimeInSeconds", async () => {
    const client = sageMakerClient(await standin());
    const request = trainingRequest("spot-short-wait", {
      EnableManagedSpotTraining: true,
      StoppingCondition: { MaxRuntimeInSeconds: 7200, MaxWaitTimeInSeconds: 3600 },
      CheckpointConfig: { S3Uri: "s3://segsweep-data/checkpoints/demo/spot-short-wait/" },
    });
    const error = await rejection(client.send(new CreateTrainingJobCommand(request)));
    expect(error.name).toBe("ValidationException");
    expect(error.message).toContain("MaxWaitTimeInSeconds (3600) must be greater than or equal to MaxRuntimeInSeconds (7200)");
  });

  it("validates other operations too: DescribeTrainingJob without a name", async () => {
    const client = sageMakerClient(await standin());
    const error = await rejection(client.send(new DescribeTrainingJobCommand({ TrainingJobName: undefined as unknown as string })));
    expect(error.message).toBe(
      "1 validation error detected: Value null at 'trainingJobName' failed to satisfy constraint: Member must not be null",
    );
  });

  it("accepts the launcher's complete request", async () => {
    const client = sageMakerClient(await standin());
    const output = await client.send(new CreateTrainingJobCommand(trainingRequest("good-request")));
    expect(output.TrainingJobArn).toBe("arn:aws:sagemaker:us-east-1:123456789012:training-job/good-request");
  });
});

describe("the generic validator", () => {
  const model = loadApiModel();

  it("compiles every pattern of the model (Java forms rewritten)", () => {
    const patterns = Object.values(model.shapes).flatMap((shape) => (shape.pattern !== undefined ? [shape.pattern] : []));
    expect(patterns.length).toBeGreaterThan(50);
    expect(patterns.filter((pattern) => compilePattern(pattern) === undefined)).toEqual([]);
  });

  it("matches whole values, as the service does", () => {
    const name = compilePattern("[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");
    expect(name?.test("job-1")).toBe(true);
    expect(name?.test("job-1-")).toBe(false);
    expect(name?.test("-job")).toBe(false);
    const tagKey = compilePattern("([\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@]*)${1,128}");
    expect(tagKey?.test("segsweep:campaign")).toBe(true);
    expect(tagKey?.test("bad#key")).toBe(false);
  });

  it("reports nothing for an empty optional input and counts errors in the message", () => {
    expect(validateShape(model, "ListTrainingJobsRequest", {}).violations).toEqual([]);
    const { violations } = validateShape(model, "ListTrainingJobsRequest", { MaxResults: 0, SortOrder: "Up" });
    expect(violations.map((v) => v.path)).toEqual(["maxResults", "sortOrder"]);
    expect(validationMessage(violations)).toMatch(
      /^2 validation errors detected: Value '0' at 'maxResults' .*; Value 'Up' at 'sortOrder' failed to satisfy constraint: Member must satisfy enum value set: \[Ascending, Descending\]$/,
    );
  });
});

describe("the API model file", () => {
  it("is found from the source module and from the compiled one in dist/", () => {
    const source = new URL("../../src/standin/model.ts", import.meta.url).href;
    const compiled = new URL("../../dist/src/standin/model.js", import.meta.url).href;
    const expected = fileURLToPath(new URL("../../src/standin/sagemaker-api-model.json", import.meta.url));
    expect(apiModelPath(source)).toBe(expected);
    expect(apiModelPath(compiled)).toBe(expected);
  });
});
