import { posix, win32 } from "node:path";
import { formatDuration } from "../../../util/duration.js";
import { formatSavings } from "../../savings.js";
import { formatMetric } from "../../snippet.js";
import { formatUsd, plural } from "../../table.js";
import type { CampaignReport, CurvePoint, FailureGroup, LeaderboardRow } from "../../types.js";
import { noBestLine } from "../no-best.js";
import { formatCost, formatCounts, SIMULATED_BANNER } from "../table.js";
import { type CostSeries, costOverTime } from "./cost-series.js";

/**
 * The report as the page's script reads it: column arrays instead of row objects (5,000 rows of
 * repeated keys would be most of the page), hyperparameter values as indexes into their sorted
 * values, numbers shown to people already formatted here (one owner for money and durations).
 */
export interface PageData {
  readonly campaign: string;
  /** As given, or its base name when it was an absolute path (no local paths in the page). */
  readonly sweepFile: string;
  readonly objective: string;
  readonly otherMetric: string;
  readonly simulated: boolean;
  /** Header lines, in words (the same as the text report's). */
  readonly summary: readonly string[];
  readonly best: { readonly job: string; readonly snippet: string } | null;
  readonly hyperparameters: readonly PageHyperparameter[];
  readonly rows: PageRows;
  /** The series, and the text report's cost lines (total, price source, what is not counted yet). */
  readonly cost: CostSeries & { readonly lines: readonly string[] };
  readonly curveScale: number;
  readonly failures: readonly FailureGroup[];
}

/** A varying hyperparameter: its values sorted (numerically when every value is a number). */
export interface PageHyperparameter {
  readonly name: string;
  readonly kind: "number" | "category";
  /** Numbers over two decades or more, all positive (learning rates): drawn on a log axis. */
  readonly log: boolean;
  readonly values: readonly string[];
}

/** One entry per leaderboard row, in rank order. */
export interface PageRows {
  readonly job: readonly string[];
  readonly state: readonly string[];
  readonly attempts: readonly number[];
  readonly objective: readonly (number | null)[];
  readonly other: readonly (number | null)[];
  readonly billable: readonly (number | null)[];
  readonly cost: readonly (number | null)[];
  /** Shown text of objective, other metric, billable time and cost ("-" when unknown). */
  readonly text: readonly (readonly [string, string, string, string])[];
  /** Per hyperparameter (same order as `hyperparameters`), per row: index into its values, -1 when absent. */
  readonly hp: readonly (readonly number[])[];
  /** Index into `terminationReasons` when the campaign's rule stopped the job, else -1. */
  readonly terminated: readonly number[];
  /** The distinct early-termination reasons (rules repeat the same few). */
  readonly terminationReasons: readonly string[];
  /**
   * Learning curves, null without one: `[epochs, steps]`, where epochs is the first epoch (when
   * they are consecutive) or the list of epochs, and value k is (steps[0] + … + steps[k]) /
   * CURVE_SCALE. Four decimals, as shown; small steps keep 150,000 values short.
   */
  readonly curves: readonly (readonly [number | readonly number[], readonly number[]] | null)[];
}

/** Curve values travel as integers in units of 1/CURVE_SCALE (the page's data says it again). */
export const CURVE_SCALE = 10_000;

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The page's data for a report. Pure. */
export function pageData(report: CampaignReport): PageData {
  const rows = report.leaderboard;
  const hyperparameters = report.varyingHyperparameters.map((name) => describeHyperparameter(name, rows));
  const best = report.best === null ? null : { job: report.best.job, snippet: report.best.sweepSnippet };
  const sim = report.simulated ? "*" : "";
  const summary = [
    ...(report.simulated ? [SIMULATED_BANNER] : []),
    `Ranked by ${report.objective} (higher is better). Points: ${formatCounts(report.counts)}`,
    report.best === null
      ? noBestLine(report)
      : `Best: ${report.best.job}, ${report.objective} = ${formatMetric(report.best.objective)}${sim}`,
    ...lines(formatCost(report.cost, report.simulated)),
    ...(report.earlyTermination !== undefined ? lines(formatSavings(report.earlyTermination, report.simulated)) : []),
  ];
  if (report.unplannedJobs.length > 0) {
    summary.push(
      `Not in the report: ${plural(report.unplannedJobs.length, "job")} that the sweep file no longer plans, e.g. ${report.unplannedJobs[0]}.`,
    );
  }
  return {
    campaign: report.campaign,
    sweepFile: displayPath(report.sweepFile),
    objective: report.objective,
    otherMetric: report.otherMetric,
    simulated: report.simulated,
    summary,
    best,
    hyperparameters,
    rows: pageRows(rows, hyperparameters),
    cost: { ...costOverTime(report.jobs ?? []), lines: lines(formatCost(report.cost, report.simulated)) },
    failures: report.failures,
    curveScale: CURVE_SCALE,
  };
}

/** A multi-line text as its lines, indentation dropped (each becomes its own paragraph on the page). */
function lines(text: string): string[] {
  return text.split("\n").map((line) => line.trim());
}

function pageRows(rows: readonly LeaderboardRow[], hyperparameters: readonly PageHyperparameter[]): PageRows {
  const unknown = (value: number | null, format: (value: number) => string) => (value === null ? "-" : format(value));
  const reasons = [...new Set(rows.flatMap((row) => (row.terminated === undefined ? [] : [row.terminated.reason])))];
  return {
    job: rows.map((row) => row.job),
    state: rows.map((row) => row.state),
    attempts: rows.map((row) => row.attempts),
    objective: rows.map((row) => row.objective),
    other: rows.map((row) => row.otherMetric),
    billable: rows.map((row) => row.billableSeconds),
    cost: rows.map((row) => row.costUsd),
    text: rows.map((row) => [
      unknown(row.objective, formatMetric),
      unknown(row.otherMetric, formatMetric),
      unknown(row.billableSeconds, formatDuration),
      unknown(row.costUsd, formatUsd),
    ]),
    hp: hyperparameters.map((hp) => {
      const index = new Map(hp.values.map((value, i) => [value, i]));
      return rows.map((row) => index.get(row.hyperparameters[hp.name] ?? "") ?? -1);
    }),
    terminated: rows.map((row) => (row.terminated === undefined ? -1 : reasons.indexOf(row.terminated.reason))),
    terminationReasons: reasons,
    curves: rows.map((row) => (row.curve === undefined || row.curve.length === 0 ? null : compactCurve(row.curve))),
  };
}

/** Numbers when every value given is one (then sorted numerically, log when all positive over ≥ 2 decades), else categories sorted. */
export function describeHyperparameter(name: string, rows: readonly LeaderboardRow[]): PageHyperparameter {
  const distinct = [...new Set(rows.flatMap((row) => (row.hyperparameters[name] === undefined ? [] : [row.hyperparameters[name]])))];
  if (distinct.length > 0 && distinct.every((value) => NUMBER.test(value.trim()))) {
    const sorted = distinct.map((value) => ({ value, number: Number(value) })).sort((a, b) => a.number - b.number);
    const min = sorted[0]?.number ?? 0;
    const max = sorted.at(-1)?.number ?? 0;
    return { name, kind: "number", log: min > 0 && max / min >= 100, values: sorted.map((entry) => entry.value) };
  }
  return { name, kind: "category", log: false, values: distinct.sort((a, b) => a.localeCompare(b)) };
}

/** A curve as PageRows.curves holds it. */
export function compactCurve(curve: readonly CurvePoint[]): readonly [number | readonly number[], readonly number[]] {
  const units = curve.map((point) => Math.round(point.value * CURVE_SCALE));
  const steps = units.map((unit, k) => unit - (k === 0 ? 0 : (units[k - 1] ?? 0)));
  const first = curve[0]?.epoch ?? 0;
  const consecutive = curve.every((point, i) => point.epoch === first + i);
  return [consecutive ? first : curve.map((point) => point.epoch), steps];
}

/** A path fit to show on a page: relative paths as given, absolute ones (POSIX or Windows) by their base name. */
export function displayPath(path: string): string {
  // win32.isAbsolute also holds for POSIX absolute paths ("/home/..."), and for "C:\\..." and "\\\\server\\...".
  return win32.isAbsolute(path) ? posix.basename(path.replaceAll("\\", "/")) : path;
}
