import {
  CreateTrainingJobCommand,
  type CreateTrainingJobRequest,
  DescribeTrainingJobCommand,
  type DescribeTrainingJobResponse,
  ListTrainingJobsCommand,
  type ListTrainingJobsRequest,
  SageMakerClient,
  type SageMakerClientConfig,
  StopTrainingJobCommand,
} from "@aws-sdk/client-sagemaker";
import { LIST_PAGE_SIZE, NAME_CONTAINS_PATTERN } from "../catalog/sagemaker-api.js";
import { classifyAwsError, isRetryable } from "./classify.js";
import { backoffMs, type Clock, systemClock } from "./clock.js";
import type { JobDetails, JobSnapshot, TrainingBackend, TrainingJobStatus } from "./types.js";

/**
 * The TrainingBackend on Amazon SageMaker, through @aws-sdk/client-sagemaker. Credentials, region
 * and endpoint come from the SDK's standard chain: AWS_PROFILE / AWS_ACCESS_KEY_ID..., and
 * AWS_ENDPOINT_URL_SAGEMAKER (honoured by @smithy/core's getEndpointUrlConfig for serviceId
 * "SageMaker"), so the same code runs against AWS, a VPC endpoint or the local stand-in.
 */
export interface SageMakerBackendOptions {
  readonly region: string;
  /** Overrides the endpoint (the stand-in's URL); otherwise the SDK's chain decides. */
  readonly endpoint?: string;
  /** A ready client (tests; --simulate). */
  readonly client?: SageMakerClient;
  /** Static credentials for a client built here (--simulate: never the user's own). */
  readonly credentials?: SageMakerClientConfig["credentials"];
  /** Attempts per call for throttled and transient errors, first one included (default 8). */
  readonly maxAttempts?: number;
  /** Backoff base and cap in ms (default 500 ms, 20 s); scaled down by --simulate and the benchmark. */
  readonly backoff?: { readonly baseMs: number; readonly capMs: number };
  readonly clock?: Clock;
  readonly random?: () => number;
}

interface SendMetadata {
  readonly $metadata?: { readonly attempts?: number };
}

/** Creates the SageMaker backend. Retries throttled and transient calls itself, with the given clock. */
export function createSageMakerBackend(options: SageMakerBackendOptions): TrainingBackend {
  const client =
    options.client ??
    new SageMakerClient({
      region: options.region,
      ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
      ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
      // Retries happen below, on the injected clock, so they are counted and testable.
      maxAttempts: 1,
    });
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const maxAttempts = options.maxAttempts ?? 8;
  const backoff = options.backoff ?? { baseMs: 500, capMs: 20_000 };
  const calls: Record<string, number> = {};

  async function call<T>(operation: string, send: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        const output = await send();
        calls[operation] = (calls[operation] ?? 0) + ((output as SendMetadata).$metadata?.attempts ?? 1);
        return output;
      } catch (error) {
        calls[operation] = (calls[operation] ?? 0) + ((error as SendMetadata).$metadata?.attempts ?? 1);
        const classified = classifyAwsError(error);
        if (!isRetryable(classified.kind) || attempt + 1 >= maxAttempts || signal?.aborted) throw classified;
        await clock.sleep(backoffMs(attempt, { ...backoff, random }), signal);
      }
    }
  }

  return {
    calls,
    async createJob(request: CreateTrainingJobRequest) {
      try {
        await call("CreateTrainingJob", () => client.send(new CreateTrainingJobCommand(request)));
        return "created";
      } catch (error) {
        // ResourceInUse: a retried create whose first call had succeeded, or another launcher's.
        if (classifyAwsError(error).kind === "exists") return "exists";
        throw error;
      }
    },
    async listJobs(namePrefix, listOptions = {}) {
      const jobs: JobSnapshot[] = [];
      let nextToken: string | undefined;
      do {
        const input: ListTrainingJobsRequest = {
          MaxResults: LIST_PAGE_SIZE,
          SortBy: "CreationTime",
          SortOrder: "Ascending",
          ...(NAME_CONTAINS_PATTERN.test(namePrefix) ? { NameContains: namePrefix } : {}),
          ...(listOptions.createdAfter !== undefined ? { CreationTimeAfter: new Date(listOptions.createdAfter) } : {}),
          ...(nextToken !== undefined ? { NextToken: nextToken } : {}),
        };
        const page = await call(
          "ListTrainingJobs",
          () => client.send(new ListTrainingJobsCommand(input), listOptions.signal ? { abortSignal: listOptions.signal } : {}),
          listOptions.signal,
        );
        for (const summary of page.TrainingJobSummaries ?? []) {
          // NameContains matches anywhere in the name; the campaign's jobs are those starting with the prefix.
          const name = summary.TrainingJobName ?? "";
          if (!name.startsWith(namePrefix) || summary.TrainingJobStatus === undefined) continue;
          jobs.push({
            name,
            status: summary.TrainingJobStatus as TrainingJobStatus,
            createdAt: summary.CreationTime?.getTime() ?? 0,
            ...(summary.TrainingEndTime !== undefined ? { endedAt: summary.TrainingEndTime.getTime() } : {}),
            ...(summary.LastModifiedTime !== undefined ? { lastModifiedAt: summary.LastModifiedTime.getTime() } : {}),
            ...(summary.SecondaryStatus !== undefined ? { secondaryStatus: summary.SecondaryStatus } : {}),
          });
        }
        nextToken = page.NextToken;
      } while (nextToken !== undefined && nextToken !== "");
      return jobs;
    },
    async describeJob(name: string) {
      const output = await call("DescribeTrainingJob", () => client.send(new DescribeTrainingJobCommand({ TrainingJobName: name })));
      return toJobDetails(output);
    },
    async stopJob(name: string) {
      await call("StopTrainingJob", () => client.send(new StopTrainingJobCommand({ TrainingJobName: name })));
    },
  };
}

/** DescribeTrainingJob's answer as JobDetails; times, billable seconds and metrics may be absent (API model). */
export function toJobDetails(output: DescribeTrainingJobResponse): JobDetails {
  const metrics: Record<string, number> = {};
  for (const metric of output.FinalMetricDataList ?? []) {
    if (metric.MetricName !== undefined && metric.Value !== undefined) metrics[metric.MetricName] = metric.Value;
  }
  const optional = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> =>
    value === undefined ? {} : ({ [key]: value } as Record<K, V>);
  return {
    name: output.TrainingJobName ?? "",
    status: (output.TrainingJobStatus ?? "InProgress") as TrainingJobStatus,
    createdAt: output.CreationTime?.getTime() ?? 0,
    metrics,
    hyperparameters: { ...(output.HyperParameters ?? {}) },
    ...optional("endedAt", output.TrainingEndTime?.getTime()),
    ...optional("lastModifiedAt", output.LastModifiedTime?.getTime()),
    ...optional("secondaryStatus", output.SecondaryStatus),
    ...optional("failureReason", output.FailureReason),
    ...optional("startedAt", output.TrainingStartTime?.getTime()),
    ...optional("billableSeconds", output.BillableTimeInSeconds),
    ...optional("trainingSeconds", output.TrainingTimeInSeconds),
    ...optional("instanceType", output.ResourceConfig?.InstanceType),
    ...optional("instanceCount", output.ResourceConfig?.InstanceCount),
    ...optional("spot", output.EnableManagedSpotTraining),
  };
}
