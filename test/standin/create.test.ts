import {
  CreateTrainingJobCommand,
  DescribeTrainingJobCommand,
  ListTrainingJobsCommand,
  StopTrainingJobCommand,
} from "@aws-sdk/client-sagemaker";
import { describe, expect, it } from "vitest";
import { startStandin } from "../../src/standin/index.js";
import { HOUR, manualClock, rejection, sageMakerClient, standin, trainingRequest } from "./helpers.js";

describe("name uniqueness", () => {
  it("answers a second create of a name with ResourceInUse and SageMaker's message", async () => {
    const target = await standin({ clock: manualClock() });
    const client = sageMakerClient(target);
    await client.send(new CreateTrainingJobCommand(trainingRequest("demo-0001")));
    const error = await rejection(client.send(new CreateTrainingJobCommand(trainingRequest("demo-0001"))));
    expect(error.name).toBe("ResourceInUse");
    expect(error.message).toBe(
      "Training job names must be unique within an AWS account and region, and a training job with this name already exists (arn:aws:sagemaker:us-east-1:123456789012:training-job/demo-0001)",
    );
    expect(target.stats().createsByName).toEqual({ "demo-0001": 1 });
  });

  it("treats names that differ only in case as the same job (ARNs are lower case)", async () => {
    const client = sageMakerClient(await standin({ clock: manualClock() }));
    await client.send(new CreateTrainingJobCommand(trainingRequest("Demo-Case")));
    expect((await rejection(client.send(new CreateTrainingJobCommand(trainingRequest("demo-case"))))).name).toBe("ResourceInUse");
    const described = await client.send(new DescribeTrainingJobCommand({ TrainingJobName: "DEMO-CASE" }));
    expect(described.TrainingJobName).toBe("Demo-Case");
  });

  it("keeps a name taken after its job ended", async () => {
    const clock = manualClock();
    const client = sageMakerClient(await standin({ clock, duration: () => 600 }));
    await client.send(new CreateTrainingJobCommand(trainingRequest("demo-done")));
    clock.advance(HOUR);
    expect((await rejection(client.send(new CreateTrainingJobCommand(trainingRequest("demo-done"))))).name).toBe("ResourceInUse");
  });
});

describe("the instance quota", () => {
  it("refuses the create that would pass the quota, with the real message, and admits it once a job ends", async () => {
    const clock = manualClock();
    const target = await standin({ clock, instanceQuota: 2, duration: (request) => (request.TrainingJobName === "q-1" ? 600 : 7200) });
    const client = sageMakerClient(target);
    await client.send(new CreateTrainingJobCommand(trainingRequest("q-1")));
    await client.send(new CreateTrainingJobCommand(trainingRequest("q-2")));
    const error = await rejection(client.send(new CreateTrainingJobCommand(trainingRequest("q-3"))));
    expect(error.name).toBe("ResourceLimitExceeded");
    expect(error.message).toMatch(
      /^The account-level service limit 'Number of instances across all training jobs' is 2 Instances, with current utilization of 2 Instances and a request delta of 1 Instances\. /,
    );
    clock.advance(601_000);
    await client.send(new CreateTrainingJobCommand(trainingRequest("q-3")));
    expect(target.stats().createsByName).toEqual({ "q-1": 1, "q-2": 1, "q-3": 1 });
  });

  it("counts instances, and a job still Stopping holds its instances", async () => {
    const clock = manualClock();
    const client = sageMakerClient(await standin({ clock, instanceQuota: 3, duration: () => 7200 }));
    await client.send(
      new CreateTrainingJobCommand(
        trainingRequest("big", { ResourceConfig: { InstanceType: "ml.p3.2xlarge", InstanceCount: 2, VolumeSizeInGB: 50 } }),
      ),
    );
    await client.send(new CreateTrainingJobCommand(trainingRequest("small-1")));
    await client.send(new StopTrainingJobCommand({ TrainingJobName: "small-1" }));
    const error = await rejection(client.send(new CreateTrainingJobCommand(trainingRequest("small-2"))));
    expect(error.message).toContain("with current utilization of 3 Instances");
    clock.advance(120_000);
    await client.send(new CreateTrainingJobCommand(trainingRequest("small-2")));
  });

  it("keeps spot instances under their own quota", async () => {
    const client = sageMakerClient(await standin({ clock: manualClock(), instanceQuota: 1, duration: () => 7200 }));
    await client.send(new CreateTrainingJobCommand(trainingRequest("on-demand")));
    const spot = (name: string) =>
      trainingRequest(name, {
        EnableManagedSpotTraining: true,
        StoppingCondition: { MaxRuntimeInSeconds: 7200, MaxWaitTimeInSeconds: 10_800 },
        CheckpointConfig: { S3Uri: `s3://segsweep-data/checkpoints/demo/${name}/` },
      });
    await client.send(new CreateTrainingJobCommand(spot("spot-1")));
    const error = await rejection(client.send(new CreateTrainingJobCommand(spot("spot-2"))));
    expect(error.message).toContain("'Number of instances across all spot training jobs' is 1 Instances");
  });
});

describe("throttling", () => {
  it("is a ThrottlingException the SDK's standard retry strategy retries", async () => {
    const target = await standin({ clock: manualClock(), throttleRate: 0.5, seed: 7 });
    const client = sageMakerClient(target, 20);
    let retried = 0;
    for (let i = 0; i < 20; i++) {
      const output = await client.send(new ListTrainingJobsCommand({}));
      retried += (output.$metadata.attempts ?? 1) - 1;
    }
    const stats = target.stats();
    expect(retried).toBeGreaterThan(0);
    expect(stats.throttled).toBe(retried);
    expect(stats.calls.ListTrainingJobs).toBe(20 + retried);
  });

  it("answers 'Rate exceeded' and gives up after the client's attempts", async () => {
    const client = sageMakerClient(await standin({ clock: manualClock(), throttleRate: 1 }), 3);
    const error = await rejection(client.send(new DescribeTrainingJobCommand({ TrainingJobName: "any" })));
    expect(error.name).toBe("ThrottlingException");
    expect(error.message).toBe("Rate exceeded");
    expect(error.$metadata.attempts).toBe(3);
  });

  it("can throttle one operation only", async () => {
    const client = sageMakerClient(await standin({ clock: manualClock(), throttleRate: { CreateTrainingJob: 1 } }));
    expect((await rejection(client.send(new CreateTrainingJobCommand(trainingRequest("t-1"))))).name).toBe("ThrottlingException");
    expect((await client.send(new ListTrainingJobsCommand({}))).TrainingJobSummaries).toEqual([]);
  });

  it("throttles the same calls for the same seed", async () => {
    const pattern = async (): Promise<number[]> => {
      const client = sageMakerClient(await standin({ clock: manualClock(), throttleRate: 0.3, seed: 42 }), 10);
      const attempts: number[] = [];
      for (let i = 0; i < 10; i++) attempts.push((await client.send(new ListTrainingJobsCommand({}))).$metadata.attempts ?? 1);
      return attempts;
    };
    expect(await pattern()).toEqual(await pattern());
  });
});

describe("options", () => {
  it("refuses bad numbers up front, naming the option", async () => {
    await expect(startStandin({ throttleRate: 1.5 })).rejects.toThrow(/invalid stand-in options:[\s\S]*throttleRate/);
    await expect(startStandin({ failureRates: { algorithm: 0.7, capacity: 0.5 } })).rejects.toThrow(/must add up to at most 1/);
    await expect(startStandin({ timeScale: 0 })).rejects.toThrow(/timeScale/);
  });
});
