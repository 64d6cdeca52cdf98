import {
  CreateTrainingJobCommand,
  type CreateTrainingJobRequest,
  DescribeTrainingJobCommand,
  ListTrainingJobsCommand,
  type ListTrainingJobsRequest,
  SageMakerClient,
  type SageMakerClientConfig,
  SearchCommand,
  type SearchRequest,
  StopTrainingJobCommand,
} from "@aws-sdk/client-sagemaker";
import { LIST_PAGE_SIZE, NAME_CONTAINS_PATTERN } from "../catalog/sagemaker-api.js";
import { classifyAwsError } from "./classify.js";
import { type Clock, systemClock } from "./clock.js";
import { createRetrier, type Retrier, type RetryLimits, SAGEMAKER_RETRY } from "./retry.js";
import { toJobDetails, toJobSnapshot } from "./sagemaker-records.js";
import type { JobDetails, JobSnapshot, ListOptions, TrainingBackend } from "./types.js";

export { toJobDetails } from "./sagemaker-records.js";

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

/** The SageMaker client the options give or describe (training and tuning backends alike). */
export function sageMakerClientFor(options: SageMakerBackendOptions): SageMakerClient {
  return (
    options.client ??
    new SageMakerClient({
      region: options.region,
      ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
      ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
      // Retries happen in the retrier, on the injected clock, so they are counted and testable.
      maxAttempts: 1,
    })
  );
}

/** SageMaker's retrier for these options: SAGEMAKER_RETRY unless the options narrow it, on their clock. */
export function sageMakerRetrier(options: SageMakerBackendOptions): Retrier {
  const policy: RetryLimits = {
    ...SAGEMAKER_RETRY,
    ...options.backoff,
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
  };
  return createRetrier({ clock: options.clock ?? systemClock, policy, ...(options.random ? { random: options.random } : {}) });
}

/** Creates the SageMaker backend. Retries throttled and transient calls itself (backend/retry.ts), on the given clock. */
export function createSageMakerBackend(options: SageMakerBackendOptions): TrainingBackend {
  const client = sageMakerClientFor(options);
  const retrier = sageMakerRetrier(options);
  const abortable = (signal?: AbortSignal) => (signal !== undefined ? { abortSignal: signal } : {});
  return {
    calls: retrier.calls,
    onRetry: (listener) => retrier.onRetry(listener),
    async createJob(request: CreateTrainingJobRequest) {
      try {
        await retrier.run("CreateTrainingJob", () => client.send(new CreateTrainingJobCommand(request)));
        return "created";
      } catch (error) {
        // ResourceInUse: a retried create whose first call had succeeded, or another launcher's.
        if (classifyAwsError(error).kind === "exists") return "exists";
        throw error;
      }
    },
    listJobs: (namePrefix, listOptions = {}) => listAll(client, retrier, namePrefix, listOptions),
    async describeJob(name, describeOptions = {}) {
      const { signal } = describeOptions;
      const send = () => client.send(new DescribeTrainingJobCommand({ TrainingJobName: name }), abortable(signal));
      return toJobDetails(await retrier.run("DescribeTrainingJob", send, signal));
    },
    searchJobs: (tags, searchOptions = {}) => searchAll(client, retrier, tags, searchOptions.signal),
    async stopJob(name: string) {
      await retrier.run("StopTrainingJob", () => client.send(new StopTrainingJobCommand({ TrainingJobName: name })));
    },
  };
}

/** Every job whose name starts with `namePrefix`, in pages of 100 (ListTrainingJobs). */
async function listAll(client: SageMakerClient, retrier: Retrier, namePrefix: string, options: ListOptions): Promise<JobSnapshot[]> {
  const jobs: JobSnapshot[] = [];
  let nextToken: string | undefined;
  do {
    const input: ListTrainingJobsRequest = {
      MaxResults: LIST_PAGE_SIZE,
      SortBy: "CreationTime",
      SortOrder: "Ascending",
      ...(NAME_CONTAINS_PATTERN.test(namePrefix) ? { NameContains: namePrefix } : {}),
      ...(options.createdAfter !== undefined ? { CreationTimeAfter: new Date(options.createdAfter) } : {}),
      ...(options.modifiedAfter !== undefined ? { LastModifiedTimeAfter: new Date(options.modifiedAfter) } : {}),
      ...(nextToken !== undefined ? { NextToken: nextToken } : {}),
    };
    const signal = options.signal;
    const page = await retrier.run(
      "ListTrainingJobs",
      () => client.send(new ListTrainingJobsCommand(input), signal !== undefined ? { abortSignal: signal } : {}),
      signal,
    );
    for (const summary of page.TrainingJobSummaries ?? []) {
      // NameContains matches anywhere in the name; the campaign's jobs are those starting with the prefix.
      if (summary.TrainingJobName?.startsWith(namePrefix) !== true || summary.TrainingJobStatus === undefined) continue;
      jobs.push(toJobSnapshot(summary));
    }
    // A page may be short while more match: always follow NextToken (docs/sources.md#describe-list-search).
    nextToken = page.NextToken;
  } while (nextToken !== undefined && nextToken !== "");
  return jobs;
}

/** Every training job carrying all of `tags`, in pages of 100 full records (Search). */
async function searchAll(
  client: SageMakerClient,
  retrier: Retrier,
  tags: Readonly<Record<string, string>>,
  signal?: AbortSignal,
): Promise<JobDetails[]> {
  const jobs: JobDetails[] = [];
  const filters = Object.entries(tags).map(([key, value]) => ({ Name: `Tags.${key}`, Operator: "Equals" as const, Value: value }));
  let nextToken: string | undefined;
  do {
    const input: SearchRequest = {
      Resource: "TrainingJob",
      SearchExpression: { Filters: filters },
      SortBy: "CreationTime",
      SortOrder: "Ascending",
      MaxResults: LIST_PAGE_SIZE,
      ...(nextToken !== undefined ? { NextToken: nextToken } : {}),
    };
    const page = await retrier.run("Search", () => client.send(new SearchCommand(input), signal ? { abortSignal: signal } : {}), signal);
    for (const result of page.Results ?? []) if (result.TrainingJob !== undefined) jobs.push(toJobDetails(result.TrainingJob));
    nextToken = page.NextToken;
  } while (nextToken !== undefined && nextToken !== "");
  return jobs;
}
