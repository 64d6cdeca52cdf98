import { formatCsv } from "../table.js";
import type { CampaignReport } from "../types.js";

/**
 * The leaderboard as CSV: one row per point, full precision, empty cells for unknown values,
 * RFC 4180 quoting, the varying hyperparameters as the last columns.
 */
export function renderCsv(report: CampaignReport): string {
  const header = [
    "rank",
    "job",
    "planned_job",
    "attempts",
    "state",
    "secondary_status",
    report.objective,
    report.otherMetric,
    "billable_seconds",
    "cost_usd",
    "simulated",
    ...report.varyingHyperparameters,
    // Early termination, last so the columns before keep their places: the rule's reason (the savings' total is in the table, json and html).
    ...(report.earlyTermination !== undefined ? ["terminated_reason"] : []),
  ];
  const rows = report.leaderboard.map((row) => [
    String(row.rank),
    row.job,
    row.plannedJob,
    String(row.attempts),
    row.state,
    row.secondaryStatus ?? "",
    row.objective === null ? "" : String(row.objective),
    row.otherMetric === null ? "" : String(row.otherMetric),
    row.billableSeconds === null ? "" : String(row.billableSeconds),
    row.costUsd === null ? "" : String(row.costUsd),
    String(report.simulated),
    ...report.varyingHyperparameters.map((key) => row.hyperparameters[key] ?? ""),
    ...(report.earlyTermination !== undefined ? [row.terminated?.reason ?? ""] : []),
  ]);
  return formatCsv(header, rows);
}
