import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { createSageMakerBackend } from "../../src/backend/sagemaker.js";
import { BackendError } from "../../src/backend/types.js";
import { createFakeClock } from "../kit/clock.js";
import { errorResponse, type JsonServer, type ScriptedResponse, startJsonServer } from "./json-server.js";

type Fixture = { status: number; type: string; message: string };
const ERRORS = JSON.parse(readFileSync(new URL("./fixtures/sagemaker-errors.json", import.meta.url), "utf8")) as Record<string, Fixture>;
const error = (name: string): ScriptedResponse => errorResponse(ERRORS[name]!);
const ok = (body: unknown = {}): ScriptedResponse => ({ status: 200, body });

const REQUEST = {
  TrainingJobName: "seg-test-0123456789ab",
  RoleArn: "arn:aws:iam::123456789012:role/r",
  OutputDataConfig: { S3OutputPath: "s3://b/o/" },
};

let server: JsonServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function backendAnswering(
  script: (operation: string, body: Record<string, unknown>, index: number) => ScriptedResponse,
  maxAttempts = 4,
) {
  server = await startJsonServer(script);
  const clock = createFakeClock();
  return createSageMakerBackend({ region: "us-east-1", endpoint: server.endpoint, clock, maxAttempts, random: () => 0.5 });
}

async function rejection(promise: Promise<unknown>): Promise<BackendError> {
  const failure = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(failure).toBeInstanceOf(BackendError);
  return failure as BackendError;
}

describe("the SageMaker backend through the real SDK", () => {
  it("sends the request as given and counts the call", async () => {
    const backend = await backendAnswering(() =>
      ok({ TrainingJobArn: "arn:aws:sagemaker:us-east-1:123456789012:training-job/seg-test-0123456789ab" }),
    );
    await expect(backend.createJob(REQUEST)).resolves.toBe("created");
    expect(server?.requests).toEqual([{ operation: "CreateTrainingJob", body: REQUEST }]);
    expect(backend.calls).toEqual({ CreateTrainingJob: 1 });
  });

  it("retries ThrottlingException with backoff on its clock, counting every attempt", async () => {
    const backend = await backendAnswering((_, __, index) => (index < 2 ? error("ThrottlingException") : ok()));
    await expect(backend.createJob(REQUEST)).resolves.toBe("created");
    expect(backend.calls.CreateTrainingJob).toBe(3);
  });

  it("takes ResourceInUse on create as the job existing, also when a retried create finds its own first call", async () => {
    const backend = await backendAnswering((_, __, index) => (index === 0 ? error("InternalFailure") : error("ResourceInUse")));
    await expect(backend.createJob(REQUEST)).resolves.toBe("exists");
    expect(backend.calls.CreateTrainingJob).toBe(2);
  });

  it.each([
    ["ResourceLimitExceeded", "quota"],
    ["ValidationException", "validation"],
    ["AccessDeniedException", "access-denied"],
  ])("classifies %s as %s and does not retry it", async (name, kind) => {
    const backend = await backendAnswering(() => error(name));
    const failure = await rejection(backend.createJob(REQUEST));
    expect(failure).toMatchObject({ kind, code: name, message: ERRORS[name]!.message });
    expect(backend.calls.CreateTrainingJob).toBe(1);
  });

  it("gives up on a server error after maxAttempts, as a transient error", async () => {
    const backend = await backendAnswering(() => error("InternalFailure"), 3);
    const failure = await rejection(backend.describeJob("x"));
    expect(failure.kind).toBe("transient");
    expect(backend.calls.DescribeTrainingJob).toBe(3);
  });

  it("lists a campaign in pages of 100 by name prefix and creation time, following NextToken, keeping only its own names", async () => {
    const summaries = Array.from({ length: 250 }, (_, i) => ({
      TrainingJobName: i % 50 === 49 ? `other-seg-test-${i}` : `seg-test-${String(i).padStart(12, "0")}`,
      TrainingJobArn: `arn:aws:sagemaker:us-east-1:123456789012:training-job/x${i}`,
      CreationTime: 1_900_000_000 + i,
      TrainingJobStatus: i < 200 ? "Completed" : "InProgress",
      SecondaryStatus: i < 200 ? "Completed" : "Training",
    }));
    const backend = await backendAnswering((_, body) => {
      const start = Number(body.NextToken ?? 0);
      const next = start + 100 < summaries.length ? { NextToken: String(start + 100) } : {};
      return ok({ TrainingJobSummaries: summaries.slice(start, start + 100), ...next });
    });

    const jobs = await backend.listJobs("seg-test-", { createdAfter: 1_800_000_000_000 });

    expect(backend.calls.ListTrainingJobs).toBe(3);
    expect(jobs).toHaveLength(245);
    expect(jobs[0]).toEqual({
      name: "seg-test-000000000000",
      status: "Completed",
      createdAt: 1_900_000_000_000,
      secondaryStatus: "Completed",
    });
    expect(server?.requests[0]?.body).toEqual({
      MaxResults: 100,
      SortBy: "CreationTime",
      SortOrder: "Ascending",
      NameContains: "seg-test-",
      CreationTimeAfter: 1_800_000_000,
    });
    expect(server?.requests[1]?.body).toMatchObject({ NextToken: "100" });
  });

  it("describes a job: final metrics by name, billable time, failure reason", async () => {
    const backend = await backendAnswering(() =>
      ok({
        TrainingJobName: "seg-test-0123456789ab",
        TrainingJobArn: "arn:aws:sagemaker:us-east-1:123456789012:training-job/seg-test-0123456789ab",
        TrainingJobStatus: "Completed",
        SecondaryStatus: "Completed",
        CreationTime: 1_900_000_000,
        TrainingStartTime: 1_900_000_100,
        TrainingEndTime: 1_900_003_700,
        BillableTimeInSeconds: 3600,
        TrainingTimeInSeconds: 3600,
        ResourceConfig: { InstanceType: "ml.p3.2xlarge", InstanceCount: 1, VolumeSizeInGB: 50 },
        HyperParameters: { learning_rate: "0.01" },
        FinalMetricDataList: [
          { MetricName: "validation:mIOU", Value: 0.61, Timestamp: 1_900_003_600 },
          { MetricName: "validation:pixel_accuracy", Value: 0.9, Timestamp: 1_900_003_600 },
        ],
        AlgorithmSpecification: { TrainingInputMode: "File" },
        ModelArtifacts: { S3ModelArtifacts: "s3://b/o/model.tar.gz" },
        RoleArn: "arn:aws:iam::123456789012:role/r",
        StoppingCondition: { MaxRuntimeInSeconds: 86400 },
      }),
    );
    await expect(backend.describeJob("seg-test-0123456789ab")).resolves.toEqual({
      name: "seg-test-0123456789ab",
      status: "Completed",
      secondaryStatus: "Completed",
      createdAt: 1_900_000_000_000,
      startedAt: 1_900_000_100_000,
      endedAt: 1_900_003_700_000,
      billableSeconds: 3600,
      trainingSeconds: 3600,
      instanceType: "ml.p3.2xlarge",
      instanceCount: 1,
      hyperparameters: { learning_rate: "0.01" },
      metrics: { "validation:mIOU": 0.61, "validation:pixel_accuracy": 0.9 },
    });
  });
});

describe("endpoint from the environment", () => {
  it("honours AWS_ENDPOINT_URL_SAGEMAKER (the SDK's service-specific endpoint variable)", async () => {
    server = await startJsonServer(() => ok({ TrainingJobSummaries: [] }));
    const saved = process.env.AWS_ENDPOINT_URL_SAGEMAKER;
    process.env.AWS_ENDPOINT_URL_SAGEMAKER = server.endpoint;
    try {
      const backend = createSageMakerBackend({ region: "us-east-1" });
      await expect(backend.listJobs("seg-test-")).resolves.toEqual([]);
      expect(server.requests).toHaveLength(1);
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_SAGEMAKER;
      else process.env.AWS_ENDPOINT_URL_SAGEMAKER = saved;
    }
  });
});
