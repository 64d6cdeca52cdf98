import { SageMakerClient } from "@aws-sdk/client-sagemaker";
import { afterEach, describe, expect, it } from "vitest";
import { buildCreateTrainingJobRequest } from "../../src/backend/request.js";
import { createSageMakerBackend } from "../../src/backend/sagemaker.js";
import { createTrainingUsageReader } from "../../src/backend/training-usage.js";
import type { PlannedJob } from "../../src/plan/types.js";
import { type Standin, startStandin } from "../../src/standin/index.js";
import { stackIn } from "../kit/stack.js";

const STACK_OUTPUTS = stackIn("eu-west-1", "685385470294.dkr.ecr.eu-west-1.amazonaws.com/semantic-segmentation:1");

import { makePlan, T0 } from "../report/fixtures.js";

/** In-progress usage read with Search from the SageMaker stand-in, through the real SDK. */

let standin: Standin | undefined;
afterEach(async () => {
  await standin?.close();
  standin = undefined;
});

const points = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => ({ learning_rate: `0.00${i + 1}`, note: prefix }));

describe("the training usage reader", () => {
  it("returns every in-progress job with its instance type, count and purchase option, one Search per 100 jobs", async () => {
    const clock = { time: T0 };
    // Jobs of campaign "short" end after a minute; the others run for an hour.
    standin = await startStandin({
      clock: { now: () => clock.time },
      duration: (request) => (request.TrainingJobName?.startsWith("short-") ? 60 : 3600),
    });
    const backend = createSageMakerBackend({ region: "us-east-1", endpoint: standin.endpoint });
    const onDemand = makePlan({ campaign: "p3", points: points(120, "a") });
    const spot = makePlan({
      campaign: "g5",
      points: points(3, "b"),
      resources: { instanceType: "ml.g5.xlarge", spot: true, maxWaitSeconds: 90_000 },
    });
    const short = makePlan({ campaign: "short", points: points(2, "c") });
    for (const plan of [onDemand, spot, short])
      for (const job of plan.jobs) await backend.createJob(buildCreateTrainingJobRequest(plan, job as PlannedJob, 0, STACK_OUTPUTS));
    clock.time += 10 * 60_000;

    const reader = createTrainingUsageReader(new SageMakerClient({ region: "us-east-1", endpoint: standin.endpoint, maxAttempts: 1 }));
    const jobs = await reader.inProgressJobs();
    expect(jobs).toHaveLength(123);
    expect(jobs.filter((job) => job.name.startsWith("short-"))).toEqual([]);
    expect(jobs.filter((job) => job.instanceType === "ml.p3.2xlarge" && !job.spot && job.instanceCount === 1)).toHaveLength(120);
    expect(jobs.filter((job) => job.instanceType === "ml.g5.xlarge" && job.spot)).toHaveLength(3);
    expect(reader.calls).toEqual({ Search: 2 });
  });

  it("rejects with a classified error when Search is refused", async () => {
    standin = await startStandin({ throttleRate: { Search: 1 } });
    const reader = createTrainingUsageReader(new SageMakerClient({ region: "us-east-1", endpoint: standin.endpoint, maxAttempts: 1 }));
    await expect(reader.inProgressJobs()).rejects.toMatchObject({ kind: "throttled", code: "ThrottlingException" });
  });
});
