import { describe, expect, it } from "vitest";
import type { JobSnapshot } from "../../src/backend/types.js";
import { renderStatus, StatusView, summarizeStatus } from "../../src/report/status-view.js";
import { completed, makePlan, T0 } from "./fixtures.js";

const plan = makePlan({ points: [{ learning_rate: "0.001" }, { learning_rate: "0.01" }, { learning_rate: "0.1" }] });
const [a, b, c] = plan.jobs.map((job) => job.name) as [string, string, string];

const snapshot = (name: string, status: JobSnapshot["status"], extra: Partial<JobSnapshot> = {}): JobSnapshot => ({
  name,
  status,
  createdAt: T0,
  ...extra,
});

describe("summarizeStatus", () => {
  const listed = [
    snapshot(a, "Completed", { endedAt: T0 + 600_000, secondaryStatus: "Completed" }),
    snapshot(b, "InProgress", { secondaryStatus: "Downloading" }),
  ];
  const details = new Map([[a, completed(a, 0.6, 0.9, { billableSeconds: 540 })]]);
  const view = summarizeStatus(plan, listed, details, T0 + 900_000);

  it("shows every planned point in plan order, with not started for those without a job", () => {
    expect(view.jobs.map((row) => [row.plannedJob, row.job, row.state])).toEqual([
      [a, a, "completed"],
      [b, b, "in-progress"],
      [c, null, "not-started"],
    ]);
  });

  it("measures elapsed time to the end for ended jobs and to now for running ones", () => {
    expect(view.jobs.map((row) => row.elapsedSeconds)).toEqual([600, 900, null]);
  });

  it("takes billable time and the metric from the described details, secondary status from the listing", () => {
    expect(view.jobs[0]).toMatchObject({ billableSeconds: 540, objective: 0.6, secondaryStatus: "Completed" });
    expect(view.jobs[1]).toMatchObject({ billableSeconds: null, objective: null, secondaryStatus: "Downloading" });
  });

  it("is finished only when every planned point is terminal", () => {
    expect(view.finished).toBe(false);
    const done = summarizeStatus(
      plan,
      [a, b, c].map((name) => snapshot(name, "Stopped")),
      new Map(),
      T0,
    );
    expect(done.finished).toBe(true);
    expect(done.counts).toMatchObject({ stopped: 3, notStarted: 0 });
  });

  it("follows retries: the latest attempt is the one shown", () => {
    const retried = summarizeStatus(
      plan,
      [snapshot(a, "Failed"), snapshot(`${a}-r1`, "InProgress", { secondaryStatus: "Training" })],
      new Map(),
      T0,
    );
    expect(retried.jobs[0]).toMatchObject({ job: `${a}-r1`, attempts: 2, state: "in-progress", secondaryStatus: "Training" });
    expect(retried.counts).toMatchObject({ inProgress: 1, failed: 0, notStarted: 2, attempts: 2 });
  });

  it("is a JSON object the StatusView schema accepts", () => {
    expect(StatusView.parse(JSON.parse(JSON.stringify(view)))).toEqual(view);
    expect(view.at).toBe("2026-01-05T10:15:00.000Z");
  });
});

describe("renderStatus", () => {
  it("prints a summary line and a row per point", () => {
    const view = summarizeStatus(
      plan,
      [
        snapshot(a, "Completed", { endedAt: T0 + 3_660_000, secondaryStatus: "Completed" }),
        snapshot(b, "InProgress", { secondaryStatus: "Training" }),
      ],
      new Map([[a, completed(a, 0.61234, 0.9, { billableSeconds: 3600 })]]),
      T0 + 4_000_000,
    );
    const lines = renderStatus(view).trimEnd().split("\n");
    expect(lines[0]).toBe("Campaign seg-lr: 3 planned · 1 completed · 1 in progress · 1 not started");
    expect(lines.slice(2).map((line) => line.split(/\s{2,}/))).toEqual([
      ["JOB", "STATE", "SECONDARY", "ELAPSED", "BILLABLE", "validation:mIOU"],
      [a, "completed", "Completed", "1h1m", "1h", "0.6123"],
      [b, "in-progress", "Training", "1h6m40s", "-", "-"],
      [c, "not started", "-", "-", "-", "-"],
    ]);
  });
});
