import { describe, expect, it } from "vitest";
import { matchJobs } from "../../src/campaign/membership.js";
import { makePlan } from "../report/fixtures.js";

const plan = makePlan({ points: [{ learning_rate: "0.1" }, { learning_rate: "0.2" }] });
const [a, b] = plan.jobs as [(typeof plan.jobs)[0], (typeof plan.jobs)[0]];
const job = (name: string, createdAt: number, tags?: Record<string, string>) => ({
  name,
  createdAt,
  ...(tags !== undefined ? { tags } : {}),
});

describe("which jobs belong to which point", () => {
  it("joins jobs by name: the planned name and its attempts, latest last", () => {
    const { points, unplanned } = matchJobs(plan, [job(`${a.name}-r1`, 20), job(a.name, 10), job(`${a.name}-r2`, 30)]);
    expect(points[0]?.attempts.map((j) => j.name)).toEqual([a.name, `${a.name}-r1`, `${a.name}-r2`]);
    expect(points[0]?.latest?.name).toBe(`${a.name}-r2`);
    expect(points[1]?.latest).toBeUndefined();
    expect(unplanned).toEqual([]);
  });

  it("joins a job segsweep did not name (a tuning job's) by its campaign and point tags", () => {
    const tuned = job("voc-tune-250101-003-9a8b7c6d", 50, { "segsweep:campaign": "seg-lr", "segsweep:point": b.pointId });
    const { points } = matchJobs(plan, [job(b.name, 10), tuned]);
    expect(points[1]?.attempts.map((j) => j.name)).toEqual([b.name, tuned.name]);
  });

  it("leaves out other campaigns' jobs, even named alike or tagged with another campaign, and lists this campaign's unplanned ones", () => {
    const { points, unplanned } = matchJobs(plan, [
      job("seg-lr-large-0123456789ab", 1),
      job("x-tune-001", 2, { "segsweep:campaign": "other", "segsweep:point": a.pointId }),
      job("seg-lr-ffffffffffff", 3),
      job("y-tune-002", 4, { "segsweep:campaign": "seg-lr", "segsweep:point": "000000000000" }),
    ]);
    expect(points.every((point) => point.attempts.length === 0)).toBe(true);
    expect(unplanned.map((j) => j.name)).toEqual(["seg-lr-ffffffffffff", "y-tune-002"]);
  });

  it("orders attempts created at the same moment by their attempt number", () => {
    const { points } = matchJobs(plan, [job(`${a.name}-r1`, 10), job(a.name, 10)]);
    expect(points[0]?.latest?.name).toBe(`${a.name}-r1`);
  });
});
