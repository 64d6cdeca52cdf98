import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildCreateTrainingJobRequest, resolveDataLocation, tagValue } from "../../src/backend/request.js";
import { TAG_CAMPAIGN } from "../../src/catalog/sagemaker-api.js";
import { JOB_NAME_PATTERN } from "../../src/plan/job-name.js";
import { loadApiModel } from "../../src/standin/model.js";
import { validateShape, validationMessage } from "../../src/standin/validate.js";
import { makePlan } from "../campaign/fixtures.js";
import { STACK } from "../kit/stack.js";

/** Checks a request against the SageMaker API model's constraints (required, patterns, lengths, ranges, enums). */
function violations(request: unknown): string {
  const result = validateShape(loadApiModel(), "CreateTrainingJobRequest", request);
  expect(result.typeMismatches).toEqual([]);
  return result.violations.length === 0 ? "" : validationMessage(result.violations);
}

const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

describe("the CreateTrainingJob request", () => {
  it("uses File mode with the documented content types, data under the stack's datasets prefix, and passes the API model", () => {
    const plan = makePlan({
      jobs: 1,
      data: {
        train: "voc/train/",
        validation: "s3://other-bucket/val/",
        train_annotation: "voc/train_annotation/",
        validation_annotation: "voc/validation_annotation/",
      },
    });
    const job = plan.jobs[0]!;

    const request = buildCreateTrainingJobRequest(plan, job, 0, STACK);

    expect(violations(request)).toBe("");
    expect(request.AlgorithmSpecification).toEqual({ TrainingImage: STACK.trainingImage, TrainingInputMode: "File" });
    expect(request.RoleArn).toBe(STACK.trainingRoleArn);
    expect(request.HyperParameters).toEqual(job.hyperparameters);
    expect(
      request.InputDataConfig?.map((channel) => [channel.ChannelName, channel.ContentType, channel.DataSource?.S3DataSource?.S3Uri]),
    ).toEqual([
      ["train", "image/jpeg", "s3://segsweep-data-123456789012/datasets/voc/train/"],
      ["validation", "image/jpeg", "s3://other-bucket/val/"],
      ["train_annotation", "image/png", "s3://segsweep-data-123456789012/datasets/voc/train_annotation/"],
      ["validation_annotation", "image/png", "s3://segsweep-data-123456789012/datasets/voc/validation_annotation/"],
    ]);
    expect(request.InputDataConfig?.every((channel) => channel.DataSource?.S3DataSource?.S3DataType === "S3Prefix")).toBe(true);
    expect(request.OutputDataConfig).toEqual({ S3OutputPath: `s3://segsweep-data-123456789012/outputs/${plan.campaign}/` });
    expect(request.ResourceConfig).toEqual({ InstanceType: "ml.p3.2xlarge", InstanceCount: 1, VolumeSizeInGB: 50 });
    expect(request.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 86_400 });
    expect(request.EnableManagedSpotTraining).toBeUndefined();
    expect(request.CheckpointConfig).toBeUndefined();
  });

  it("adds the optional label_map channel as JSON", () => {
    const plan = makePlan({
      jobs: 1,
      data: { train: "a/", validation: "b/", train_annotation: "c/", validation_annotation: "d/", label_map: "maps/" },
    });
    const request = buildCreateTrainingJobRequest(plan, plan.jobs[0]!, 0, STACK);
    expect(violations(request)).toBe("");
    expect(request.InputDataConfig?.at(-1)).toMatchObject({ ChannelName: "label_map", ContentType: "application/json" });
  });

  it("streams augmented manifests in Pipe mode as RecordIO with the attribute names", () => {
    const plan = makePlan({
      jobs: 1,
      data: {
        augmented_manifest: {
          train: "manifests/train.jsonl",
          validation: "s3://b/val.jsonl",
          attribute_names: ["source-ref", "city-streets-ref"],
        },
      },
    });
    const request = buildCreateTrainingJobRequest(plan, plan.jobs[0]!, 0, STACK);
    expect(violations(request)).toBe("");
    expect(request.AlgorithmSpecification?.TrainingInputMode).toBe("Pipe");
    expect(request.InputDataConfig).toEqual([
      {
        ChannelName: "train",
        ContentType: "application/x-recordio",
        RecordWrapperType: "RecordIO",
        DataSource: {
          S3DataSource: {
            S3DataType: "AugmentedManifestFile",
            S3Uri: "s3://segsweep-data-123456789012/datasets/manifests/train.jsonl",
            S3DataDistributionType: "FullyReplicated",
            AttributeNames: ["source-ref", "city-streets-ref"],
          },
        },
      },
      expect.objectContaining({ ChannelName: "validation", RecordWrapperType: "RecordIO" }),
    ]);
  });

  it("uses managed spot with a wait bound and a checkpoint location per planned job, shared by its retries", () => {
    const plan = makePlan({ jobs: 1, resources: { spot: true, maxRuntimeSeconds: 7200, maxWaitSeconds: 14_400 } });
    const job = plan.jobs[0]!;
    const first = buildCreateTrainingJobRequest(plan, job, 0, STACK);
    const retry = buildCreateTrainingJobRequest(plan, job, 2, STACK);
    expect(violations(first)).toBe("");
    expect(first.EnableManagedSpotTraining).toBe(true);
    expect(first.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 7200, MaxWaitTimeInSeconds: 14_400 });
    expect(first.CheckpointConfig).toEqual({ S3Uri: `s3://segsweep-data-123456789012/checkpoints/${plan.campaign}/${job.name}/` });
    expect(retry.TrainingJobName).toBe(`${job.name}-r2`);
    expect(retry.CheckpointConfig).toEqual(first.CheckpointConfig);
  });

  it("encrypts outputs with the stack's KMS key when there is one", () => {
    const plan = makePlan({ jobs: 1 });
    const kmsKeyArn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const request = buildCreateTrainingJobRequest(plan, plan.jobs[0]!, 0, { ...STACK, kmsKeyArn });
    expect(violations(request)).toBe("");
    expect(request.OutputDataConfig?.KmsKeyId).toBe(kmsKeyArn);
  });

  it("tags the campaign (the key the operator policy requires), the point, the sweep file and the git commit", () => {
    const plan = makePlan({ jobs: 1 });
    const job = plan.jobs[0]!;
    const request = buildCreateTrainingJobRequest(plan, job, 0, STACK, { gitCommit: `${"a".repeat(40)}-dirty` });
    expect(request.Tags).toEqual([
      { Key: TAG_CAMPAIGN, Value: plan.campaign },
      { Key: "segsweep:point", Value: job.pointId },
      { Key: "segsweep:sweep-file", Value: plan.sweepFile },
      { Key: "segsweep:git-commit", Value: `${"a".repeat(40)}-dirty` },
    ]);
    expect(TAG_CAMPAIGN).toBe("segsweep:campaign");
  });

  it("keeps tag values valid for any sweep file path: allowed characters, at most 256, the file name kept", () => {
    const plan = { ...makePlan({ jobs: 1 }), sweepFile: `${"deep/".repeat(80)}my sweep (v2)~#.yaml` };
    const request = buildCreateTrainingJobRequest(plan, plan.jobs[0]!, 0, STACK);
    expect(violations(request)).toBe("");
    const value = request.Tags?.find((tag) => tag.Key === "segsweep:sweep-file")?.Value ?? "";
    expect(value.endsWith("my sweep _v2___.yaml")).toBe(true);
    expect(value.length).toBe(256);
  });

  it("tag values always satisfy the API model's pattern and length, whatever the input", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 400 }), (input) => {
        const value = tagValue(input);
        return value.length <= 256 && TAG_VALUE.test(value);
      }),
    );
  });

  it("names the longest allowed campaign's highest attempt within SageMaker's 63 characters", () => {
    const plan = makePlan({ jobs: 1, campaign: "c".repeat(44) });
    const request = buildCreateTrainingJobRequest(plan, plan.jobs[0]!, 99, STACK);
    expect(request.TrainingJobName?.length).toBeLessThanOrEqual(63);
    expect(request.TrainingJobName).toMatch(JOB_NAME_PATTERN);
    expect(violations(request)).toBe("");
  });

  it("resolves data locations: s3:// as given, anything else under the datasets prefix with one slash", () => {
    expect(resolveDataLocation("s3://x/y/", "s3://b/datasets/")).toBe("s3://x/y/");
    expect(resolveDataLocation("/voc/train/", "s3://b/datasets")).toBe("s3://b/datasets/voc/train/");
    expect(resolveDataLocation("voc/train/", "s3://b/datasets/")).toBe("s3://b/datasets/voc/train/");
  });
});
