import pLimit from "p-limit";
import { classifyAwsError } from "../backend/classify.js";
import { type BackendError, isTerminal, type JobDetails, type JobSnapshot, type TrainingBackend } from "../backend/types.js";

/**
 * "Describe the ended jobs", written once: DescribeTrainingJob at most `parallelism` at a time for
 * the whole campaign (SageMaker's API is rate-limited per account, and a burst of ends at
 * concurrency 200 must not overflow the SDK's socket pool, docs/sources.md#campaign), each job once: a job that ended never
 * changes, so what was read (or what the journal holds) is kept.
 */

/** Describes at most this many jobs at once. */
export const DESCRIBE_PARALLELISM = 8;

export interface Describer {
  /** DescribeTrainingJob, queued behind the others; undefined when the job no longer exists (deleted). */
  describe(name: string, signal?: AbortSignal): Promise<JobDetails | undefined>;
}

/** A describer with its own bound on calls in flight. */
export function createDescriber(backend: TrainingBackend, parallelism = DESCRIBE_PARALLELISM): Describer {
  const limit = pLimit(parallelism);
  return {
    describe: (name, signal) =>
      limit(async () => {
        try {
          return await backend.describeJob(name, signal !== undefined ? { signal } : {});
        } catch (error) {
          // Deleted since it was listed (DeleteTrainingJob): there is nothing left to read.
          if (classifyAwsError(error).kind === "not-found") return undefined;
          throw error;
        }
      }),
  };
}

/** What describing a set of ended jobs gave. */
export interface DescribedJobs {
  /** Details by name: those already known and those read now. */
  readonly details: ReadonlyMap<string, JobDetails>;
  /** Jobs that could not be described (still refused after the backend's retries): their metrics are missing, not the whole answer. */
  readonly unreadable: readonly { readonly name: string; readonly error: BackendError }[];
  /** Jobs gone since the listing. */
  readonly gone: readonly string[];
}

/** Whether known details are still SageMaker's answer for a listed job: same creation, same status. */
export function stillTrue(known: JobDetails | undefined, listed: JobSnapshot): known is JobDetails {
  return known !== undefined && known.status === listed.status && known.createdAt === listed.createdAt;
}

/**
 * Describes the listed ended jobs whose details are not known yet (or no longer true). Never
 * throws for one job: a job that stays unreadable is returned as such.
 */
export async function describeEnded(
  describer: Describer,
  listed: readonly JobSnapshot[],
  known: ReadonlyMap<string, JobDetails>,
  signal?: AbortSignal,
): Promise<DescribedJobs> {
  const details = new Map<string, JobDetails>();
  const unreadable: { name: string; error: BackendError }[] = [];
  const gone: string[] = [];
  const reads: Promise<void>[] = [];
  for (const job of listed) {
    if (!isTerminal(job.status)) continue;
    const cached = known.get(job.name);
    if (stillTrue(cached, job)) {
      details.set(job.name, cached);
      continue;
    }
    reads.push(
      describer.describe(job.name, signal).then(
        (read) => (read === undefined ? void gone.push(job.name) : void details.set(job.name, read)),
        (error: unknown) => {
          const classified = classifyAwsError(error);
          if (classified.kind === "access-denied") throw classified;
          unreadable.push({ name: job.name, error: classified });
        },
      ),
    );
  }
  await Promise.all(reads);
  return { details, unreadable, gone };
}
