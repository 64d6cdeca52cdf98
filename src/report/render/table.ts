import { formatDuration } from "../../util/duration.js";
import { formatSavings } from "../savings.js";
import { formatMetric } from "../snippet.js";
import { formatTable, formatUsd, plural } from "../table.js";
import type { CampaignReport, CostSummary, StateCounts } from "../types.js";
import { noBestLine } from "./no-best.js";

/** The banner every simulated report starts with, so its numbers are never taken for real ones. */
export const SIMULATED_BANNER = "SIMULATED: every number below (marked *) comes from the local SageMaker stand-in, not from SageMaker.";

/** Short column titles for the two metrics. */
const METRIC_TITLE: Readonly<Record<CampaignReport["objective"], string>> = {
  "validation:mIOU": "mIOU",
  "validation:pixel_accuracy": "PIXEL_ACC",
};

/** The report for people: plain text, pasted into issues and CI logs as it is. */
export function renderTable(report: CampaignReport): string {
  const sim = report.simulated ? "*" : "";
  const sections: string[] = [];
  if (report.simulated) sections.push(SIMULATED_BANNER);
  sections.push(
    [
      `Campaign ${report.campaign} (${report.sweepFile}), ranked by ${report.objective} (higher is better)`,
      `Points: ${formatCounts(report.counts)}`,
    ].join("\n"),
  );
  if (report.leaderboard.length === 0) {
    sections.push("No training job of this campaign exists yet: run `segsweep launch` first.");
  } else {
    const header = [
      "#",
      "JOB",
      "STATE",
      `${METRIC_TITLE[report.objective]}${sim}`,
      `${METRIC_TITLE[report.otherMetric]}${sim}`,
      `BILLABLE${sim}`,
      `COST${sim}`,
      ...report.varyingHyperparameters,
    ];
    const rows = report.leaderboard.map((row) => [
      String(row.rank),
      row.job,
      row.state,
      row.objective === null ? "-" : formatMetric(row.objective),
      row.otherMetric === null ? "-" : formatMetric(row.otherMetric),
      row.billableSeconds === null ? "-" : formatDuration(row.billableSeconds),
      row.costUsd !== null ? formatUsd(row.costUsd) : row.state === "in-progress" || row.state === "stopping" ? "-" : "unknown",
      ...report.varyingHyperparameters.map((key) => row.hyperparameters[key] ?? "-"),
    ]);
    sections.push(`Leaderboard\n${formatTable(header, rows)}`);
  }
  sections.push(
    report.best === null
      ? noBestLine(report)
      : `Best: ${report.best.job}, ${report.objective} = ${formatMetric(report.best.objective)}${sim}\n${report.best.sweepSnippet.trimEnd()}`,
  );
  if (report.failures.length > 0) {
    const lines = report.failures.map((failure) => {
      const retried = failure.retried > 0 ? `, ${failure.retried} retried` : "";
      return `  ${failure.count}× ${failure.reason} (e.g. ${failure.exampleJob}${retried})`;
    });
    sections.push(`Failures\n${lines.join("\n")}`);
  }
  sections.push(formatCost(report.cost, report.simulated));
  if (report.earlyTermination !== undefined) sections.push(formatSavings(report.earlyTermination, report.simulated));
  if (report.unplannedJobs.length > 0) {
    sections.push(
      `Not in the report: ${plural(report.unplannedJobs.length, "job")} of campaign ${report.campaign} that the sweep file no longer plans (it changed since they were launched), e.g. ${report.unplannedJobs[0]}.`,
    );
  }
  return `${sections.join("\n\n")}\n`;
}

/** `12 planned · 9 completed · 1 in progress · …`; states with no point are left out, `planned` never. */
export function formatCounts(counts: StateCounts): string {
  const parts: [number, string][] = [
    [counts.completed, "completed"],
    [counts.inProgress, "in progress"],
    [counts.stopping, "stopping"],
    [counts.stopped, "stopped"],
    [counts.terminated, "terminated early"],
    [counts.failed, "failed"],
    [counts.deleting, "deleting"],
    [counts.notStarted, "not started"],
  ];
  const shown = parts.filter(([count]) => count > 0).map(([count, label]) => `${count} ${label}`);
  const retries = counts.attempts > counts.planned - counts.notStarted ? ` (${counts.attempts} jobs, retries included)` : "";
  return [`${counts.planned} planned`, ...shown].join(" · ") + retries;
}

/** The cost line of a report: billable hours, dollars or "cost unknown" with why, and what is not counted yet. */
export function formatCost(cost: CostSummary, simulated: boolean): string {
  const label = simulated ? "Cost*" : "Cost";
  const hours = `${cost.billableHours.toFixed(2)} billable instance-hours`;
  const usd =
    cost.usd === null
      ? `cost unknown: no price in the catalog for ${cost.unpricedInstanceTypes.join(", ")}`
      : cost.jobsCostUnknown > 0 && cost.billableSeconds === 0
        ? `cost unknown for ${plural(cost.jobsCostUnknown, "job")}: SageMaker reported no billable time`
        : `${cost.jobsCostUnknown > 0 ? "at least " : ""}${formatUsd(cost.usd)} at ${cost.priceSource}`;
  const notes: string[] = [];
  if (cost.spot) notes.push("managed spot: billable time already counts the spot saving");
  if (cost.jobsCostUnknown > 0 && cost.billableSeconds > 0)
    notes.push(`cost unknown for ${plural(cost.jobsCostUnknown, "job")}: SageMaker reported no billable time`);
  if (cost.jobsStillRunning > 0) notes.push(`${plural(cost.jobsStillRunning, "running job")} not included yet (billed once ended)`);
  return `${label}: ${hours} · ${usd}${notes.map((note) => `\n  ${note}`).join("")}`;
}
