import { formatHourlyPrice } from "../../catalog/price.js";
import type { CostBound } from "../../plan/types.js";
import { formatDuration } from "../../util/duration.js";

/**
 * Money as every command prints it: dollars with cents and thousands separators, hourly prices as
 * the catalog has them, and the worst case as a product whose factors multiply out to its total
 * (jobs × max runtime × instances × price; never a per-job figure rounded to cents times the jobs).
 */

/** `$1,234.56`. */
export function usd(value: number): string {
  return `$${value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** `$12.34`, or `cost unknown` when unknown. */
export function usdOrUnknown(value: number | null): string {
  return value === null ? "cost unknown" : usd(value);
}

/**
 * A total of which some parts are unknown: `$12.34`, `at least $12.34 (cost unknown for 2 jobs)`,
 * or `cost unknown for 6 jobs` when every part is.
 */
export function usdTotal(knownUsd: number, unknownJobs: number, totalJobs: number): string {
  if (unknownJobs === 0) return usd(knownUsd);
  const jobs = `${unknownJobs.toLocaleString("en-US")} job${unknownJobs === 1 ? "" : "s"}`;
  if (unknownJobs >= totalJobs) return `cost unknown for ${jobs}`;
  return `at least ${usd(knownUsd)} (cost unknown for ${jobs})`;
}

/** `6 jobs × 3h × 1 ml.p3.2xlarge × $3.825/h` (the factors of the worst case); the price factor only when known. */
export function worstCaseProduct(cost: CostBound, jobs: number, unit = "jobs"): string {
  const price = cost.usdPerHour !== null ? ` × ${formatHourlyPrice(cost.usdPerHour)}` : "";
  return `${jobs.toLocaleString("en-US")} ${unit} × ${formatDuration(cost.maxRuntimeSeconds)} × ${cost.instanceCount} ${cost.instanceType}${price}`;
}
