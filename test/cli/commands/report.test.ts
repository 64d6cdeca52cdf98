import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { BackendError } from "../../../src/backend/types.js";
import { createReportCommand } from "../../../src/cli/commands/report.js";
import { UsageError, UserError } from "../../../src/errors.js";
import { CampaignReport } from "../../../src/report/types.js";
import { captureIO } from "../../kit/cli.js";
import { fakeDeps } from "../../kit/deps.js";
import { type InMemorySageMaker, sageMakerWith } from "../../kit/sagemaker.js";
import { completed, jobDetails, makePlan } from "../../report/fixtures.js";

const plan = makePlan({
  points: [{ learning_rate: "0.001" }, { learning_rate: "0.01" }, { learning_rate: "0.1" }, { learning_rate: "0.2" }],
});
const [a, b, c, d] = plan.jobs.map((job) => job.name) as [string, string, string, string];

function campaignBackend(): InMemorySageMaker {
  return sageMakerWith([
    completed(a, 0.52),
    jobDetails(b, { status: "Failed", failureReason: "InternalServerError: We encountered an internal error." }),
    completed(`${b}-r1`, 0.64),
    jobDetails(c, { status: "InProgress" }),
    completed(d, 0.58),
  ]);
}

describe("segsweep report", () => {
  it("ranks the campaign by the objective metric and ends with cost, from one Search call", async () => {
    const backend = campaignBackend();
    const out = captureIO();
    expect(await createReportCommand(fakeDeps(plan, { backend }))(["s.yaml"], out.io)).toBe(0);
    const ranked = out
      .stdout()
      .split("\n")
      .filter((line) => /^\d+\s/.test(line))
      .map((line) => line.split(/\s{2,}/).slice(0, 4));
    expect(ranked).toEqual([
      ["1", `${b}-r1`, "completed", "0.6400"],
      ["2", d, "completed", "0.5800"],
      ["3", a, "completed", "0.5200"],
      ["4", c, "in-progress", "-"],
    ]);
    expect(out.stdout()).toContain(`1× InternalServerError: We encountered an internal error. (e.g. ${b}, 1 retried)`);
    // a, b, b-r1, d ended: 4 h at 3.825 USD/h.
    expect(out.stdout()).toContain("Cost: 4.00 billable instance-hours · $15.30");
    expect(backend.calls).toEqual({ Search: 1 });
  });

  it("prints the report as JSON with --format json, its snippet holding the best point's hyperparameters", async () => {
    const out = captureIO();
    await createReportCommand(fakeDeps(plan, { backend: campaignBackend() }))(["s.yaml", "--format", "json"], out.io);
    const report = CampaignReport.parse(JSON.parse(out.stdout()));
    expect(report.best?.job).toBe(`${b}-r1`);
    expect((parse(report.best?.sweepSnippet ?? "") as { hyperparameters: unknown }).hyperparameters).toEqual(plan.jobs[1]?.hyperparameters);
    expect(report.counts).toMatchObject({ completed: 3, inProgress: 1, attempts: 5 });
  });

  it("prints the leaderboard as CSV with --format csv", async () => {
    const out = captureIO();
    await createReportCommand(fakeDeps(plan, { backend: campaignBackend() }))(["s.yaml", "--format", "csv"], out.io);
    const lines = out.stdout().trimEnd().split("\n");
    expect(lines[0]?.startsWith("rank,job,planned_job,attempts,state,")).toBe(true);
    expect(lines.slice(1).map((line) => line.split(",").slice(0, 2))).toEqual([
      ["1", `${b}-r1`],
      ["2", d],
      ["3", a],
      ["4", c],
    ]);
  });

  it("reports 1,000 ended jobs in 10 Search calls, with no describe", async () => {
    const big = makePlan({ points: Array.from({ length: 1000 }, (_, i) => ({ learning_rate: String((i + 1) / 10_000) })) });
    const backend = sageMakerWith(big.jobs.map((job, i) => completed(job.name, (i % 97) / 100)));
    const out = captureIO();
    expect(await createReportCommand(fakeDeps(big, { backend }))(["s.yaml", "--format", "json"], out.io)).toBe(0);
    const report = CampaignReport.parse(JSON.parse(out.stdout()));
    expect(report.counts).toMatchObject({ planned: 1000, completed: 1000 });
    expect(report.leaderboard[0]?.objective).toBe(0.96);
    expect(backend.calls).toEqual({ Search: 10 });
  });

  it("rejects an unknown format (exit 2)", async () => {
    const error = await createReportCommand(fakeDeps(plan, { backend: campaignBackend() }))(
      ["s.yaml", "--format", "xml"],
      captureIO().io,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe('--format must be one of table, json, csv, html; got "xml".');
  });

  it("says what happened when SageMaker keeps throttling", async () => {
    const backend = campaignBackend();
    backend.searchJobs = async () => {
      throw new BackendError("throttled", "Rate exceeded", "ThrottlingException");
    };
    const error = await createReportCommand(fakeDeps(plan, { backend }))(["s.yaml"], captureIO().io).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe(
      "Could not read the campaign's jobs: SageMaker kept throttling the calls after every retry (ThrottlingException: Rate exceeded).\nAnother tool may share the account's API rate; try again in a minute.",
    );
  });
});
