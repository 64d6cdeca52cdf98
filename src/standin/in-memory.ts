import type { CreateTrainingJobRequest } from "@aws-sdk/client-sagemaker";
import type { Clock } from "../backend/clock.js";
import { createRetrier, type Retrier, type RetryLimits, SAGEMAKER_RETRY } from "../backend/retry.js";
import type { JobEventSource } from "../backend/sqs-events.js";
import {
  BackendError,
  type JobDetails,
  type JobSnapshot,
  type ListOptions,
  type RetryListener,
  type TrainingBackend,
} from "../backend/types.js";
import { parseJobName } from "../plan/job-name.js";
import { seededUniform } from "../util/random.js";
import { type Change, ChangeLog } from "./in-memory-changes.js";
import { inMemoryEvents } from "./in-memory-events.js";
import { createdJob, endOf, type FakeJob, type FakeOutcome, firstAfter, jobAt, snapshotOf } from "./in-memory-jobs.js";

export type { FakeJob, FakeOutcome } from "./in-memory-jobs.js";

/**
 * SageMaker in memory, for simulations in one process: the tests' one in-memory backend, and the
 * benchmark of the launcher's own cost (no HTTP, no SDK). It behaves as SageMaker does where
 * segsweep depends on it (the contract suite, test/backend/contract.test.ts, runs the same cases
 * against it and the real SDK on the stand-in): listings in pages of 100 narrowed by creation or
 * change time, Search by tags, ResourceInUse on a second create, ResourceNotFound for unknown
 * names, StopTrainingJob moving an in-progress job to Stopping and refusing one that is not in
 * progress. A created job's life is a function of the clock (created at `now`, training from a
 * quarter of its duration, ended `durationMs` later with a scripted outcome; a stop ends it
 * Stopped after `stopDelayMs`); a job `put` by a test stays as given until changed. Calls go
 * through the project's retrier, so injected throttling is retried as the real backend retries it.
 */

export interface InMemorySageMakerOptions {
  readonly clock: Clock;
  readonly durationMs?: (name: string) => number;
  readonly outcome?: (plannedName: string, attempt: number) => FakeOutcome;
  /** Instances allowed in progress at once (ResourceLimitExceeded beyond). */
  readonly instanceQuota?: number;
  /** Fraction of calls answered ThrottlingException. */
  readonly throttleRate?: number;
  readonly random?: () => number;
  /** Time from StopTrainingJob to Stopped (default 60 s). */
  readonly stopDelayMs?: number;
  readonly retry?: RetryLimits;
}

/** A seeded pseudo-random generator, so throttling patterns repeat (the project's one generator). */
export function seededRandom(seed: number): () => number {
  return seededUniform(`fake/${seed}`);
}

const PAGE = 100;

export class InMemorySageMaker implements TrainingBackend {
  readonly jobs = new Map<string, FakeJob>();
  /** CreateTrainingJob calls that created, by name. */
  readonly creates = new Map<string, number>();
  /** Names passed to stopJob, in order. */
  readonly stopRequests: string[] = [];
  /** Names whose StopTrainingJob fails with this error (e.g. an access denial). */
  readonly failStops = new Map<string, BackendError>();
  readonly #options: InMemorySageMakerOptions;
  readonly #random: () => number;
  readonly #retrier: Retrier;
  /** Created jobs, oldest first (the clock only moves on). */
  readonly #byCreation: FakeJob[] = [];
  /** Every status or secondary-status change of created jobs, by time. */
  readonly #changes = new ChangeLog();
  /** Jobs not seen ended yet. */
  readonly #live = new Set<FakeJob>();
  readonly #stopDelayMs: number;

  constructor(options: InMemorySageMakerOptions) {
    this.#options = options;
    this.#stopDelayMs = options.stopDelayMs ?? 60_000;
    this.#random = options.random ?? seededRandom(1);
    this.#retrier = createRetrier({ clock: options.clock, policy: options.retry ?? SAGEMAKER_RETRY, random: this.#random });
  }

  get calls(): Readonly<Record<string, number>> {
    return this.#retrier.calls;
  }

  onRetry(listener: RetryListener): () => void {
    return this.#retrier.onRetry(listener);
  }

  /** Runs an operation as one SageMaker call: counted, maybe throttled, retried. */
  #call<T>(operation: string, answer: () => T, signal?: AbortSignal): Promise<T> {
    return this.#retrier.run(
      operation,
      async () => {
        const rate = this.#options.throttleRate;
        if (rate !== undefined && this.#random() < rate) throw new BackendError("throttled", "Rate exceeded", "ThrottlingException");
        return answer();
      },
      signal,
    );
  }

  /** Adds (or replaces) a job exactly as given; it stays so until `update`. */
  put(details: JobDetails): void {
    const job = {
      name: details.name,
      createdAt: details.createdAt,
      endsAt: Number.POSITIVE_INFINITY,
      outcome: { status: "Completed" as const },
      details,
      put: true,
    };
    this.jobs.set(details.name, job);
  }

  /** Moves a put job on, as SageMaker would over time. */
  update(name: string, change: Partial<JobDetails>): void {
    const job = this.jobs.get(name);
    if (job === undefined) throw new Error(`no fake job ${name}`);
    job.details = { ...job.details, ...change };
  }

  #endOf(job: FakeJob): number {
    return endOf(job, this.#stopDelayMs);
  }

  /** A job as DescribeTrainingJob would tell it at `at` (default now). */
  #current(job: FakeJob, at = this.#options.clock.now()): JobDetails {
    return jobAt(job, at, this.#stopDelayMs);
  }

  /** In progress (or stopping) at `time`. */
  #holds(job: FakeJob, time: number): boolean {
    if (job.put) return job.details.status === "InProgress" || job.details.status === "Stopping";
    return job.createdAt <= time && time < this.#endOf(job);
  }

  inProgressAt(time: number): number {
    let count = 0;
    for (const job of this.jobs.values()) if (this.#holds(job, time)) count++;
    return count;
  }

  /** The most jobs in progress at one instant, over the whole run (the count only rises at a creation). */
  maxInProgress(): number {
    return Math.max(0, ...[...this.jobs.values()].map((job) => this.inProgressAt(job.createdAt)));
  }

  async createJob(request: CreateTrainingJobRequest): Promise<"created" | "exists"> {
    try {
      await this.#call("CreateTrainingJob", () => this.#create(request));
      return "created";
    } catch (error) {
      if (error instanceof BackendError && error.kind === "exists") return "exists";
      throw error;
    }
  }

  #create(request: CreateTrainingJobRequest): void {
    const { clock, instanceQuota } = this.#options;
    const name = request.TrainingJobName ?? "";
    if (this.jobs.has(name)) throw new BackendError("exists", `Training job ${name} already exists.`, "ResourceInUse");
    const now = clock.now();
    if (instanceQuota !== undefined && this.#liveCount(now) >= instanceQuota) {
      throw new BackendError(
        "quota",
        `The account-level service limit 'ml.p3.2xlarge for training job usage' is ${instanceQuota} Instances, with current utilization of ${instanceQuota} Instances and a request delta of 1 Instances.`,
        "ResourceLimitExceeded",
      );
    }
    const job = this.#newJob(request, now);
    this.jobs.set(name, job);
    this.#byCreation.push(job);
    this.#live.add(job);
    this.#changes.add(job.createdAt, job.name);
    this.#changes.add(job.createdAt + (job.endsAt - job.createdAt) / 4, job.name);
    this.#changes.add(job.endsAt, job.name);
    this.creates.set(name, (this.creates.get(name) ?? 0) + 1);
  }

  #newJob(request: CreateTrainingJobRequest, now: number): FakeJob {
    const name = request.TrainingJobName ?? "";
    const parsed = parseJobName(name);
    const durationMs = this.#options.durationMs?.(name) ?? 3_600_000;
    const outcome = this.#options.outcome?.(parsed?.plannedName ?? name, parsed?.attempt ?? 0) ?? { status: "Completed" };
    return createdJob(request, now, durationMs, outcome);
  }

  /** Jobs holding an instance now (put jobs included). */
  #liveCount(now: number): number {
    let count = 0;
    for (const job of this.#live) {
      if (this.#holds(job, now)) count++;
      else if (job.createdAt <= now) this.#live.delete(job);
    }
    for (const job of this.jobs.values()) if (job.put && this.#holds(job, now)) count++;
    return count;
  }

  /** The jobs a listing may show: narrowed through the indexes when only created jobs exist. */
  #candidates(options: ListOptions): Iterable<FakeJob> {
    const onlyCreated = this.#byCreation.length === this.jobs.size;
    if (!onlyCreated) return this.jobs.values();
    if (options.modifiedAfter !== undefined)
      return this.#changes.jobsChangedIn(options.modifiedAfter, this.#options.clock.now(), this.jobs);
    if (options.createdAfter !== undefined) return this.#byCreation.slice(firstAfter(this.#byCreation, options.createdAfter));
    return this.#byCreation;
  }

  async listJobs(namePrefix: string, options: ListOptions = {}): Promise<JobSnapshot[]> {
    const matching: JobDetails[] = [];
    for (const job of this.#candidates(options)) {
      if (!job.name.startsWith(namePrefix)) continue;
      const details = this.#current(job);
      if (options.createdAfter !== undefined && !(details.createdAt > options.createdAfter)) continue;
      if (options.modifiedAfter !== undefined && !((details.lastModifiedAt ?? details.createdAt) > options.modifiedAfter)) continue;
      matching.push(details);
    }
    matching.sort((a, b) => a.createdAt - b.createdAt);
    const snapshots: JobSnapshot[] = [];
    // ListTrainingJobs MaxResults is at most 100: one call per page, at least one.
    for (let page = 0; page === 0 || page * PAGE < matching.length; page++) {
      const slice = await this.#call("ListTrainingJobs", () => matching.slice(page * PAGE, page * PAGE + PAGE), options.signal);
      for (const job of slice) snapshots.push(snapshotOf(job));
    }
    return snapshots;
  }

  describeJob(name: string, options: { signal?: AbortSignal } = {}): Promise<JobDetails> {
    return this.#call(
      "DescribeTrainingJob",
      () => {
        const job = this.jobs.get(name);
        if (job === undefined) throw new BackendError("not-found", `Requested resource not found: ${name}`, "ResourceNotFound");
        const { tags: _tags, ...details } = this.#current(job);
        return details;
      },
      options.signal,
    );
  }

  async searchJobs(tags: Readonly<Record<string, string>>, options: { signal?: AbortSignal } = {}): Promise<JobDetails[]> {
    const matching = [...this.jobs.values()]
      .map((job) => this.#current(job))
      .filter((job) => Object.entries(tags).every(([key, value]) => job.tags?.[key] === value))
      .sort((a, b) => a.createdAt - b.createdAt || a.name.localeCompare(b.name));
    const found: JobDetails[] = [];
    for (let page = 0; page === 0 || page * PAGE < matching.length; page++) {
      found.push(...(await this.#call("Search", () => matching.slice(page * PAGE, page * PAGE + PAGE), options.signal)));
    }
    return found;
  }

  stopJob(name: string): Promise<void> {
    this.stopRequests.push(name);
    return this.#call("StopTrainingJob", () => {
      const failure = this.failStops.get(name);
      if (failure !== undefined) throw failure;
      const job = this.jobs.get(name);
      if (job === undefined) throw new BackendError("not-found", `Requested resource not found: ${name}`, "ResourceNotFound");
      const status = this.#current(job).status;
      if (status !== "InProgress") {
        throw new BackendError(
          "validation",
          `The request was rejected because the training job is in status ${status}.`,
          "ValidationException",
        );
      }
      if (job.put) {
        job.details = { ...job.details, status: "Stopping", secondaryStatus: "Stopping" };
        return;
      }
      job.stoppedAt = this.#options.clock.now();
      this.#changes.add(job.stoppedAt, job.name);
      this.#changes.add(this.#endOf(job), job.name);
    });
  }

  /** Changes of created jobs in (after, upTo], in time order (the events source reads them). */
  changesBetween(after: number, upTo: number): IterableIterator<Change> {
    return this.#changes.between(after, upTo);
  }

  /** A job as it was at `at`; undefined for a name never created. */
  jobAt(name: string, at: number): JobDetails | undefined {
    const job = this.jobs.get(name);
    return job === undefined ? undefined : this.#current(job, at);
  }

  /** This account's state-change events of the jobs whose names start with `namePrefix` (in-memory-events.ts). */
  eventSource(namePrefix: string): JobEventSource & { readonly waitsForEvents: boolean } {
    return inMemoryEvents(this, this.#options.clock, namePrefix);
  }
}

/** An in-memory SageMaker holding exactly these jobs (as a test put them), on `clock`. */
export function sageMakerWith(jobs: readonly JobDetails[], clock: Clock): InMemorySageMaker {
  const backend = new InMemorySageMaker({ clock });
  for (const job of jobs) backend.put(job);
  return backend;
}
