import type { TuningJobView } from "../campaign/tuning-read.js";
import { formatTable, plural } from "./table.js";

/**
 * What `status` and `report` add for a tuning campaign, beside the leaderboard: each tuning job's
 * state, its training jobs, AMT's own best training job (by the objective AMT saw: the last value
 * a job reported) and the jobs AMT stopped early. Pure.
 */

/** One tuning job as the report shows it. */
export interface TuningJobSummary {
  readonly name: string;
  readonly branch: number;
  /** SageMaker's status, or "not-started" when no tuning job of that name exists. */
  readonly status: string;
  readonly trainingJobs: number;
  readonly maxTrainingJobs: number | null;
  readonly best: { readonly job: string; readonly objective: number | null } | null;
  /**
   * Training jobs that ended Stopped while nobody had asked the tuning job to stop, and not at
   * their max_runtime: AMT stopped them (Hyperband's own early stopping). Once the tuning job itself was stopped, a stopped job's
   * cause cannot be told apart, and such jobs are counted in `stoppedWithTuningJob` instead.
   */
  readonly stoppedByAmt: readonly string[];
  readonly stoppedWithTuningJob: number;
  readonly failureReason: string | null;
}

/** Stopped by SageMaker at the job's own limit, not by AMT (docs/sources.md#amt-campaign). */
const LIMIT_STOPS: ReadonlySet<string> = new Set(["MaxRuntimeExceeded", "MaxWaitTimeExceeded"]);

/**
 * The summaries of a campaign's tuning jobs, in branch order. `secondaryStatus` gives the
 * training jobs' secondary status where their full record is known (it tells a stop at
 * max_runtime from AMT's own).
 */
export function summarizeTuningJobs(
  views: readonly TuningJobView[],
  maxTrainingJobs: readonly number[],
  secondaryStatus: ReadonlyMap<string, string | undefined> = new Map(),
): TuningJobSummary[] {
  return views.map((view, index) => {
    const details = view.details;
    const stoppedJobs = view.trainingJobs
      .filter((job) => job.status === "Stopped" && !LIMIT_STOPS.has(secondaryStatus.get(job.name) ?? ""))
      .map((job) => job.name);
    const tuningStopped = details?.status === "Stopping" || details?.status === "Stopped";
    const best = details?.best;
    return {
      name: view.name,
      branch: view.branch,
      status: details?.status ?? "not-started",
      trainingJobs: view.trainingJobs.length,
      maxTrainingJobs: details?.maxTrainingJobs ?? maxTrainingJobs[index] ?? null,
      best: best !== undefined ? { job: best.name, objective: best.objective?.value ?? null } : null,
      stoppedByAmt: tuningStopped ? [] : stoppedJobs,
      stoppedWithTuningJob: tuningStopped ? stoppedJobs.length : 0,
      failureReason: details?.failureReason ?? null,
    };
  });
}

/** The summaries as a table and a few lines, for people. */
export function renderTuningJobs(summaries: readonly TuningJobSummary[]): string {
  const rows = summaries.map((s) => [
    s.name,
    s.status,
    `${s.trainingJobs}/${s.maxTrainingJobs ?? "?"}`,
    s.best === null ? "-" : `${s.best.job}${s.best.objective !== null ? ` (${s.best.objective.toFixed(4)})` : ""}`,
    String(s.stoppedByAmt.length),
  ]);
  const lines = [
    "Tuning jobs (SageMaker Automatic Model Tuning):",
    formatTable(["tuning job", "status", "training jobs", "AMT's best", "stopped early by AMT"], rows).trimEnd(),
  ];
  for (const s of summaries) {
    if (s.stoppedByAmt.length > 0)
      lines.push(`${s.name}: AMT stopped ${plural(s.stoppedByAmt.length, "job")} early: ${s.stoppedByAmt.join(", ")}.`);
    if (s.stoppedWithTuningJob > 0)
      lines.push(
        `${s.name}: ${plural(s.stoppedWithTuningJob, "job")} stopped with the tuning job (or by AMT before it: SageMaker does not tell).`,
      );
    if (s.failureReason !== null) lines.push(`${s.name}: ${s.failureReason}`);
  }
  return `${lines.join("\n")}\n`;
}
