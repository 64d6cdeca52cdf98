import {
  CreateHyperParameterTuningJobCommand,
  type CreateHyperParameterTuningJobRequest,
  DescribeHyperParameterTuningJobCommand,
  type DescribeHyperParameterTuningJobResponse,
  type HyperParameterTrainingJobSummary,
  ListTrainingJobsForHyperParameterTuningJobCommand,
  type ListTrainingJobsForHyperParameterTuningJobRequest,
  StopHyperParameterTuningJobCommand,
} from "@aws-sdk/client-sagemaker";
import { LIST_PAGE_SIZE } from "../catalog/sagemaker-api.js";
import { classifyAwsError } from "./classify.js";
import { type SageMakerBackendOptions, sageMakerClientFor, sageMakerRetrier } from "./sagemaker.js";
import type { TrainingJobStatus } from "./types.js";

/**
 * SageMaker Automatic Model Tuning jobs, through @aws-sdk/client-sagemaker: create (idempotent),
 * describe, list a tuning job's training jobs (every page), stop. Same client options, retry rule
 * and error classification as the training-job backend (sagemaker.ts); tested against the stand-in.
 */

/** DescribeHyperParameterTuningJob.HyperParameterTuningJobStatus (API model). */
export type TuningJobStatus = "Completed" | "InProgress" | "Failed" | "Stopped" | "Stopping" | "Deleting" | "DeleteFailed";

/** One training job a tuning job launched (HyperParameterTrainingJobSummary). */
export interface TuningTrainingJob {
  readonly name: string;
  readonly status: TrainingJobStatus;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly startedAt?: number;
  readonly endedAt?: number;
  /** Only the tuned hyperparameters, as strings. */
  readonly tunedHyperparameters: Readonly<Record<string, string>>;
  /** The latest objective value the job reported (not its best epoch's). */
  readonly objective?: { readonly metric: string; readonly value: number };
  readonly objectiveStatus?: "Succeeded" | "Pending" | "Failed";
  readonly failureReason?: string;
}

/** What DescribeHyperParameterTuningJob tells. */
export interface TuningJobDetails {
  readonly name: string;
  readonly arn: string;
  readonly status: TuningJobStatus;
  readonly createdAt: number;
  readonly endedAt?: number;
  readonly failureReason?: string;
  readonly maxTrainingJobs?: number;
  readonly maxParallelTrainingJobs?: number;
  /** TrainingJobStatusCounters. */
  readonly trainingJobs: {
    readonly completed: number;
    readonly inProgress: number;
    readonly retryableError: number;
    readonly nonRetryableError: number;
    readonly stopped: number;
  };
  /** AMT's best training job so far, by the objective. */
  readonly best?: TuningTrainingJob;
}

/** The tuning-job operations. */
export interface TuningBackend {
  /** Resolves "exists" when a tuning job of that name is already there (ResourceInUse): it is this campaign's. */
  createTuningJob(request: CreateHyperParameterTuningJobRequest): Promise<"created" | "exists">;
  describeTuningJob(name: string): Promise<TuningJobDetails>;
  /** Every training job of the tuning job, following NextToken, 100 per call. */
  listTuningTrainingJobs(
    name: string,
    options?: { readonly status?: TrainingJobStatus; readonly signal?: AbortSignal },
  ): Promise<TuningTrainingJob[]>;
  /** StopHyperParameterTuningJob: the tuning job and its running training jobs stop. */
  stopTuningJob(name: string): Promise<void>;
  /** SageMaker API calls made so far, by operation name, retries included. */
  readonly calls: Readonly<Record<string, number>>;
}

/** Creates the tuning backend; options as for the training-job backend. */
export function createTuningBackend(options: SageMakerBackendOptions): TuningBackend {
  const client = sageMakerClientFor(options);
  const retrier = sageMakerRetrier(options);
  const call = <T>(operation: string, send: () => Promise<T>, signal?: AbortSignal) => retrier.run(operation, send, signal);

  return {
    calls: retrier.calls,
    async createTuningJob(request) {
      try {
        await call("CreateHyperParameterTuningJob", () => client.send(new CreateHyperParameterTuningJobCommand(request)));
        return "created";
      } catch (error) {
        // ResourceInUse: a retried create whose first call had succeeded, or a launch run again.
        if (classifyAwsError(error).kind === "exists") return "exists";
        throw error;
      }
    },
    async describeTuningJob(name) {
      const output = await call("DescribeHyperParameterTuningJob", () =>
        client.send(new DescribeHyperParameterTuningJobCommand({ HyperParameterTuningJobName: name })),
      );
      return toTuningJobDetails(output);
    },
    async listTuningTrainingJobs(name, listOptions = {}) {
      const jobs: TuningTrainingJob[] = [];
      let nextToken: string | undefined;
      do {
        const input: ListTrainingJobsForHyperParameterTuningJobRequest = {
          HyperParameterTuningJobName: name,
          // The default page is 10 (API model): ask for the most.
          MaxResults: LIST_PAGE_SIZE,
          SortBy: "CreationTime",
          SortOrder: "Ascending",
          ...(listOptions.status !== undefined ? { StatusEquals: listOptions.status } : {}),
          ...(nextToken !== undefined ? { NextToken: nextToken } : {}),
        };
        const signal = listOptions.signal;
        const page = await call(
          "ListTrainingJobsForHyperParameterTuningJob",
          () => client.send(new ListTrainingJobsForHyperParameterTuningJobCommand(input), signal ? { abortSignal: signal } : {}),
          signal,
        );
        for (const summary of page.TrainingJobSummaries ?? []) jobs.push(toTuningTrainingJob(summary));
        nextToken = page.NextToken;
      } while (nextToken !== undefined && nextToken !== "");
      return jobs;
    },
    async stopTuningJob(name) {
      await call("StopHyperParameterTuningJob", () =>
        client.send(new StopHyperParameterTuningJobCommand({ HyperParameterTuningJobName: name })),
      );
    },
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** A HyperParameterTrainingJobSummary as a TuningTrainingJob. */
export function toTuningTrainingJob(summary: HyperParameterTrainingJobSummary): TuningTrainingJob {
  const metric = summary.FinalHyperParameterTuningJobObjectiveMetric;
  return {
    name: summary.TrainingJobName ?? "",
    status: (summary.TrainingJobStatus ?? "InProgress") as TrainingJobStatus,
    createdAt: summary.CreationTime?.getTime() ?? 0,
    tunedHyperparameters: { ...(summary.TunedHyperParameters ?? {}) },
    ...optional("startedAt", summary.TrainingStartTime?.getTime()),
    ...optional("endedAt", summary.TrainingEndTime?.getTime()),
    ...(metric?.MetricName !== undefined && metric.Value !== undefined
      ? { objective: { metric: metric.MetricName, value: metric.Value } }
      : {}),
    ...optional("objectiveStatus", summary.ObjectiveStatus),
    ...optional("failureReason", summary.FailureReason),
  };
}

/** DescribeHyperParameterTuningJob's answer as TuningJobDetails. */
export function toTuningJobDetails(output: DescribeHyperParameterTuningJobResponse): TuningJobDetails {
  const counters = output.TrainingJobStatusCounters ?? {};
  const limits = output.HyperParameterTuningJobConfig?.ResourceLimits;
  return {
    name: output.HyperParameterTuningJobName ?? "",
    arn: output.HyperParameterTuningJobArn ?? "",
    status: (output.HyperParameterTuningJobStatus ?? "InProgress") as TuningJobStatus,
    createdAt: output.CreationTime?.getTime() ?? 0,
    trainingJobs: {
      completed: counters.Completed ?? 0,
      inProgress: counters.InProgress ?? 0,
      retryableError: counters.RetryableError ?? 0,
      nonRetryableError: counters.NonRetryableError ?? 0,
      stopped: counters.Stopped ?? 0,
    },
    ...optional("endedAt", output.HyperParameterTuningEndTime?.getTime()),
    ...optional("failureReason", output.FailureReason),
    ...optional("maxTrainingJobs", limits?.MaxNumberOfTrainingJobs),
    ...optional("maxParallelTrainingJobs", limits?.MaxParallelTrainingJobs),
    ...(output.BestTrainingJob !== undefined ? { best: toTuningTrainingJob(output.BestTrainingJob) } : {}),
  };
}
