import type { JobCurve } from "../backend/metric-source.js";
import type { JobDetails } from "../backend/types.js";
import type { JobsPlan } from "../plan/types.js";
import { withJobTimings } from "./job-timing.js";
import { earlyTerminationSavings } from "./savings.js";
import type { CampaignReport, CurvePoint } from "./types.js";

/** What the campaign's rule did, as `launch` knows it or `report` re-derives it from the metrics. */
export interface TerminationFacts {
  /** Jobs the rule stopped, with its reason. */
  readonly terminated: ReadonlyMap<string, string>;
  /** Every job's curve as the metric source read it. */
  readonly curves: ReadonlyMap<string, JobCurve>;
}

/**
 * The report with what early termination adds: the savings (savings.ts), and for the page every
 * job's learning curve on the objective and its terminated mark (job-timing.ts). Pure.
 */
export function withEarlyTermination(
  report: CampaignReport,
  plan: JobsPlan,
  jobs: readonly JobDetails[],
  facts: TerminationFacts | undefined,
): CampaignReport {
  if (facts === undefined) return withJobTimings(report, plan, jobs);
  const savings = earlyTerminationSavings(plan, jobs, facts.terminated, facts.curves);
  const curves = new Map<string, CurvePoint[]>();
  for (const [name, curve] of facts.curves) {
    const points = curve.epochs.flatMap((epoch) => {
      const value = epoch.values[report.objective];
      return value === undefined ? [] : [{ epoch: epoch.epoch, value }];
    });
    if (points.length > 0) curves.set(name, points);
  }
  const withSavings = savings === undefined ? report : { ...report, earlyTermination: savings };
  return withJobTimings(withSavings, plan, jobs, { curves, terminated: facts.terminated });
}
