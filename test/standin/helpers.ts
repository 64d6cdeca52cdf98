import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { type CreateTrainingJobRequest, SageMakerClient } from "@aws-sdk/client-sagemaker";
import { SQSClient } from "@aws-sdk/client-sqs";
import { ConfiguredRetryStrategy } from "@smithy/core/retry";
import { afterEach } from "vitest";
import { type Standin, type StandinOptions, startStandin } from "../../src/standin/index.js";

/** A clock the test moves by hand. */
export interface ManualClock {
  now(): number;
  advance(ms: number): void;
}

/** Starts at 2030-01-01T00:00:00Z. */
export function manualClock(start = Date.UTC(2030, 0, 1)): ManualClock {
  let now = start;
  return {
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
  };
}

const credentials = { accessKeyId: "AKIDSTANDINTEST", secretAccessKey: "standin-test-secret" };
const running: Standin[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((standin) => standin.close()));
});

/** A stand-in closed after the test. */
export async function standin(options: StandinOptions = {}): Promise<Standin> {
  const started = await startStandin(options);
  running.push(started);
  return started;
}

/** The real SageMaker client pointed at the stand-in; `attempts` > 1 retries at once (no real waiting). */
export function sageMakerClient(target: Standin, attempts = 1): SageMakerClient {
  return new SageMakerClient({
    endpoint: target.endpoint,
    region: "us-east-1",
    credentials,
    retryStrategy: new ConfiguredRetryStrategy(attempts, () => 0),
  });
}

/** The real SQS client pointed at the stand-in. */
export function sqsClient(target: Standin, attempts = 1): SQSClient {
  return new SQSClient({
    endpoint: target.endpoint,
    region: "us-east-1",
    credentials,
    retryStrategy: new ConfiguredRetryStrategy(attempts, () => 0),
  });
}

/** The real CloudWatch client pointed at the stand-in. */
export function cloudWatchClient(target: Standin, attempts = 1): CloudWatchClient {
  return new CloudWatchClient({
    endpoint: target.endpoint,
    region: "us-east-1",
    credentials,
    retryStrategy: new ConfiguredRetryStrategy(attempts, () => 0),
  });
}

/** The real CloudWatch Logs client pointed at the stand-in. */
export function logsClient(target: Standin, attempts = 1): CloudWatchLogsClient {
  return new CloudWatchLogsClient({
    endpoint: target.endpoint,
    region: "us-east-1",
    credentials,
    retryStrategy: new ConfiguredRetryStrategy(attempts, () => 0),
  });
}

/** A CreateTrainingJob request as the launcher builds one for the semantic segmentation algorithm. */
export function trainingRequest(name: string, overrides: Partial<CreateTrainingJobRequest> = {}): CreateTrainingJobRequest {
  const channel = (channelName: string, contentType: string) => ({
    ChannelName: channelName,
    ContentType: contentType,
    InputMode: "File" as const,
    DataSource: {
      S3DataSource: {
        S3DataType: "S3Prefix" as const,
        S3Uri: `s3://segsweep-data/voc/${channelName}/`,
        S3DataDistributionType: "FullyReplicated" as const,
      },
    },
  });
  return {
    TrainingJobName: name,
    RoleArn: "arn:aws:iam::123456789012:role/segsweep-training",
    AlgorithmSpecification: {
      TrainingImage: "811284229777.dkr.ecr.us-east-1.amazonaws.com/semantic-segmentation:1",
      TrainingInputMode: "File",
    },
    HyperParameters: { num_classes: "21", num_training_samples: "1464", learning_rate: "0.01", optimizer: "sgd", epochs: "10" },
    InputDataConfig: [
      channel("train", "image/jpeg"),
      channel("validation", "image/jpeg"),
      channel("train_annotation", "image/png"),
      channel("validation_annotation", "image/png"),
    ],
    OutputDataConfig: { S3OutputPath: "s3://segsweep-data/outputs/demo/" },
    ResourceConfig: { InstanceType: "ml.p3.2xlarge", InstanceCount: 1, VolumeSizeInGB: 50 },
    StoppingCondition: { MaxRuntimeInSeconds: 86_400 },
    Tags: [{ Key: "segsweep:campaign", Value: "demo" }],
    ...overrides,
  };
}

/** The error a call rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error & { $metadata: { attempts?: number; httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error as Error & { $metadata: { attempts?: number; httpStatusCode?: number } };
    throw new Error(`rejected with a non-Error: ${String(error)}`);
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/** One hour in milliseconds. */
export const HOUR = 3_600_000;
