import { describeEarlyTermination } from "../../plan/early-termination.js";
import type { LaunchPlan } from "../../plan/types.js";
import { formatDuration } from "../../util/duration.js";

/** The plan as `segsweep plan` prints it: a header of counts and cost, then one row per job. */
export function renderPlanTable(plan: LaunchPlan, options: { summary?: boolean } = {}): string {
  const lines = [...renderHeader(plan)];
  if (options.summary || plan.jobs.length === 0) return `${lines.join("\n")}\n`;
  const varying = varyingKeys(plan);
  const first = plan.jobs[0]?.hyperparameters ?? {};
  const fixed = Object.keys(first).filter((key) => !varying.includes(key));
  const rows = plan.jobs.map((job, i) => [String(i + 1), job.name, ...varying.map((key) => job.hyperparameters[key] ?? "—")]);
  lines.push("", ...table(["#", "JOB NAME", ...varying], rows));
  if (fixed.length > 0) lines.push("", `Same for every job: ${fixed.map((key) => `${key}=${first[key] ?? ""}`).join(" ")}`);
  return `${lines.join("\n")}\n`;
}

function renderHeader(plan: LaunchPlan): string[] {
  const { counts, cost, resources, limits } = plan;
  const lines = [
    `Campaign   ${plan.campaign}  (${plan.sweepFile})`,
    ...(plan.description ? [`           ${plan.description.trim().split("\n")[0] ?? ""}`] : []),
    `Search     ${plan.strategy} · objective ${plan.objective} (maximized)`,
    `Points     ${n(counts.expanded)} expanded · ${n(counts.excluded)} excluded · ${n(counts.duplicates)} duplicates dropped · ${n(counts.jobs)} jobs`,
  ];
  if (counts.duplicates > 0) {
    const saved = cost.perJobUsd === null ? "" : ` (up to ${usd(cost.perJobUsd * counts.duplicates)} of GPU time not spent)`;
    lines.push(
      `           ${n(counts.duplicates)} point${counts.duplicates === 1 ? " was" : "s were"} the same training as another point (ignored or normalised parameters): ${n(counts.duplicates)} fewer job${counts.duplicates === 1 ? "" : "s"} to pay for${saved}`,
    );
  }
  lines.push(
    `Resources  ${resources.instanceType} × ${resources.instanceCount} · ${resources.volumeGb} GB · max runtime ${formatDuration(resources.maxRuntimeSeconds)}${resources.spot ? ` · spot (max wait ${formatDuration(resources.maxWaitSeconds ?? 0)})` : " · on-demand"}`,
    `Limits     max concurrency ${limits.maxConcurrency} · max jobs ${n(limits.maxJobs)} · max failures ${limits.maxFailures}`,
    `Cost       ${costLine(plan)}`,
  );
  if (plan.earlyTermination !== undefined) lines.push(`Early stop ${describeEarlyTermination(plan.earlyTermination)}`);
  return lines;
}

function costLine(plan: LaunchPlan): string {
  const { cost } = plan;
  if (cost.totalUsd === null || cost.perJobUsd === null || cost.usdPerHour === null) {
    return `unknown: no price for ${cost.instanceType}${cost.budgetUsd !== undefined ? ` · budget ${usd(cost.budgetUsd)} cannot be checked` : ""}`;
  }
  const bound = `at most ${usd(cost.totalUsd)} = ${n(plan.counts.jobs)} jobs × ${usd(cost.perJobUsd)} (${formatDuration(cost.maxRuntimeSeconds)} × $${cost.usdPerHour}/h on-demand, us-east-1)`;
  if (cost.budgetUsd === undefined) return `${bound} · no budget set`;
  return `${bound} · budget ${usd(cost.budgetUsd)} ${cost.withinBudget ? "✓ within" : "✖ OVER BUDGET"}`;
}

/** Hyperparameters whose sent value differs between jobs (or that some jobs do not send). */
export function varyingKeys(plan: LaunchPlan): string[] {
  const first = plan.jobs[0]?.hyperparameters ?? {};
  const keys = new Set<string>();
  for (const job of plan.jobs) for (const key of Object.keys(job.hyperparameters)) keys.add(key);
  return [...keys].filter((key) => plan.jobs.some((job) => job.hyperparameters[key] !== first[key]));
}

/** The jobs as CSV: one row per job, one column per hyperparameter (empty when not sent). */
export function renderPlanCsv(plan: LaunchPlan): string {
  const keys = [...new Set(plan.jobs.flatMap((job) => Object.keys(job.hyperparameters)))];
  const header = ["name", "point_id", ...keys];
  const rows = plan.jobs.map((job) => [job.name, job.pointId, ...keys.map((key) => job.hyperparameters[key] ?? "")]);
  return `${[header, ...rows].map((row) => row.map(csvField).join(",")).join("\n")}\n`;
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Rows in aligned columns, two spaces apart. */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** A count with thousands separators. */
export function n(value: number): string {
  return value.toLocaleString("en-US");
}

/** Dollars with cents. */
export function usd(value: number): string {
  return `$${value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
