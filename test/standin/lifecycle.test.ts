import {
  CreateTrainingJobCommand,
  DescribeTrainingJobCommand,
  type SageMakerClient,
  SearchCommand,
  StopTrainingJobCommand,
} from "@aws-sdk/client-sagemaker";
import { describe, expect, it } from "vitest";
import { FAILURE_REASONS, simulatedMetrics } from "../../src/standin/index.js";
import { HOUR, manualClock, rejection, sageMakerClient, standin, trainingRequest } from "./helpers.js";

async function describeJob(client: SageMakerClient, name: string) {
  return client.send(new DescribeTrainingJobCommand({ TrainingJobName: name }));
}

describe("a job's life follows the clock", () => {
  it("goes Starting -> Downloading -> Training -> Uploading -> Completed over its duration", async () => {
    const clock = manualClock();
    const client = sageMakerClient(await standin({ clock, duration: () => 10_000 }));
    await client.send(new CreateTrainingJobCommand(trainingRequest("life-1")));
    const seen: string[] = [];
    for (let second = 0; second <= 10_000; second += 250) {
      const job = await describeJob(client, "life-1");
      const label = `${job.TrainingJobStatus}/${job.SecondaryStatus}`;
      if (seen[seen.length - 1] !== label) seen.push(label);
      clock.advance(250_000);
    }
    expect(seen).toEqual([
      "InProgress/Starting",
      "InProgress/Downloading",
      "InProgress/Training",
      "InProgress/Uploading",
      "Completed/Completed",
    ]);
  });

  it("reports metrics, times and what was sent once completed", async () => {
    const clock = manualClock();
    const client = sageMakerClient(await standin({ clock, duration: () => 3600 }));
    const request = trainingRequest("life-2");
    await client.send(new CreateTrainingJobCommand(request));
    clock.advance(HOUR);
    const job = await describeJob(client, "life-2");
    expect(job.TrainingJobStatus).toBe("Completed");
    const expected = simulatedMetrics(request.HyperParameters ?? {});
    expect(job.FinalMetricDataList?.map((m) => [m.MetricName, m.Value])).toEqual([
      ["validation:mIOU", expect.closeTo(expected.mIOU, 5)],
      ["validation:pixel_accuracy", expect.closeTo(expected.pixelAccuracy, 5)],
    ]);
    expect(job.CreationTime?.getTime()).toBe(Date.UTC(2030, 0, 1));
    expect(job.TrainingEndTime?.getTime()).toBe(Date.UTC(2030, 0, 1) + HOUR);
    // Starting takes 6% of the run; training time is the rest, all billed on demand.
    expect(job.TrainingTimeInSeconds).toBe(3384);
    expect(job.BillableTimeInSeconds).toBe(3384);
    expect(job.HyperParameters).toEqual(request.HyperParameters);
    expect(job.ResourceConfig).toEqual(request.ResourceConfig);
    expect(job.StoppingCondition).toEqual(request.StoppingCondition);
    expect(job.RoleArn).toBe(request.RoleArn);
    expect(job.InputDataConfig).toEqual(request.InputDataConfig);
    expect(job.ModelArtifacts?.S3ModelArtifacts).toBe("s3://segsweep-data/outputs/demo/life-2/output/model.tar.gz");
    expect(job.SecondaryStatusTransitions?.map((t) => t.Status)).toEqual(["Starting", "Downloading", "Training", "Uploading", "Completed"]);
  });

  it("bills spot jobs less than they trained", async () => {
    const clock = manualClock();
    const client = sageMakerClient(await standin({ clock, duration: () => 3600 }));
    await client.send(
      new CreateTrainingJobCommand(
        trainingRequest("life-spot", {
          EnableManagedSpotTraining: true,
          StoppingCondition: { MaxRuntimeInSeconds: 7200, MaxWaitTimeInSeconds: 7200 },
          CheckpointConfig: { S3Uri: "s3://segsweep-data/checkpoints/demo/life-spot/" },
        }),
      ),
    );
    clock.advance(HOUR);
    const job = await describeJob(client, "life-spot");
    expect(job.EnableManagedSpotTraining).toBe(true);
    expect(job.BillableTimeInSeconds).toBeLessThan((job.TrainingTimeInSeconds ?? 0) * 0.5);
  });

  it("runs timeScale times faster than the clock", async () => {
    const clock = manualClock();
    const client = sageMakerClient(await standin({ clock, timeScale: 240, duration: () => 2 * 3600 }));
    await client.send(new CreateTrainingJobCommand(trainingRequest("scaled")));
    clock.advance(29_000);
    expect((await describeJob(client, "scaled")).TrainingJobStatus).toBe("InProgress");
    clock.advance(1000);
    const job = await describeJob(client, "scaled");
    expect(job.TrainingJobStatus).toBe("Completed");
    expect(job.TrainingTimeInSeconds).toBe(6768);
    expect(job.TrainingEndTime?.getTime()).toBe(Date.UTC(2030, 0, 1) + 30_000);
  });

  it("stops past MaxRuntimeInSeconds, counted from the end of Starting", async () => {
    const clock = manualClock();
    const client = sageMakerClient(await standin({ clock, duration: () => 10_000 }));
    await client.send(new CreateTrainingJobCommand(trainingRequest("too-long", { StoppingCondition: { MaxRuntimeInSeconds: 3000 } })));
    clock.advance(3599_000);
    expect((await describeJob(client, "too-long")).TrainingJobStatus).toBe("InProgress");
    clock.advance(2000);
    expect((await describeJob(client, "too-long")).TrainingJobStatus).toBe("Stopping");
    clock.advance(60_000);
    const job = await describeJob(client, "too-long");
    expect([job.TrainingJobStatus, job.SecondaryStatus]).toEqual(["Stopped", "MaxRuntimeExceeded"]);
    expect(job.FinalMetricDataList).toBeUndefined();
  });
});

describe("failures", () => {
  it("fails jobs as the outcome option says, with SageMaker's FailureReason classes", async () => {
    const clock = manualClock();
    const client = sageMakerClient(
      await standin({
        clock,
        duration: () => 3600,
        outcome: ({ name, hyperParameters }) =>
          name.endsWith("cap")
            ? { failure: "capacity" }
            : hyperParameters.mini_batch_size === "64"
              ? { failure: "algorithm", reason: FAILURE_REASONS.outOfMemory }
              : { failure: "internal" },
      }),
    );
    await client.send(new CreateTrainingJobCommand(trainingRequest("f-cap")));
    await client.send(
      new CreateTrainingJobCommand(trainingRequest("f-oom", { HyperParameters: { num_classes: "21", mini_batch_size: "64" } })),
    );
    await client.send(new CreateTrainingJobCommand(trainingRequest("f-int")));
    clock.advance(HOUR);
    const capacity = await describeJob(client, "f-cap");
    expect([capacity.TrainingJobStatus, capacity.FailureReason]).toEqual([
      "Failed",
      "CapacityError: Insufficient capacity error from EC2 while launching instances",
    ]);
    // It never got instances: no training time, nothing billed.
    expect(capacity.TrainingStartTime).toBeUndefined();
    expect(capacity.BillableTimeInSeconds).toBeUndefined();
    const oom = await describeJob(client, "f-oom");
    expect(oom.FailureReason).toMatch(/^AlgorithmError: CUDA out of memory/);
    expect(oom.BillableTimeInSeconds).toBeGreaterThan(0);
    expect((await describeJob(client, "f-int")).FailureReason).toBe(
      "InternalServerError: We encountered an internal error. Please try again.",
    );
  });

  it("fails about the configured share of jobs, the same ones for the same seed", async () => {
    const run = async (): Promise<string[]> => {
      const clock = manualClock();
      const client = sageMakerClient(
        await standin({ clock, seed: 3, duration: () => 600, failureRates: { algorithm: 0.2, capacity: 0.1 } }),
      );
      for (let i = 0; i < 100; i++) await client.send(new CreateTrainingJobCommand(trainingRequest(`rate-${i}`)));
      clock.advance(HOUR);
      const found = await client.send(
        new SearchCommand({
          Resource: "TrainingJob",
          MaxResults: 100,
          SortBy: "TrainingJobName",
          SortOrder: "Ascending",
          SearchExpression: { Filters: [{ Name: "TrainingJobStatus", Operator: "Equals", Value: "Failed" }] },
        }),
      );
      return (found.Results ?? []).map((r) => `${r.TrainingJob?.TrainingJobName}:${r.TrainingJob?.FailureReason?.split(":")[0]}`);
    };
    const failed = await run();
    expect(failed.length).toBeGreaterThan(15);
    expect(failed.length).toBeLessThan(45);
    expect(new Set(failed.map((f) => f.split(":")[1]))).toEqual(new Set(["AlgorithmError", "ClientError", "CapacityError"]));
    expect(await run()).toEqual(failed);
  });
});

describe("StopTrainingJob", () => {
  it("moves a running job through Stopping to Stopped", async () => {
    const clock = manualClock();
    const client = sageMakerClient(await standin({ clock, duration: () => 7200 }));
    await client.send(new CreateTrainingJobCommand(trainingRequest("stop-me")));
    clock.advance(1000_000);
    await client.send(new StopTrainingJobCommand({ TrainingJobName: "stop-me" }));
    expect((await describeJob(client, "stop-me")).TrainingJobStatus).toBe("Stopping");
    await client.send(new StopTrainingJobCommand({ TrainingJobName: "stop-me" }));
    clock.advance(60_000);
    const job = await describeJob(client, "stop-me");
    expect([job.TrainingJobStatus, job.SecondaryStatus]).toEqual(["Stopped", "Stopped"]);
    expect(job.TrainingEndTime?.getTime()).toBe(Date.UTC(2030, 0, 1) + 1060_000);
    expect(job.BillableTimeInSeconds).toBe(1060 - 432);
  });

  it("refuses to stop an ended job, and answers unknown names with ResourceNotFound", async () => {
    const clock = manualClock();
    const client = sageMakerClient(await standin({ clock, duration: () => 600 }));
    await client.send(new CreateTrainingJobCommand(trainingRequest("ended")));
    clock.advance(HOUR);
    const ended = await rejection(client.send(new StopTrainingJobCommand({ TrainingJobName: "ended" })));
    expect([ended.name, ended.message]).toEqual([
      "ValidationException",
      "The request was rejected because the training job is in status Completed.",
    ]);
    expect((await rejection(client.send(new StopTrainingJobCommand({ TrainingJobName: "nobody" })))).name).toBe("ResourceNotFound");
    expect((await rejection(describeJob(client, "nobody"))).name).toBe("ResourceNotFound");
  });

  it("can answer unknown names as the real service does (ValidationException)", async () => {
    const client = sageMakerClient(await standin({ notFoundError: "ValidationException" }));
    const error = await rejection(describeJob(client, "nobody"));
    expect([error.name, error.message]).toEqual(["ValidationException", "Requested resource not found."]);
  });
});
