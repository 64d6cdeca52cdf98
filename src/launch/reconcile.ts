import pLimit from "p-limit";
import { BackendError, isTerminal, type JobDetails, type TrainingBackend } from "../backend/types.js";
import { parseJobName } from "../plan/job-name.js";
import type { LaunchPlan } from "../plan/types.js";
import type { Journal } from "./journal.js";
import { deservesRetry, endedRecord, type JobRecords, latestAttempts, plannedRecord, runningRecord } from "./records.js";

/**
 * Before launching anything: what does SageMaker already have of this campaign? One listing (pages
 * of 100) finds every job; ended jobs are described once, unless the journal already has them.
 * The result says, per planned job, whether it runs, ended, or still needs an attempt.
 */
export interface Reconciled {
  readonly records: JobRecords;
  /** The latest server creation time seen, the follower's first narrowing of its listings. */
  readonly createdWatermark?: number;
  /** Jobs with the campaign's prefix that this plan does not have (an edited sweep file, or another campaign). */
  readonly unplanned: readonly string[];
}

export interface ReconcileOptions {
  readonly plan: LaunchPlan;
  readonly backend: TrainingBackend;
  readonly journal: Journal;
  /** Automatic retries per planned job after capacity or internal errors. */
  readonly maxRetries: number;
}

/** Describes at most this many ended jobs at once (a colleague's machine has no journal). */
const DESCRIBE_PARALLELISM = 4;

/** The campaign's name prefix: every job name is `<campaign>-<pointId>[-r<N>]`. */
export function campaignPrefix(plan: LaunchPlan): string {
  return `${plan.campaign}-`;
}

/** Lists the campaign on SageMaker and builds the records, planning a next attempt where one is due. */
export async function reconcile(options: ReconcileOptions): Promise<Reconciled> {
  const { plan, backend, journal } = options;
  const planned = new Set(plan.jobs.map((job) => job.name));
  const journaled = new Map<string, JobDetails>();
  for (const entry of await journal.load()) if (entry.type === "ended") journaled.set(entry.name, entry.details);

  const listed = await backend.listJobs(campaignPrefix(plan));
  const records: JobRecords = new Map();
  const unplanned: string[] = [];
  const describe = pLimit(DESCRIBE_PARALLELISM);
  const describing: Promise<void>[] = [];
  let createdWatermark: number | undefined;
  for (const snapshot of listed) {
    createdWatermark = Math.max(createdWatermark ?? snapshot.createdAt, snapshot.createdAt);
    if (!planned.has(parseJobName(snapshot.name).plannedName)) {
      unplanned.push(snapshot.name);
      continue;
    }
    if (!isTerminal(snapshot.status)) {
      records.set(snapshot.name, runningRecord(snapshot));
      continue;
    }
    const known = journaled.get(snapshot.name);
    if (known !== undefined && isTerminal(known.status)) {
      records.set(snapshot.name, endedRecord(known));
      continue;
    }
    describing.push(
      describe(async () => {
        let details: JobDetails;
        try {
          details = await backend.describeJob(snapshot.name);
        } catch (error) {
          // Deleted since the listing (DeleteTrainingJob): as if it had never been there.
          if (error instanceof BackendError && error.kind === "not-found") return;
          throw error;
        }
        records.set(snapshot.name, endedRecord(details));
        await journal.append({ type: "ended", name: snapshot.name, details });
      }),
    );
  }
  await Promise.all(describing);

  // Every planned job without a live attempt gets a planned record: its first, or its next after a retryable end.
  const latest = latestAttempts(records);
  for (const job of plan.jobs) {
    const last = latest.get(job.name);
    if (last === undefined) records.set(job.name, plannedRecord(job.name, 0));
    else if (deservesRetry(last, options.maxRetries)) {
      const next = plannedRecord(job.name, last.attempt + 1);
      records.set(next.name, next);
    }
  }
  return { records, unplanned, ...(createdWatermark !== undefined ? { createdWatermark } : {}) };
}
