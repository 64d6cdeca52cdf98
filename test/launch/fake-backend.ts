import type { CreateTrainingJobRequest } from "@aws-sdk/client-sagemaker";
import type { Clock } from "../../src/backend/clock.js";
import { BackendError, type JobDetails, type JobSnapshot, type TrainingBackend, type TrainingJobStatus } from "../../src/backend/types.js";
import { parseJobName } from "../../src/plan/job-name.js";
import { seededUniform } from "../../src/util/random.js";

/**
 * An in-memory SageMaker for unit tests of the scheduler: a job's state is a pure function of the
 * shared fake clock (created at `now`, ends `duration` later with a scripted outcome). It records
 * what the tests assert: creates per name and the most jobs ever in progress at once.
 */
export interface FakeOutcome {
  readonly status: "Completed" | "Failed";
  readonly failureReason?: string;
}

export interface FakeSageMakerOptions {
  readonly clock: Clock;
  readonly durationMs: (name: string) => number;
  readonly outcome?: (plannedName: string, attempt: number) => FakeOutcome;
  /** Instances allowed in progress at once (ResourceLimitExceeded beyond). */
  readonly instanceQuota?: number;
  /** Fraction of calls answered ThrottlingException. */
  readonly throttleRate?: number;
  readonly random?: () => number;
}

interface FakeJob {
  readonly name: string;
  readonly createdAt: number;
  readonly endsAt: number;
  readonly outcome: FakeOutcome;
  stoppedAt?: number;
  readonly hyperparameters: Record<string, string>;
}

export interface FakeSageMaker extends TrainingBackend {
  readonly creates: Map<string, number>;
  readonly jobs: Map<string, FakeJob>;
  /** The most jobs in progress at the same instant, over the whole run. */
  maxInProgress(): number;
  inProgressAt(time: number): number;
}

/** A seeded pseudo-random generator, so throttling patterns repeat (the project's one generator). */
export function seededRandom(seed: number): () => number {
  return seededUniform(`fake/${seed}`);
}

export function createFakeSageMaker(options: FakeSageMakerOptions): FakeSageMaker {
  const { clock } = options;
  const random = options.random ?? seededRandom(1);
  const jobs = new Map<string, FakeJob>();
  const creates = new Map<string, number>();
  const calls: Record<string, number> = {};
  const count = (operation: string): void => {
    calls[operation] = (calls[operation] ?? 0) + 1;
    if (options.throttleRate !== undefined && random() < options.throttleRate)
      throw new BackendError("throttled", "Rate exceeded", "ThrottlingException");
  };
  const endOf = (job: FakeJob): number => Math.min(job.endsAt, job.stoppedAt ?? Number.POSITIVE_INFINITY);
  const statusAt = (job: FakeJob, time: number): TrainingJobStatus =>
    time < endOf(job) ? "InProgress" : job.stoppedAt !== undefined && job.stoppedAt < job.endsAt ? "Stopped" : job.outcome.status;
  const inProgressAt = (time: number): number => [...jobs.values()].filter((job) => job.createdAt <= time && time < endOf(job)).length;
  const snapshot = (job: FakeJob): JobSnapshot => {
    const now = clock.now();
    const status = statusAt(job, now);
    return {
      name: job.name,
      status,
      createdAt: job.createdAt,
      secondaryStatus:
        status === "InProgress" ? (now - job.createdAt < (job.endsAt - job.createdAt) / 4 ? "Starting" : "Training") : status,
      ...(status !== "InProgress" ? { endedAt: endOf(job) } : {}),
    };
  };

  return {
    calls,
    jobs,
    creates,
    inProgressAt,
    maxInProgress() {
      // The count only rises at a creation, so checking every creation instant is enough.
      return Math.max(0, ...[...jobs.values()].map((job) => inProgressAt(job.createdAt)));
    },
    async createJob(request: CreateTrainingJobRequest) {
      count("CreateTrainingJob");
      const name = request.TrainingJobName ?? "";
      if (jobs.has(name)) return "exists";
      if (options.instanceQuota !== undefined && inProgressAt(clock.now()) >= options.instanceQuota) {
        throw new BackendError(
          "quota",
          `The account-level service limit 'ml.p3.2xlarge for training job usage' is ${options.instanceQuota} Instances, with current utilization of ${options.instanceQuota} Instances and a request delta of 1 Instances.`,
          "ResourceLimitExceeded",
        );
      }
      const { plannedName, attempt } = parseJobName(name);
      const now = clock.now();
      jobs.set(name, {
        name,
        createdAt: now,
        endsAt: now + options.durationMs(name),
        outcome: options.outcome?.(plannedName, attempt) ?? { status: "Completed" },
        hyperparameters: { ...(request.HyperParameters ?? {}) },
      });
      creates.set(name, (creates.get(name) ?? 0) + 1);
      return "created";
    },
    async listJobs(namePrefix, listOptions = {}) {
      const matching = [...jobs.values()]
        .filter(
          (job) => job.name.startsWith(namePrefix) && (listOptions.createdAfter === undefined || job.createdAt > listOptions.createdAfter),
        )
        .sort((a, b) => a.createdAt - b.createdAt);
      for (let page = 0; page === 0 || page * 100 < matching.length; page++) count("ListTrainingJobs");
      return matching.map(snapshot);
    },
    async describeJob(name) {
      count("DescribeTrainingJob");
      const job = jobs.get(name);
      if (job === undefined) throw new BackendError("not-found", `Requested resource not found: ${name}`, "ResourceNotFound");
      const base = snapshot(job);
      const ended = base.status !== "InProgress";
      const seconds = Math.max(1, Math.round((endOf(job) - job.createdAt) / 1000));
      const details: JobDetails = {
        ...base,
        metrics: ended && base.status === "Completed" ? { "validation:mIOU": 0.5 + (job.name.length % 7) / 100 } : {},
        hyperparameters: job.hyperparameters,
        instanceType: "ml.p3.2xlarge",
        instanceCount: 1,
        ...(ended ? { billableSeconds: seconds, trainingSeconds: seconds } : {}),
        ...(base.status === "Failed" && job.outcome.failureReason !== undefined ? { failureReason: job.outcome.failureReason } : {}),
      };
      return details;
    },
    async stopJob(name) {
      count("StopTrainingJob");
      const job = jobs.get(name);
      if (job !== undefined && job.stoppedAt === undefined) job.stoppedAt = clock.now();
    },
  };
}
