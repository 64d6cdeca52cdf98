import {
  CreateHyperParameterTuningJobCommand,
  type CreateHyperParameterTuningJobRequest,
  DescribeHyperParameterTuningJobCommand,
  DescribeTrainingJobCommand,
  ListTagsCommand,
  ListTrainingJobsForHyperParameterTuningJobCommand,
  type SageMakerClient,
  StopHyperParameterTuningJobCommand,
} from "@aws-sdk/client-sagemaker";
import { describe, expect, it } from "vitest";
import { AMT_TRAINING_JOB_NAME } from "../../src/catalog/tuning.js";
import { HOUR, type ManualClock, manualClock, rejection, sageMakerClient, standin } from "./helpers.js";
import { bayesianRequest, tuningRequests } from "./tuning-helpers.js";

async function describeTuning(client: SageMakerClient, name: string) {
  return client.send(new DescribeHyperParameterTuningJobCommand({ HyperParameterTuningJobName: name }));
}

async function allTrainingJobs(client: SageMakerClient, name: string) {
  return (
    (await client.send(new ListTrainingJobsForHyperParameterTuningJobCommand({ HyperParameterTuningJobName: name, MaxResults: 100 })))
      .TrainingJobSummaries ?? []
  );
}

/** Moves the clock in steps, checking after each that at most `parallel` jobs are in progress. */
async function runToEnd(client: SageMakerClient, clock: ManualClock, name: string, parallel: number): Promise<number> {
  let peak = 0;
  for (let step = 0; step < 200; step++) {
    const jobs = await allTrainingJobs(client, name);
    const running = jobs.filter((j) => j.TrainingJobStatus === "InProgress" || j.TrainingJobStatus === "Stopping").length;
    peak = Math.max(peak, running);
    expect(running).toBeLessThanOrEqual(parallel);
    if ((await describeTuning(client, name)).HyperParameterTuningJobStatus !== "InProgress") return peak;
    clock.advance(HOUR / 4);
  }
  throw new Error("the tuning job did not end");
}

describe("a tuning job in the stand-in, through the real SDK", () => {
  it("launches MaxParallelTrainingJobs at once, named and tagged as AMT does, with values from the ranges", async () => {
    const clock = manualClock();
    const client = sageMakerClient(await standin({ clock }));
    const request = await bayesianRequest(6, 2);
    const name = request.HyperParameterTuningJobName ?? "";
    const created = await client.send(new CreateHyperParameterTuningJobCommand(request));
    expect(created.HyperParameterTuningJobArn).toBe(`arn:aws:sagemaker:us-east-1:123456789012:hyper-parameter-tuning-job/${name}`);

    const described = await describeTuning(client, name);
    expect(described.HyperParameterTuningJobStatus).toBe("InProgress");
    expect(described.HyperParameterTuningJobConfig).toEqual(request.HyperParameterTuningJobConfig);
    expect(described.TrainingJobStatusCounters).toEqual({
      Completed: 0,
      InProgress: 2,
      RetryableError: 0,
      NonRetryableError: 0,
      Stopped: 0,
    });

    const jobs = await allTrainingJobs(client, name);
    expect(jobs).toHaveLength(2);
    for (const job of jobs) {
      expect(job.TrainingJobName).toMatch(AMT_TRAINING_JOB_NAME);
      expect(job.TrainingJobName?.startsWith(`${name}-`)).toBe(true);
      expect(job.TuningJobName).toBe(name);
      const tuned = job.TunedHyperParameters ?? {};
      expect(Object.keys(tuned).sort()).toEqual(["learning_rate", "mini_batch_size"]);
      expect(Number(tuned.learning_rate)).toBeGreaterThanOrEqual(0.0001);
      expect(Number(tuned.learning_rate)).toBeLessThanOrEqual(0.1);
      expect(["8", "16"]).toContain(tuned.mini_batch_size);
      const training = await client.send(new DescribeTrainingJobCommand({ TrainingJobName: job.TrainingJobName }));
      expect(training.TuningJobArn).toBe(created.HyperParameterTuningJobArn);
      expect(training.HyperParameters).toEqual({ ...request.TrainingJobDefinition?.StaticHyperParameters, ...tuned });
      expect(training.RoleArn).toBe(request.TrainingJobDefinition?.RoleArn);
      const tags = await client.send(new ListTagsCommand({ ResourceArn: job.TrainingJobArn }));
      expect(tags.Tags).toEqual(request.Tags);
    }
  });

  it("keeps at most MaxParallelTrainingJobs running, ends when MaxNumberOfTrainingJobs ended, and reports the best", async () => {
    const clock = manualClock();
    const client = sageMakerClient(await standin({ clock, durationLogNormal: { medianSeconds: 1800, sigma: 0.6 } }));
    const request = await bayesianRequest(7, 3);
    const name = request.HyperParameterTuningJobName ?? "";
    await client.send(new CreateHyperParameterTuningJobCommand(request));
    expect(await runToEnd(client, clock, name, 3)).toBe(3);

    const described = await describeTuning(client, name);
    const jobs = await allTrainingJobs(client, name);
    expect(described.HyperParameterTuningJobStatus).toBe("Completed");
    expect(jobs).toHaveLength(7);
    expect(described.TrainingJobStatusCounters?.Completed).toBe(7);
    expect(described.ObjectiveStatusCounters).toEqual({ Succeeded: 7, Pending: 0, Failed: 0 });
    const values = jobs.map((j) => j.FinalHyperParameterTuningJobObjectiveMetric?.Value ?? -1);
    expect(described.BestTrainingJob?.FinalHyperParameterTuningJobObjectiveMetric).toEqual({
      Type: "Maximize",
      MetricName: "validation:mIOU",
      Value: Math.max(...values),
    });
    const lastEnd = Math.max(...jobs.map((j) => j.TrainingEndTime?.getTime() ?? 0));
    expect(described.HyperParameterTuningEndTime?.getTime()).toBe(lastEnd);
  });

  it("pages, sorts and filters a tuning job's training jobs", async () => {
    const clock = manualClock();
    const client = sageMakerClient(await standin({ clock }));
    const request = await bayesianRequest(5, 5);
    const name = request.HyperParameterTuningJobName ?? "";
    await client.send(new CreateHyperParameterTuningJobCommand(request));
    const list = (input: Record<string, unknown>) =>
      client.send(new ListTrainingJobsForHyperParameterTuningJobCommand({ HyperParameterTuningJobName: name, ...input }));
    const first = await list({ MaxResults: 2 });
    const second = await list({ MaxResults: 2, NextToken: first.NextToken });
    const third = await list({ MaxResults: 2, NextToken: second.NextToken });
    const names = [
      ...(first.TrainingJobSummaries ?? []),
      ...(second.TrainingJobSummaries ?? []),
      ...(third.TrainingJobSummaries ?? []),
    ].map((j) => j.TrainingJobName);
    expect(third.NextToken).toBeUndefined();
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(5);
    expect((await list({})).TrainingJobSummaries).toHaveLength(5);
    // Nothing has a metric yet: sorting by it lists nothing.
    expect((await list({ SortBy: "FinalObjectiveMetricValue" })).TrainingJobSummaries).toEqual([]);
    clock.advance(24 * HOUR);
    const ranked = (await list({ SortBy: "FinalObjectiveMetricValue", SortOrder: "Descending" })).TrainingJobSummaries ?? [];
    const values = ranked.map((j) => j.FinalHyperParameterTuningJobObjectiveMetric?.Value ?? 0);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    expect((await list({ StatusEquals: "InProgress" })).TrainingJobSummaries).toEqual([]);
    expect((await rejection(list({ NextToken: "bogus" }))).name).toBe("ValidationException");
  });

  it("stops: no more launches, its running jobs stop, then Stopped", async () => {
    const clock = manualClock();
    const client = sageMakerClient(await standin({ clock }));
    const request = await bayesianRequest(10, 2);
    const name = request.HyperParameterTuningJobName ?? "";
    await client.send(new CreateHyperParameterTuningJobCommand(request));
    clock.advance(60_000);
    await client.send(new StopHyperParameterTuningJobCommand({ HyperParameterTuningJobName: name }));
    expect((await describeTuning(client, name)).HyperParameterTuningJobStatus).toBe("Stopping");
    expect((await allTrainingJobs(client, name)).map((j) => j.TrainingJobStatus)).toEqual(["Stopping", "Stopping"]);
    clock.advance(HOUR);
    const described = await describeTuning(client, name);
    expect(described.HyperParameterTuningJobStatus).toBe("Stopped");
    expect(described.TrainingJobStatusCounters?.Stopped).toBe(2);
    expect(await allTrainingJobs(client, name)).toHaveLength(2);
    const again = await rejection(client.send(new StopHyperParameterTuningJobCommand({ HyperParameterTuningJobName: name })));
    expect(again.name).toBe("ValidationException");
  });

  it("answers ResourceInUse for a name that exists (names ignore case) and ResourceNotFound for one that does not", async () => {
    const client = sageMakerClient(await standin({ clock: manualClock() }));
    const request = await bayesianRequest(2, 1);
    await client.send(new CreateHyperParameterTuningJobCommand(request));
    const upper = { ...request, HyperParameterTuningJobName: request.HyperParameterTuningJobName?.toUpperCase() };
    expect((await rejection(client.send(new CreateHyperParameterTuningJobCommand(upper)))).name).toBe("ResourceInUse");
    expect((await rejection(describeTuning(client, "no-such-tuning-job"))).name).toBe("ResourceNotFound");
  });
});

describe("what the stand-in refuses, as AMT does", () => {
  const refusal = async (request: CreateHyperParameterTuningJobRequest) => {
    const client = sageMakerClient(await standin({ clock: manualClock() }));
    return rejection(client.send(new CreateHyperParameterTuningJobCommand(request)));
  };

  it("checks the request against the API model (a name over 32 characters)", async () => {
    const request = await bayesianRequest(2, 1);
    const error = await refusal({ ...request, HyperParameterTuningJobName: "x".repeat(33) });
    expect(error.name).toBe("ValidationException");
    // 33 characters break both the length and the pattern ({0,31} after the first character).
    expect(error.message).toBe(
      `2 validation errors detected: Value '${"x".repeat(33)}' at 'hyperParameterTuningJobName' failed to satisfy constraint: Member must have length less than or equal to 32; Value '${"x".repeat(33)}' at 'hyperParameterTuningJobName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}`,
    );
  });

  it("refuses a grid with a numeric range or with more jobs than combinations", async () => {
    const [grid] = await tuningRequests("backbone: [resnet-50, resnet-101]", "engine: tuning");
    const config = grid?.HyperParameterTuningJobConfig;
    const more = {
      ...grid,
      HyperParameterTuningJobConfig: { ...config, ResourceLimits: { MaxParallelTrainingJobs: 1, MaxNumberOfTrainingJobs: 3 } },
    };
    expect((await refusal(more as CreateHyperParameterTuningJobRequest)).message).toBe(
      "The number of combinations [2] must be equal or greater than MaxNumberOfJobs [3]",
    );
    const ranges = {
      ...config?.ParameterRanges,
      ContinuousParameterRanges: [{ Name: "learning_rate", MinValue: "0.001", MaxValue: "0.1" }],
    };
    const numeric = { ...grid, HyperParameterTuningJobConfig: { ...config, ParameterRanges: ranges } };
    expect((await refusal(numeric as CreateHyperParameterTuningJobRequest)).message).toContain(
      "Only categorical parameters are supported when using the grid search strategy",
    );
  });

  it("refuses Hyperband with early stopping Auto, and more than 30 searched values", async () => {
    const [hyperband] = await tuningRequests("learning_rate: [0.01, 0.1]", "strategy: hyperband\nsamples: 4");
    const auto = {
      ...hyperband,
      HyperParameterTuningJobConfig: { ...hyperband?.HyperParameterTuningJobConfig, TrainingJobEarlyStoppingType: "Auto" },
    };
    expect((await refusal(auto as CreateHyperParameterTuningJobRequest)).message).toBe(
      "TrainingJobEarlyStoppingType must be OFF to use Hyperband",
    );
    const request = await bayesianRequest(2, 1);
    const values = Array.from({ length: 31 }, (_, i) => String(i + 17));
    const wide = {
      ...request,
      HyperParameterTuningJobConfig: {
        ...request.HyperParameterTuningJobConfig,
        ParameterRanges: { CategoricalParameterRanges: [{ Name: "base_size", Values: values }] },
      },
    };
    expect((await refusal(wide as CreateHyperParameterTuningJobRequest)).name).toBe("ValidationException");
  });

  it("refuses a warm start whose parent does not exist or sends other hyperparameter names, in SageMaker's words", async () => {
    const client = sageMakerClient(await standin({ clock: manualClock() }));
    const parent = await bayesianRequest(2, 1);
    await client.send(new CreateHyperParameterTuningJobCommand(parent));
    const child = await bayesianRequest(3, 1);
    const warm = (name: string, statics: Record<string, string>) => ({
      ...child,
      TrainingJobDefinition: {
        ...child.TrainingJobDefinition,
        StaticHyperParameters: statics,
      } as CreateHyperParameterTuningJobRequest["TrainingJobDefinition"],
      WarmStartConfig: {
        ParentHyperParameterTuningJobs: [{ HyperParameterTuningJobName: name }],
        WarmStartType: "TransferLearning" as const,
      },
    });
    const statics = child.TrainingJobDefinition?.StaticHyperParameters ?? {};
    expect((await rejection(client.send(new CreateHyperParameterTuningJobCommand(warm("nope", statics))))).name).toBe("ResourceNotFound");
    const parentName = parent.HyperParameterTuningJobName ?? "";
    const different = await rejection(
      client.send(new CreateHyperParameterTuningJobCommand(warm(parentName, { ...statics, gamma1: "0.9" }))),
    );
    expect(different.message).toBe(
      "The set of tunable plus static HyperParameter names is not the same across current and parent tuning jobs. Please ensure this set is constant when warm starting.",
    );
    await expect(client.send(new CreateHyperParameterTuningJobCommand(warm(parentName, statics)))).resolves.toBeDefined();
  });
});
