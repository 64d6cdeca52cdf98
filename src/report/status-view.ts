import { z } from "zod";
import { isTerminal, type JobDetails, type JobSnapshot } from "../backend/types.js";
import { matchJobs } from "../campaign/membership.js";
import type { JobsPlan } from "../plan/types.js";
import { Objective } from "../sweep/definition.js";
import { formatDuration } from "../util/duration.js";
import { countStates, pointState, type Terminated } from "./points.js";
import { formatCounts } from "./render/table.js";
import { formatMetric } from "./snippet.js";
import { formatTable, plural } from "./table.js";
import { PointState, StateCounts } from "./types.js";

/** One planned point as `segsweep status` shows it. */
export const StatusRow = z.object({
  /** The planned job name (the point). */
  plannedJob: z.string(),
  /** The latest attempt's SageMaker name; null when the point has not been launched. */
  job: z.string().nullable(),
  attempts: z.number().int().min(0),
  state: PointState,
  secondaryStatus: z.string().nullable(),
  /** CreationTime, ISO 8601. */
  createdAt: z.string().nullable(),
  /** From creation to the end (or to now while it runs). */
  elapsedSeconds: z.number().min(0).nullable(),
  /** BillableTimeInSeconds × instances, once the job has ended and been described. */
  billableSeconds: z.number().min(0).nullable(),
  /** The objective metric from FinalMetricDataList, when known. */
  objective: z.number().nullable(),
  /** A running job's last epoch reported to CloudWatch, and the objective then (status-epochs.ts). */
  epoch: z.number().int().min(1).optional(),
  epochObjective: z.number().optional(),
});
export type StatusRow = z.infer<typeof StatusRow>;

/** What `segsweep status --json` prints: one object per refresh. */
export const StatusView = z.object({
  campaign: z.string(),
  objective: Objective,
  /** When the listing was taken, ISO 8601. */
  at: z.string(),
  counts: StateCounts,
  /** Every planned point is terminal (completed, stopped, failed). */
  finished: z.boolean(),
  jobs: z.array(StatusRow),
  unplannedJobs: z.array(z.string()),
  /** A rehearsal's state (`--simulate`): every number is made up. */
  simulated: z.boolean().optional(),
});
export type StatusView = z.infer<typeof StatusView>;

/**
 * The campaign's state from its jobs (a Search's full records, or ListTrainingJobs snapshots) plus
 * whatever details are known for ended jobs (`details`, by job name): the details give billable
 * time and metrics, which ListTrainingJobs does not. Pure; `now` is epoch ms.
 */
export function summarizeStatus(
  plan: JobsPlan,
  snapshots: readonly JobSnapshot[],
  details: ReadonlyMap<string, JobDetails>,
  now: number,
  terminated: Terminated = new Map(),
): StatusView {
  const { points, unplanned } = matchJobs(plan, snapshots);
  const jobs = points.map((point): StatusRow => {
    const latest = point.latest;
    if (latest === undefined) {
      return {
        plannedJob: point.planned.name,
        job: null,
        attempts: 0,
        state: "not-started",
        secondaryStatus: null,
        createdAt: null,
        elapsedSeconds: null,
        billableSeconds: null,
        objective: null,
      };
    }
    const described = details.get(latest.name);
    const end = isTerminal(latest.status) ? (latest.endedAt ?? latest.lastModifiedAt ?? now) : now;
    const instances = described?.instanceCount ?? plan.resources.instanceCount;
    const objective = described?.metrics[plan.objective];
    return {
      plannedJob: point.planned.name,
      job: latest.name,
      attempts: point.attempts.length,
      state: pointState(point, terminated),
      secondaryStatus: latest.secondaryStatus ?? described?.secondaryStatus ?? null,
      createdAt: new Date(latest.createdAt).toISOString(),
      elapsedSeconds: Math.max(0, (end - latest.createdAt) / 1000),
      billableSeconds: described?.billableSeconds === undefined ? null : described.billableSeconds * instances,
      objective: objective !== undefined && Number.isFinite(objective) ? objective : null,
    };
  });
  return {
    campaign: plan.campaign,
    objective: plan.objective,
    at: new Date(now).toISOString(),
    counts: countStates(points, terminated),
    finished: points.every((point) => point.latest !== undefined && isTerminal(point.latest.status)),
    jobs,
    unplannedJobs: unplanned.map((job) => job.name),
  };
}

/** The status table: a summary line, then one row per planned point, in plan order. */
export function renderStatus(view: StatusView): string {
  const header = ["JOB", "STATE", "SECONDARY", "ELAPSED", "BILLABLE", view.objective];
  const rows = view.jobs.map((row) => [
    row.job ?? row.plannedJob,
    row.state === "not-started" ? "not started" : row.state,
    row.secondaryStatus ?? "-",
    row.elapsedSeconds === null ? "-" : formatDuration(row.elapsedSeconds),
    row.billableSeconds === null ? "-" : formatDuration(row.billableSeconds),
    row.objective !== null
      ? formatMetric(row.objective)
      : row.epoch !== undefined && row.epochObjective !== undefined
        ? `${formatMetric(row.epochObjective)} (epoch ${row.epoch})`
        : "-",
  ]);
  const lines = [
    ...(view.simulated === true ? ["SIMULATED: a rehearsal on the local stand-in (launch --simulate); nothing here ran on AWS.", ""] : []),
    `Campaign ${view.campaign}: ${formatCounts(view.counts)}`,
    "",
    formatTable(header, rows),
  ];
  if (view.unplannedJobs.length > 0) {
    lines.push(
      "",
      `Also ${plural(view.unplannedJobs.length, "job")} of this campaign that the sweep file no longer plans (it changed since), e.g. ${view.unplannedJobs[0]}.`,
    );
  }
  return `${lines.join("\n")}\n`;
}
