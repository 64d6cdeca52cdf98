import { describe, expect, it } from "vitest";
import { withJobTimings } from "../../src/report/job-timing.js";
import { summarizeCampaign } from "../../src/report/summarize.js";
import { CampaignReport } from "../../src/report/types.js";
import { T0 } from "./fixtures.js";
import { HOUR, p0, p3, p4, p5, pageJobs, pagePlan, pageReport, TERMINATION_REASON } from "./render/page-fixture.js";

describe("withJobTimings", () => {
  const report = pageReport();

  it("places every attempt in time, retried ones included, with its cost", () => {
    expect(report.jobs?.map((job) => job.job)).toEqual(pageJobs.map((job) => job.name).sort((a, b) => order(a) - order(b)));
    const first = report.jobs?.find((job) => job.job === p0);
    expect(first).toEqual({
      job: p0,
      plannedJob: p0,
      state: "completed",
      createdAt: new Date(T0).toISOString(),
      startedAt: new Date(T0 + 60_000).toISOString(),
      endedAt: new Date(T0 + HOUR).toISOString(),
      billableSeconds: 3600,
      costUsd: 3.825,
    });
    const retried = report.jobs?.filter((job) => job.plannedJob === p4).map((job) => [job.job, job.state]);
    expect(retried).toEqual([
      [p4, "failed"],
      [`${p4}-r1`, "completed"],
    ]);
  });

  it("leaves a running job's end, billable time and cost unknown (null), never 0", () => {
    const running = report.jobs?.find((job) => job.job === p5);
    expect(running).toMatchObject({ state: "in-progress", endedAt: null, billableSeconds: null, costUsd: null });
  });

  it("attaches each leaderboard row's curve (epochs ascending) and the campaign's stop reason", () => {
    const stopped = report.leaderboard.find((row) => row.job === p3);
    expect(stopped?.terminated).toEqual({ reason: TERMINATION_REASON });
    expect(stopped?.curve?.map((point) => point.epoch)).toEqual([1, 2, 3]);
    const shuffled = withJobTimings(summarizeCampaign(pagePlan, pageJobs), pagePlan, pageJobs, {
      curves: new Map([[p0, [3, 1, 2].map((epoch) => ({ epoch, value: epoch / 10 }))]]),
    });
    expect(shuffled.leaderboard.find((row) => row.job === p0)?.curve).toEqual([
      { epoch: 1, value: 0.1 },
      { epoch: 2, value: 0.2 },
      { epoch: 3, value: 0.3 },
    ]);
    expect(shuffled.leaderboard.every((row) => row.terminated === undefined)).toBe(true);
  });

  it("still parses reports written before these fields existed, and validates the new ones", () => {
    const old = summarizeCampaign(pagePlan, pageJobs);
    expect(CampaignReport.parse(JSON.parse(JSON.stringify(old)))).toEqual(old);
    expect(CampaignReport.parse(JSON.parse(JSON.stringify(report)))).toEqual(report);
    const badCurve = structuredClone(report);
    badCurve.leaderboard[0]?.curve?.push({ epoch: 1.5, value: 0.2 });
    expect(CampaignReport.safeParse(badCurve).success).toBe(false);
  });
});

/** Jobs come out per point in plan order, attempts oldest first. */
function order(name: string): number {
  const planned = name.replace(/-r\d+$/, "");
  return pagePlan.jobs.findIndex((job) => job.name === planned) * 10 + (name === planned ? 0 : 1);
}
