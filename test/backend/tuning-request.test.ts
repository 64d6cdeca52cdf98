import { describe, expect, it } from "vitest";
import { buildCreateTuningJobRequest } from "../../src/backend/tuning-request.js";
import { loadApiModel } from "../../src/standin/model.js";
import { validateShape } from "../../src/standin/validate.js";
import { sweepText } from "../kit/cli.js";
import { STACK, tuningPlan, tuningRequests } from "../standin/tuning-helpers.js";

const model = loadApiModel();

/** What the API model says about a request, in its JSON wire form. */
function checkAgainstModel(request: unknown) {
  return validateShape(model, "CreateHyperParameterTuningJobRequest", JSON.parse(JSON.stringify(request)));
}

describe("CreateHyperParameterTuningJob requests, checked against the API model", () => {
  const cases: [string, string, string][] = [
    [
      "bayesian, split on optimizer",
      "optimizer: [sgd, adam]\nmomentum: {uniform: [0.8, 0.99]}\nlearning_rate: {log_uniform: [0.0001, 0.1]}",
      "strategy: bayesian\nsamples: 20",
    ],
    [
      "hyperband",
      "epochs: 40\nlearning_rate: {log_uniform: [0.0001, 0.1]}\nmini_batch_size: {int_uniform: [4, 32]}",
      "strategy: hyperband\nsamples: 30\nseed: 3",
    ],
    ["grid on the tuning engine", "backbone: [resnet-50, resnet-101]\nalgorithm: [fcn, psp, deeplab]", "engine: tuning"],
    [
      "random with spot",
      "learning_rate: {uniform: [0.001, 0.01]}",
      "engine: tuning\nstrategy: random\nsamples: 12\nresources:\n  spot: true",
    ],
    [
      "warm start from a tuning job name",
      "learning_rate: [0.001, 0.01]",
      "strategy: bayesian\nsamples: 4\nwarm_start:\n  from: [old-tuning-job]\n  type: transfer_learning",
    ],
  ];
  it.each(cases)("%s: valid against the model", async (_, hyperparameters, extra) => {
    const requests = await tuningRequests(hyperparameters, extra);
    expect(requests.length).toBeGreaterThan(0);
    for (const request of requests) expect(checkAgainstModel(request)).toEqual({ violations: [], typeMismatches: [] });
  });

  it("an augmented manifest sweep is valid too (Pipe mode, RecordIO)", async () => {
    const text = sweepText("learning_rate: [0.001, 0.01]", "strategy: bayesian\nsamples: 4").replace(
      /data:\n(.*\n){4}/,
      "data:\n  augmented_manifest:\n    train: s3://my-bucket/train.manifest\n    validation: s3://my-bucket/validation.manifest\n    attribute_names: [source-ref, mask-ref]\n",
    );
    const plan = await tuningPlan(text);
    const request = buildCreateTuningJobRequest(plan, plan.branches[0]!, STACK);
    expect(request.TrainingJobDefinition?.AlgorithmSpecification?.TrainingInputMode).toBe("Pipe");
    expect(checkAgainstModel(request)).toEqual({ violations: [], typeMismatches: [] });
  });

  it("is the plan's template plus the stack: exactly this request", async () => {
    const plan = await tuningPlan(
      sweepText(
        "learning_rate: {log_uniform: [0.0001, 0.1]}",
        "strategy: bayesian\nsamples: 8\nresources:\n  spot: true\n  max_runtime: 2h",
      ),
    );
    const branch = plan.branches[0]!;
    const name = branch.request.HyperParameterTuningJobName;
    expect(buildCreateTuningJobRequest(plan, branch, STACK, { gitCommit: "0123abc" })).toEqual({
      HyperParameterTuningJobName: name,
      HyperParameterTuningJobConfig: {
        Strategy: "Bayesian",
        HyperParameterTuningJobObjective: { Type: "Maximize", MetricName: "validation:mIOU" },
        ResourceLimits: { MaxNumberOfTrainingJobs: 8, MaxParallelTrainingJobs: 2 },
        ParameterRanges: {
          IntegerParameterRanges: [],
          ContinuousParameterRanges: [{ Name: "learning_rate", MinValue: "0.0001", MaxValue: "0.1", ScalingType: "Logarithmic" }],
          CategoricalParameterRanges: [],
        },
        TrainingJobEarlyStoppingType: "Off",
      },
      TrainingJobDefinition: {
        AlgorithmSpecification: { TrainingImage: STACK.trainingImage, TrainingInputMode: "File" },
        RoleArn: STACK.trainingRoleArn,
        StaticHyperParameters: branch.request.TrainingJobDefinition.StaticHyperParameters,
        InputDataConfig: [
          ["train", "s3://bucket/train/", "image/jpeg"],
          ["validation", "s3://bucket/validation/", "image/jpeg"],
          ["train_annotation", "s3://bucket/train_annotation/", "image/png"],
          ["validation_annotation", "s3://bucket/validation_annotation/", "image/png"],
        ].map(([channel, uri, type]) => ({
          ChannelName: channel,
          ContentType: type,
          DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: uri, S3DataDistributionType: "FullyReplicated" } },
        })),
        OutputDataConfig: { S3OutputPath: "s3://segsweep-test/outputs/test-sweep/" },
        ResourceConfig: { InstanceType: "ml.p3.2xlarge", InstanceCount: 1, VolumeSizeInGB: 50 },
        StoppingCondition: { MaxRuntimeInSeconds: 7200, MaxWaitTimeInSeconds: 14_400 },
        EnableManagedSpotTraining: true,
        CheckpointConfig: { S3Uri: `s3://segsweep-test/checkpoints/test-sweep/${name}/` },
      },
      Tags: [
        { Key: "segsweep:campaign", Value: "test-sweep" },
        { Key: "segsweep:sweep-file", Value: expect.stringMatching(/sweep\.yaml$/) },
        { Key: "segsweep:git-commit", Value: "0123abc" },
      ],
    });
  });
});
