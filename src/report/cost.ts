import { isTerminal, type JobDetails } from "../backend/types.js";
import { GPU_TRAINING_INSTANCES } from "../catalog/instances.js";
import { knownCostUsd } from "../catalog/price.js";
import type { Resources } from "../sweep/definition.js";
import type { CostSummary } from "./types.js";

/** Where the prices come from, said once in every report. */
export const PRICE_SOURCE = "us-east-1 on-demand prices from the catalog (src/catalog/instances.ts); other regions differ";

/** A job's billable time and cost, with the plan's resources filling what DescribeTrainingJob left out. */
export interface JobCost {
  /** BillableTimeInSeconds × InstanceCount; null while the job runs or when SageMaker gives none. */
  readonly billableSeconds: number | null;
  /** Null when the billable time or the instance's price is unknown. */
  readonly usd: number | null;
  readonly instanceType: string;
  /** The instance type has no price in the catalog. */
  readonly unpriced: boolean;
}

/**
 * Cost of one job: BillableTimeInSeconds × InstanceCount × the on-demand hourly price / 3600
 * (billing is per second; DescribeTrainingJob.BillableTimeInSeconds). With managed spot, the
 * billable time is already reduced by the spot saving, so the on-demand price still applies.
 */
export function jobCost(job: JobDetails, resources: Resources): JobCost {
  const instanceType = job.instanceType ?? resources.instanceType;
  const instanceCount = job.instanceCount ?? resources.instanceCount;
  const usdPerHour = GPU_TRAINING_INSTANCES.get(instanceType)?.usdPerHour;
  const billableSeconds = job.billableSeconds === undefined ? null : job.billableSeconds * instanceCount;
  const usd = knownCostUsd(job.billableSeconds, instanceCount, usdPerHour);
  return { billableSeconds, usd, instanceType, unpriced: usdPerHour === undefined && billableSeconds !== null && billableSeconds > 0 };
}

/** Sums every job's billable time and cost (retried attempts cost money too). */
export function summarizeCost(jobs: readonly JobDetails[], resources: Resources, jobsStillRunning: number): CostSummary {
  let billableSeconds = 0;
  let usd = 0;
  const unpriced = new Set<string>();
  let spot = resources.spot;
  let jobsCostUnknown = 0;
  for (const job of jobs) {
    const cost = jobCost(job, resources);
    if (cost.billableSeconds === null && isTerminal(job.status)) jobsCostUnknown++;
    billableSeconds += cost.billableSeconds ?? 0;
    usd += cost.usd ?? 0;
    if (cost.unpriced) unpriced.add(cost.instanceType);
    if (job.spot === true) spot = true;
  }
  return {
    billableSeconds,
    billableHours: billableSeconds / 3600,
    usd: unpriced.size > 0 ? null : usd,
    unpricedInstanceTypes: [...unpriced].sort(),
    spot,
    jobsStillRunning,
    jobsCostUnknown,
    priceSource: PRICE_SOURCE,
  };
}
