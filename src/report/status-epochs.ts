import type { JobCurve } from "../backend/metric-source.js";
import type { StatusView } from "./status-view.js";

/**
 * `segsweep status`'s per-epoch column: each running job's last reported epoch and its objective
 * there, from the metric source's curves (one batched CloudWatch call per refresh for up to 125
 * running jobs; docs/early-termination.md). Pure.
 */
export function withLatestEpochs(view: StatusView, curves: ReadonlyMap<string, JobCurve>): StatusView {
  const jobs = view.jobs.map((row) => {
    if (row.job === null || row.state !== "in-progress") return row;
    const last = curves.get(row.job)?.epochs.at(-1);
    const value = last?.values[view.objective];
    if (last === undefined || value === undefined) return row;
    return { ...row, epoch: last.epoch, epochObjective: value };
  });
  return { ...view, jobs };
}
