import type { JobCurve } from "../backend/metric-source.js";
import type { JobDetails } from "../backend/types.js";
import { parseJobName } from "../plan/job-name.js";
import type { JobsPlan } from "../plan/types.js";
import { jobCost } from "./cost.js";
import type { EarlyTerminationSavings } from "./types.js";

/**
 * What early termination saved: the terminated jobs' billable time and cost, against the worst
 * case of training each of them to its last epoch. The worst case of one job is estimated from its
 * own curve: what it was billed, plus its remaining epochs at the pace its reported epochs came
 * (the time between its first and last reported epoch over the epochs between them; with fewer
 * than two, its billable time over the epochs it reached, which counts start-up as training and so
 * overstates). A job with no epoch reported, no billable time or no price makes the total unknown
 * (null), never 0. Pure. docs/early-termination.md, "What it saved".
 */

export const SAVINGS_ESTIMATE =
  "each terminated job's billable time plus its remaining epochs at the pace of its reported epochs (CloudWatch datapoints)";

const DEFAULT_EPOCHS = 10;

/** The savings of the jobs in `terminated`; undefined when none was terminated. */
export function earlyTerminationSavings(
  plan: JobsPlan,
  jobs: readonly JobDetails[],
  terminated: ReadonlyMap<string, string>,
  curves: ReadonlyMap<string, JobCurve>,
): EarlyTerminationSavings | undefined {
  if (terminated.size === 0) return undefined;
  const epochsOf = new Map(plan.jobs.map((job) => [job.name, Number(job.hyperparameters.epochs ?? DEFAULT_EPOCHS)]));
  let billed: number | null = 0;
  let worst: number | null = 0;
  let usdPerSecond: number | null = null;
  let unpriced = false;
  for (const job of jobs) {
    if (!terminated.has(job.name)) continue;
    const cost = jobCost(job, plan.resources);
    const planned = epochsOf.get(parseJobName(job.name)?.plannedName ?? "") ?? Number(job.hyperparameters.epochs ?? DEFAULT_EPOCHS);
    const estimate = cost.billableSeconds === null ? null : worstCaseSeconds(cost.billableSeconds, planned, curves.get(job.name));
    billed = billed === null || cost.billableSeconds === null ? null : billed + cost.billableSeconds;
    worst = worst === null || estimate === null ? null : worst + estimate;
    if (cost.usd === null) unpriced = true;
    else if (cost.billableSeconds !== null && cost.billableSeconds > 0) usdPerSecond = cost.usd / cost.billableSeconds;
  }
  const saved = billed === null || worst === null ? null : worst - billed;
  return {
    terminatedJobs: terminated.size,
    billableHours: billed === null ? null : billed / 3600,
    worstCaseHours: worst === null ? null : worst / 3600,
    savedHours: saved === null ? null : saved / 3600,
    savedUsd: saved === null || unpriced || usdPerSecond === null ? null : saved * usdPerSecond,
    estimate: SAVINGS_ESTIMATE,
  };
}

/** One job's billable seconds had it trained all `plannedEpochs`; null without a reported epoch. */
export function worstCaseSeconds(billableSeconds: number, plannedEpochs: number, curve: JobCurve | undefined): number | null {
  const epochs = curve?.epochs ?? [];
  const last = epochs.at(-1);
  const first = epochs[0];
  if (last === undefined || first === undefined) return null;
  const remaining = Math.max(0, plannedEpochs - last.epoch);
  const pace =
    last.epoch > first.epoch && last.at > first.at
      ? (last.at - first.at) / 1000 / (last.epoch - first.epoch)
      : billableSeconds / last.epoch;
  return billableSeconds + remaining * pace;
}

/** The savings in words: the table's section and the page's summary line. */
export function formatSavings(savings: EarlyTerminationSavings, simulated: boolean): string {
  const sim = simulated ? "*" : "";
  const hours = (value: number | null) => (value === null ? "unknown" : `${value.toFixed(1)} h${sim}`);
  const usd = savings.savedUsd === null ? "cost unknown" : `$${savings.savedUsd.toFixed(2)}${sim}`;
  return [
    `Early termination: ${savings.terminatedJobs} ${savings.terminatedJobs === 1 ? "job" : "jobs"} stopped by the rule, billed ${hours(savings.billableHours)}; trained to the end, about ${hours(savings.worstCaseHours)}.`,
    `Saved about ${hours(savings.savedHours)} of instance time (${usd}); worst case estimated from ${savings.estimate}.`,
  ].join("\n");
}
