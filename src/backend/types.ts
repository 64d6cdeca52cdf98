import type { CreateTrainingJobRequest } from "@aws-sdk/client-sagemaker";

/**
 * Where training jobs run. One small interface, so the launcher, `status`, `stop` and `report`
 * work the same against SageMaker (backend/sagemaker.ts), the local stand-in (same SDK, another
 * endpoint) and in-memory fakes in unit tests.
 */

/** DescribeTrainingJob.TrainingJobStatus (API model). */
export type TrainingJobStatus = "InProgress" | "Completed" | "Failed" | "Stopping" | "Stopped" | "Deleting";

const TERMINAL: ReadonlySet<TrainingJobStatus> = new Set(["Completed", "Failed", "Stopped", "Deleting"]);

/** A job that will not change state again (Stopping still will). */
export function isTerminal(status: TrainingJobStatus): boolean {
  return TERMINAL.has(status);
}

/** What one ListTrainingJobs entry tells: enough to follow a campaign without a describe per job. */
export interface JobSnapshot {
  readonly name: string;
  readonly status: TrainingJobStatus;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly endedAt?: number;
  readonly lastModifiedAt?: number;
  readonly secondaryStatus?: string;
}

/** What DescribeTrainingJob tells once a job is done (or on demand). */
export interface JobDetails extends JobSnapshot {
  readonly secondaryStatus?: string;
  readonly failureReason?: string;
  /** FinalMetricDataList as name -> value, e.g. {"validation:mIOU": 0.61}. */
  readonly metrics: Readonly<Record<string, number>>;
  readonly startedAt?: number;
  /** BillableTimeInSeconds; may be absent for failed jobs (API model). Multiply by instanceCount. */
  readonly billableSeconds?: number;
  readonly trainingSeconds?: number;
  readonly instanceType?: string;
  readonly instanceCount?: number;
  readonly spot?: boolean;
  readonly hyperparameters: Readonly<Record<string, string>>;
  /** The job's tags, when the call that read it returns them (Search does; DescribeTrainingJob does not). */
  readonly tags?: Readonly<Record<string, string>>;
}

/** How a failed call should be treated; decided in one place (backend/classify.ts). */
export type BackendErrorKind =
  | "throttled" // ThrottlingException: retry with backoff
  | "quota" // ResourceLimitExceeded: wait until a job ends, then retry
  | "exists" // ResourceInUse on create: the job is there already
  | "not-found" // ResourceNotFound
  | "validation" // ValidationException: the request is wrong; never retry
  | "access-denied" // AccessDeniedException and credential errors
  | "transient" // 5xx, timeouts, connection resets: retry
  | "unknown";

export class BackendError extends Error {
  constructor(
    readonly kind: BackendErrorKind,
    message: string,
    /** The AWS error name, e.g. "ThrottlingException", kept for reports. */
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "BackendError";
  }
}

export interface TrainingBackend {
  /**
   * Creates one training job. Resolves "created", or "exists" when a job with that name is already
   * there (ResourceInUse: a retried or concurrent create that had succeeded). Rejects with BackendError.
   */
  createJob(request: CreateTrainingJobRequest): Promise<"created" | "exists">;
  /**
   * Every job whose name starts with `namePrefix`, following NextToken; one ListTrainingJobs call
   * per 100 jobs. `createdAfter` narrows the listing (epoch ms).
   */
  listJobs(namePrefix: string, options?: ListOptions): Promise<JobSnapshot[]>;
  describeJob(name: string, options?: { readonly signal?: AbortSignal }): Promise<JobDetails>;
  /**
   * Every job carrying all the given tags, as full records with metrics and tags (Search, 100 per
   * call; docs/sources.md#describe-list-search). The search index may lag a moment behind the jobs.
   */
  searchJobs(tags: Readonly<Record<string, string>>, options?: { readonly signal?: AbortSignal }): Promise<JobDetails[]>;
  /** StopTrainingJob; resolves when accepted (the job goes Stopping, then Stopped). */
  stopJob(name: string): Promise<void>;
  /** SageMaker API calls made so far, by operation name, retries included. */
  readonly calls: Readonly<Record<string, number>>;
  /** Tells `listener` about each retry of a throttled or failing call; returns the function that stops it. */
  onRetry(listener: RetryListener): () => void;
}

/** Narrowing of a listing. */
export interface ListOptions {
  /** Only jobs created after this server time (epoch ms). */
  readonly createdAfter?: number;
  /** Only jobs whose status changed after this server time (epoch ms; ListTrainingJobs LastModifiedTimeAfter). */
  readonly modifiedAfter?: number;
  readonly signal?: AbortSignal;
}

/** One retry about to happen, told to listeners (the launcher's `throttled` event). */
export interface RetryNotice {
  readonly operation: string;
  /** 1 for the first retry. */
  readonly retry: number;
  readonly waitMs: number;
  /** The AWS error name, e.g. ThrottlingException. */
  readonly code: string;
}

export type RetryListener = (notice: RetryNotice) => void;
