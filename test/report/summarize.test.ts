import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { formatCost } from "../../src/report/render/table.js";
import { summarizeCampaign } from "../../src/report/summarize.js";
import { CampaignReport } from "../../src/report/types.js";
import { completed, jobDetails, makePlan } from "./fixtures.js";

const plan = makePlan({
  points: [
    { learning_rate: "0.001", algorithm: "fcn" },
    { learning_rate: "0.01", algorithm: "fcn" },
    { learning_rate: "0.001", algorithm: "psp" },
    { learning_rate: "0.01", algorithm: "psp" },
  ],
});
const [a, b, c, d] = plan.jobs.map((job) => job.name) as [string, string, string, string];

describe("summarizeCampaign: the leaderboard", () => {
  it("ranks points by the objective metric, highest first", () => {
    const report = summarizeCampaign(plan, [completed(a, 0.52), completed(b, 0.61), completed(c, 0.47), completed(d, 0.58)]);
    expect(report.leaderboard.map((row) => [row.rank, row.job, row.objective])).toEqual([
      [1, b, 0.61],
      [2, d, 0.58],
      [3, a, 0.52],
      [4, c, 0.47],
    ]);
    expect(report.best?.job).toBe(b);
  });

  it("ranks by pixel accuracy when that is the objective, and shows mIOU beside it", () => {
    const byAccuracy = makePlan({
      points: [{ learning_rate: "0.001" }, { learning_rate: "0.01" }],
      objective: "validation:pixel_accuracy",
    });
    const [x, y] = byAccuracy.jobs.map((job) => job.name) as [string, string];
    const report = summarizeCampaign(byAccuracy, [completed(x, 0.7, 0.95), completed(y, 0.8, 0.91)]);
    expect(report.leaderboard.map((row) => [row.job, row.objective, row.otherMetric])).toEqual([
      [x, 0.95, 0.7],
      [y, 0.91, 0.8],
    ]);
    expect(report.otherMetric).toBe("validation:mIOU");
  });

  it("breaks ties by job name, whatever order the jobs come in", () => {
    const jobs = [completed(d, 0.5), completed(b, 0.5), completed(c, 0.5), completed(a, 0.5)];
    const expected = [a, b, c, d].sort();
    expect(summarizeCampaign(plan, jobs).leaderboard.map((row) => row.job)).toEqual(expected);
    expect(summarizeCampaign(plan, [...jobs].reverse()).leaderboard.map((row) => row.job)).toEqual(expected);
  });

  it("puts jobs without the metric last, failed and running ones included, and ranks them after the others", () => {
    const report = summarizeCampaign(plan, [
      jobDetails(a, { status: "Failed", failureReason: "AlgorithmError: out of memory" }),
      completed(b, 0.4),
      jobDetails(c, { status: "InProgress" }),
      completed(d, Number.NaN),
    ]);
    expect(report.leaderboard.map((row) => row.rank)).toEqual([1, 2, 3, 4]);
    expect(report.leaderboard[0]).toMatchObject({ job: b, state: "completed", objective: 0.4 });
    const withoutMetric = report.leaderboard.slice(1);
    expect(withoutMetric.map((row) => row.objective)).toEqual([null, null, null]);
    expect(withoutMetric.map((row) => row.job)).toEqual([a, c, d].sort());
    expect(Object.fromEntries(withoutMetric.map((row) => [row.job, row.state]))).toEqual({
      [a]: "failed",
      [c]: "in-progress",
      [d]: "completed",
    });
  });

  it("has no best point while no job has reported the objective", () => {
    const report = summarizeCampaign(plan, [jobDetails(a, { status: "InProgress" })]);
    expect(report.best).toBeNull();
    expect(report.leaderboard).toHaveLength(1);
  });

  it("lists only the hyperparameters that vary across the campaign, as sent", () => {
    const report = summarizeCampaign(plan, [completed(a, 0.5)]);
    expect(report.varyingHyperparameters).toEqual(["algorithm", "learning_rate"]);
    expect(report.leaderboard[0]?.hyperparameters).toEqual({ algorithm: "fcn", learning_rate: "0.001" });
  });
});

describe("summarizeCampaign: retries, counts and other jobs", () => {
  it("counts a retried point once, by its latest attempt, and lists the failed attempt among failures", () => {
    const report = summarizeCampaign(plan, [
      jobDetails(a, { status: "Failed", failureReason: "CapacityError: Unable to provision requested ML compute capacity.\nRetry later." }),
      completed(`${a}-r1`, 0.66),
      completed(b, 0.5),
    ]);
    expect(report.counts).toMatchObject({ planned: 4, completed: 2, failed: 0, notStarted: 2, attempts: 3 });
    expect(report.leaderboard.map((row) => [row.job, row.plannedJob, row.attempts])).toEqual([
      [`${a}-r1`, a, 2],
      [b, b, 1],
    ]);
    expect(report.failures).toEqual([
      { reason: "CapacityError: Unable to provision requested ML compute capacity.", count: 1, exampleJob: a, retried: 1 },
    ]);
  });

  it("takes the highest attempt number as the latest, not the last job listed", () => {
    const report = summarizeCampaign(plan, [
      jobDetails(`${a}-r2`, { status: "InProgress" }),
      jobDetails(a, { status: "Failed" }),
      jobDetails(`${a}-r1`, { status: "Failed" }),
    ]);
    expect(report.counts).toMatchObject({ inProgress: 1, failed: 0, attempts: 3 });
    expect(report.leaderboard[0]?.job).toBe(`${a}-r2`);
  });

  it("counts points per state, with not-started for points that have no job", () => {
    const report = summarizeCampaign(plan, [
      completed(a, 0.5),
      jobDetails(b, { status: "Stopping" }),
      jobDetails(c, { status: "Stopped" }),
    ]);
    expect(report.counts).toEqual({
      planned: 4,
      completed: 1,
      inProgress: 0,
      stopping: 1,
      stopped: 1,
      terminated: 0,
      failed: 0,
      deleting: 0,
      notStarted: 1,
      attempts: 3,
    });
  });

  it("ignores another campaign sharing the name prefix, and names jobs the sweep file no longer plans", () => {
    const report = summarizeCampaign(plan, [
      completed(a, 0.5),
      completed("seg-lr-large-0123456789ab", 0.99),
      completed("seg-lr-0123456789ab", 0.98),
    ]);
    expect(report.leaderboard.map((row) => row.job)).toEqual([a]);
    expect(report.unplannedJobs).toEqual(["seg-lr-0123456789ab"]);
    expect(report.counts.attempts).toBe(1);
  });

  it("produces an object the CampaignReport schema accepts", () => {
    const report = summarizeCampaign(plan, [completed(a, 0.5), jobDetails(b, { status: "Failed" })], { simulated: true });
    expect(CampaignReport.parse(JSON.parse(JSON.stringify(report)))).toEqual(report);
    expect(report.simulated).toBe(true);
  });
});

describe("summarizeCampaign: failures", () => {
  it("groups failures by the first line of FailureReason, most frequent first, with an example job", () => {
    const report = summarizeCampaign(plan, [
      jobDetails(a, { status: "Failed", failureReason: "ClientError: Data download failed: s3://bucket/a\ndetails A" }),
      jobDetails(b, { status: "Failed", failureReason: "AlgorithmError: CUDA out of memory\ntrace" }),
      jobDetails(c, { status: "Failed", failureReason: "AlgorithmError: CUDA out of memory\nanother trace" }),
      jobDetails(d, { status: "Failed" }),
    ]);
    expect(report.failures).toEqual([
      { reason: "AlgorithmError: CUDA out of memory", count: 2, exampleJob: b, retried: 0 },
      { reason: "(SageMaker gave no failure reason)", count: 1, exampleJob: d, retried: 0 },
      { reason: "ClientError: Data download failed: s3://bucket/a", count: 1, exampleJob: a, retried: 0 },
    ]);
  });
});

describe("summarizeCampaign: cost", () => {
  it("multiplies billable seconds by instance count and the catalog's on-demand price, over every attempt", () => {
    // ml.p3.2xlarge: 3.825 USD/h in the catalog. 1 h + 2 h (two instances × 1 h) + 0.5 h.
    const report = summarizeCampaign(plan, [
      completed(a, 0.5, 0.9, { billableSeconds: 3600 }),
      jobDetails(b, { status: "Failed", billableSeconds: 3600, instanceCount: 2 }),
      completed(`${b}-r1`, 0.6, 0.9, { billableSeconds: 1800 }),
    ]);
    expect(report.cost.billableSeconds).toBe(3600 + 7200 + 1800);
    expect(report.cost.billableHours).toBeCloseTo(3.5, 10);
    expect(report.cost.usd).toBeCloseTo(3.5 * 3.825, 10);
    expect(report.leaderboard.find((row) => row.job === `${b}-r1`)?.costUsd).toBeCloseTo(0.5 * 3.825, 10);
  });

  it("says the cost is unknown when the instance type has no price, and which type", () => {
    const unpriced = makePlan({ points: [{ learning_rate: "0.01" }], resources: { instanceType: "ml.p4d.24xlarge" } });
    const name = unpriced.jobs[0]?.name ?? "";
    const report = summarizeCampaign(unpriced, [completed(name, 0.5, 0.9, { instanceType: "ml.p4d.24xlarge" })]);
    expect(report.cost.usd).toBeNull();
    expect(report.cost.unpricedInstanceTypes).toEqual(["ml.p4d.24xlarge"]);
    expect(report.cost.billableHours).toBe(1);
    expect(report.leaderboard[0]?.costUsd).toBeNull();
  });

  it("notes spot and counts running jobs as not yet billed", () => {
    const spot = makePlan({ points: [{ learning_rate: "0.01" }, { learning_rate: "0.1" }], resources: { spot: true } });
    const [x, y] = spot.jobs.map((job) => job.name) as [string, string];
    const report = summarizeCampaign(spot, [
      completed(x, 0.5, 0.9, { billableSeconds: 720, spot: true }),
      jobDetails(y, { status: "InProgress" }),
    ]);
    expect(report.cost).toMatchObject({ spot: true, jobsStillRunning: 1, billableSeconds: 720 });
    expect(report.cost.usd).toBeCloseTo(0.2 * 3.825, 10);
  });

  it("keeps the cost of a job without billable time unknown, never $0, and the total a lower bound", () => {
    // DescribeTrainingJob may leave BillableTimeInSeconds out for failed jobs (API model).
    const { billableSeconds: _dropped, ...failedEarly } = jobDetails(a, { status: "Failed" });
    const alone = summarizeCampaign(plan, [failedEarly]);
    expect(alone.cost.jobsCostUnknown).toBe(1);
    expect(alone.leaderboard[0]?.costUsd).toBeNull();
    expect(alone.leaderboard[0]?.billableSeconds).toBeNull();
    expect(formatCost(alone.cost, false)).toContain("cost unknown for 1 job: SageMaker reported no billable time");
    expect(formatCost(alone.cost, false)).not.toContain("$0.00");
    const mixed = summarizeCampaign(plan, [failedEarly, completed(`${b}`, 0.6, 0.9, { billableSeconds: 3600 })]);
    expect(formatCost(mixed.cost, false)).toMatch(/at least \$3\.83 at .*\n {2}cost unknown for 1 job/);
  });
});

describe("summarizeCampaign: the best point's sweep snippet", () => {
  it("parses back to exactly the hyperparameters the best job was sent", () => {
    const tricky = makePlan({
      points: [
        { learning_rate: "0.001", use_pretrained_model: "True", lr_scheduler: "step", lr_scheduler_step: "10, 20", crop_size: "240" },
        { learning_rate: "1e-4", use_pretrained_model: "False", lr_scheduler: "poly", early_stopping_tolerance: "0.0" },
      ],
    });
    for (const [index, job] of tricky.jobs.entries()) {
      const jobs = tricky.jobs.map((other) => completed(other.name, other === job ? 0.9 : 0.1 * index));
      const report = summarizeCampaign(tricky, jobs);
      expect(report.best?.job).toBe(job.name);
      const parsed = parse(report.best?.sweepSnippet ?? "") as { hyperparameters: Record<string, unknown> };
      expect(parsed.hyperparameters).toEqual(job.hyperparameters);
      expect(report.best?.hyperparameters).toEqual(job.hyperparameters);
    }
  });

  it("starts with a comment naming the campaign, the job and its score", () => {
    const report = summarizeCampaign(plan, [completed(c, 0.6123)]);
    expect(report.best?.sweepSnippet.split("\n")[0]).toBe(`# Best of campaign seg-lr: ${c}, validation:mIOU = 0.6123.`);
    expect(report.best?.sweepSnippet).toMatch(/^hyperparameters:$/m);
  });
});
