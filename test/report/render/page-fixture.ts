import type { JobDetails } from "../../../src/backend/types.js";
import { withJobTimings } from "../../../src/report/job-timing.js";
import { summarizeCampaign } from "../../../src/report/summarize.js";
import type { CampaignReport, CurvePoint } from "../../../src/report/types.js";
import { completed, jobDetails, makePlan, T0 } from "../fixtures.js";

/**
 * A small campaign for the report page: two varying hyperparameters (one categorical, one
 * numeric on a log scale), completed jobs with learning curves, one stopped early by the
 * campaign, a failed job whose reason is markup and script, a retried one, a running one.
 */
export const HOUR = 3_600_000;
export const TERMINATION_REASON = "ASHA: below the top 1/3 at epoch 3";
export const HOSTILE_REASON = `</script><img src=x onerror="document.title='pwned'"><script>window.pwned=1</script>`;

export const pagePlan = makePlan({
  points: [
    { algorithm: "fcn", learning_rate: "0.001" },
    { algorithm: "fcn", learning_rate: "0.01" },
    { algorithm: "psp", learning_rate: "0.1" },
    { algorithm: "psp", learning_rate: "0.001" },
    { algorithm: "psp", learning_rate: "0.01" },
    { algorithm: "fcn", learning_rate: "0.1" },
    { algorithm: "deeplab", learning_rate: "0.01" },
  ],
});

export const [p0, p1, p2, p3, p4, p5, p6] = pagePlan.jobs.map((job) => job.name) as [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
];

/** A saturating curve: `top · (1 − e^(−epoch/speed))`, epochs 1..length. */
export function curve(top: number, speed: number, length: number): CurvePoint[] {
  return Array.from({ length }, (_, e) => ({ epoch: e + 1, value: top * (1 - Math.exp(-(e + 1) / speed)) }));
}

export const pageJobs: JobDetails[] = [
  completed(p0, 0.61, 0.9, { startedAt: T0 + 60_000, endedAt: T0 + HOUR }),
  completed(p1, 0.64, 0.91, { createdAt: T0 + HOUR, startedAt: T0 + HOUR + 60_000, endedAt: T0 + 2 * HOUR }),
  jobDetails(p2, {
    status: "Failed",
    failureReason: `${HOSTILE_REASON}\nTraceback ...`,
    startedAt: T0,
    endedAt: T0 + HOUR / 2,
    billableSeconds: 1700,
  }),
  jobDetails(p3, { status: "Stopped", metrics: { "validation:mIOU": 0.36 }, startedAt: T0, endedAt: T0 + HOUR / 3, billableSeconds: 1100 }),
  jobDetails(p4, {
    status: "Failed",
    failureReason: "CapacityError: no capacity",
    startedAt: T0,
    endedAt: T0 + 60_000,
    billableSeconds: 0,
  }),
  completed(`${p4}-r1`, 0.58, 0.88, { createdAt: T0 + 120_000, startedAt: T0 + 180_000, endedAt: T0 + 1.5 * HOUR }),
  jobDetails(p5, { status: "InProgress" }),
  completed(p6, 0.5, 0.86, { startedAt: T0 + 60_000, endedAt: T0 + HOUR }),
];

export const pageCurves = new Map<string, CurvePoint[]>([
  [p0, curve(0.61, 2, 10)],
  [p1, curve(0.64, 3, 10)],
  [p3, curve(0.42, 1.5, 3)],
  [`${p4}-r1`, curve(0.6, 4, 10)],
  [p5, curve(0.5, 2, 4)],
]);

/** The report the page tests render: curves for five jobs, one of them stopped by the campaign. */
export function pageReport(): CampaignReport {
  return withJobTimings(summarizeCampaign(pagePlan, pageJobs), pagePlan, pageJobs, {
    curves: pageCurves,
    terminated: new Map([[p3, TERMINATION_REASON]]),
  });
}

/** The same campaign without curves, on an instance type with no price: the page must say so, not draw $0. */
export function plainReport(): CampaignReport {
  const unpriced = pageJobs.map((job) => ({ ...job, instanceType: "ml.g5.48xlarge" }));
  return withJobTimings(summarizeCampaign(pagePlan, unpriced), pagePlan, unpriced);
}
