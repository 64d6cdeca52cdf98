import type { CreateTrainingJobRequest } from "@aws-sdk/client-sagemaker";
import { BackendError, type JobDetails, type JobSnapshot, type TrainingBackend } from "../../../src/backend/types.js";

/**
 * An in-memory TrainingBackend holding JobDetails fixtures. It behaves as SageMaker does where the
 * status/stop/report commands depend on it: listing pages of 100, ResourceNotFound for unknown
 * names, StopTrainingJob moving an in-progress job to Stopping and refusing one that is not in
 * progress (ValidationException). Every call is counted, as the real backend does.
 */
export class FakeBackend implements TrainingBackend {
  readonly jobs = new Map<string, JobDetails>();
  readonly calls: Record<string, number> = {};
  /** Names passed to stopJob, in order. */
  readonly stopRequests: string[] = [];
  /** Names whose StopTrainingJob fails with this error (e.g. an access denial). */
  readonly failStops = new Map<string, BackendError>();

  constructor(jobs: readonly JobDetails[] = []) {
    for (const job of jobs) this.jobs.set(job.name, job);
  }

  private count(operation: string, times = 1): void {
    this.calls[operation] = (this.calls[operation] ?? 0) + times;
  }

  async createJob(request: CreateTrainingJobRequest): Promise<"created" | "exists"> {
    this.count("CreateTrainingJob");
    const name = request.TrainingJobName ?? "";
    if (this.jobs.has(name)) return "exists";
    this.jobs.set(name, {
      name,
      status: "InProgress",
      createdAt: 0,
      secondaryStatus: "Starting",
      metrics: {},
      hyperparameters: { ...request.HyperParameters },
    });
    return "created";
  }

  async listJobs(namePrefix: string): Promise<JobSnapshot[]> {
    const listed = [...this.jobs.values()].filter((job) => job.name.startsWith(namePrefix)).sort((a, b) => a.createdAt - b.createdAt);
    // ListTrainingJobs MaxResults is at most 100: one call per page, at least one.
    this.count("ListTrainingJobs", Math.max(1, Math.ceil(listed.length / 100)));
    return listed.map(({ name, status, createdAt, endedAt, lastModifiedAt, secondaryStatus }) => ({
      name,
      status,
      createdAt,
      ...(endedAt !== undefined ? { endedAt } : {}),
      ...(lastModifiedAt !== undefined ? { lastModifiedAt } : {}),
      ...(secondaryStatus !== undefined ? { secondaryStatus } : {}),
    }));
  }

  async describeJob(name: string): Promise<JobDetails> {
    this.count("DescribeTrainingJob");
    const job = this.jobs.get(name);
    if (job === undefined) throw new BackendError("not-found", `Requested resource not found: ${name}`, "ResourceNotFound");
    return job;
  }

  async stopJob(name: string): Promise<void> {
    this.count("StopTrainingJob");
    this.stopRequests.push(name);
    const failure = this.failStops.get(name);
    if (failure !== undefined) throw failure;
    const job = this.jobs.get(name);
    if (job === undefined) throw new BackendError("not-found", `Requested resource not found: ${name}`, "ResourceNotFound");
    if (job.status !== "InProgress")
      throw new BackendError(
        "validation",
        `The request was rejected because the training job is in status ${job.status}.`,
        "ValidationException",
      );
    this.jobs.set(name, { ...job, status: "Stopping", secondaryStatus: "Stopping" });
  }

  /** Moves a job on, as SageMaker would over time. */
  update(name: string, change: Partial<JobDetails>): void {
    const job = this.jobs.get(name);
    if (job === undefined) throw new Error(`no fake job ${name}`);
    this.jobs.set(name, { ...job, ...change });
  }
}
