import { describeEarlyTermination } from "../../plan/early-termination.js";
import type { JobsPlan, PlannedJob } from "../../plan/types.js";
import { formatDuration } from "../../util/duration.js";
import { worstCaseProduct } from "./money.js";

/**
 * The plan as `segsweep plan` prints it: a header of counts and cost, then the jobs as a table,
 * CSV or JSON. The job list comes as an iterable that each format walks lazily, so a plan of any
 * size prints in bounded memory (`planSweepStreaming`); only the table, which must measure its
 * columns, holds its rows, and it shows at most TABLE_MAX_ROWS of them.
 */

/** More rows than any terminal shows usefully: beyond this the table says so and points at CSV. */
export const TABLE_MAX_ROWS = 10_000;

/** A walkable job list: called once per pass. */
export type JobList = () => Iterable<PlannedJob>;

/** The table: header, then one row per job with what varies, then what is the same for every job. */
export function renderPlanTable(plan: JobsPlan, jobs: JobList | undefined, options: { file?: string } = {}): string {
  const lines = renderHeader(plan);
  if (jobs === undefined || plan.counts.jobs === 0) return `${lines.join("\n")}\n`;
  if (plan.counts.jobs > TABLE_MAX_ROWS) {
    const file = options.file ?? plan.sweepFile;
    lines.push(
      "",
      `${n(plan.counts.jobs)} jobs are more than a table shows (${n(TABLE_MAX_ROWS)} rows at most).`,
      `List them all with \`segsweep plan ${file} --format csv\` (or --format json); \`--summary\` prints only the counts and the cost.`,
    );
    return `${lines.join("\n")}\n`;
  }
  const list = [...jobs()];
  const varying = varyingKeys(list);
  const first = list[0]?.hyperparameters ?? {};
  const fixed = Object.keys(first).filter((key) => !varying.includes(key));
  const rows = list.map((job, i) => [String(i + 1), job.name, ...varying.map((key) => job.hyperparameters[key] ?? "—")]);
  lines.push("", ...table(["#", "JOB NAME", ...varying], rows));
  if (fixed.length > 0) lines.push("", `Same for every job: ${fixed.map((key) => `${key}=${first[key] ?? ""}`).join(" ")}`);
  return `${lines.join("\n")}\n`;
}

function renderHeader(plan: JobsPlan): string[] {
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

function costLine(plan: JobsPlan): string {
  const { cost } = plan;
  if (cost.totalUsd === null || cost.perJobUsd === null || cost.usdPerHour === null) {
    return `unknown: no price for ${cost.instanceType}${cost.budgetUsd !== undefined ? ` · budget ${usd(cost.budgetUsd)} cannot be checked` : ""}`;
  }
  const bound = `at most ${usd(cost.totalUsd)} = ${worstCaseProduct(cost, plan.counts.jobs)} (on-demand, us-east-1)`;
  if (cost.budgetUsd === undefined) return `${bound} · no budget set`;
  return `${bound} · budget ${usd(cost.budgetUsd)} ${cost.withinBudget ? "✓ within" : "✖ OVER BUDGET"}`;
}

/** Hyperparameters whose sent value differs between jobs (or that some jobs do not send). */
export function varyingKeys(jobs: readonly PlannedJob[]): string[] {
  const first = jobs[0]?.hyperparameters ?? {};
  const keys = new Set<string>();
  for (const job of jobs) for (const key of Object.keys(job.hyperparameters)) keys.add(key);
  return [...keys].filter((key) => jobs.some((job) => job.hyperparameters[key] !== first[key]));
}

/**
 * The jobs as CSV, in chunks: one row per job, one column per hyperparameter any job sends (empty
 * where a job does not). A first pass over `jobs` finds the columns; the second, over `rows` (the
 * same list, perhaps reporting progress), writes the rows.
 */
export function* planCsvChunks(jobs: JobList, rows: JobList = jobs): Generator<string> {
  const keys = new Set<string>();
  for (const job of jobs()) for (const key of Object.keys(job.hyperparameters)) keys.add(key);
  const columns = [...keys];
  yield `${["name", "point_id", ...columns].map(csvField).join(",")}\n`;
  for (const job of rows()) {
    yield `${[job.name, job.pointId, ...columns.map((key) => job.hyperparameters[key] ?? "")].map(csvField).join(",")}\n`;
  }
}

/**
 * The plan as JSON, in chunks, exactly as `JSON.stringify(plan, null, 2)` would print it with the
 * jobs in place of `plan.jobs`, without ever holding the whole text (or the job list).
 * `jobs` undefined: a summary, printed without the `jobs` key.
 */
export function* planJsonChunks(plan: JobsPlan, jobs: JobList | undefined): Generator<string> {
  const entries = Object.entries(plan).filter(([key, value]) => value !== undefined && (key !== "jobs" || jobs !== undefined));
  yield "{\n";
  for (const [i, [key, value]] of entries.entries()) {
    const comma = i < entries.length - 1 ? "," : "";
    if (key !== "jobs" || jobs === undefined) {
      yield `  ${JSON.stringify(key)}: ${indent(JSON.stringify(value, null, 2), "  ")}${comma}\n`;
      continue;
    }
    let first = true;
    for (const job of jobs()) {
      yield `${first ? '  "jobs": [\n' : ",\n"}    ${indent(JSON.stringify(job, null, 2), "    ")}`;
      first = false;
    }
    yield first ? `  "jobs": []${comma}\n` : `\n  ]${comma}\n`;
  }
  yield "}\n";
}

function indent(text: string, by: string): string {
  return text.replace(/\n/g, `\n${by}`);
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Rows in aligned columns, two spaces apart (the widths measured in one loop: no spread of a million rows). */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h) => h.length);
  for (const row of rows) for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length);
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
