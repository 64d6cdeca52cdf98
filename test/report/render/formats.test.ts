import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderReport } from "../../../src/report/render/index.js";
import { SIMULATED_BANNER } from "../../../src/report/render/table.js";
import { summarizeCampaign } from "../../../src/report/summarize.js";
import { csvField } from "../../../src/report/table.js";
import { CampaignReport } from "../../../src/report/types.js";
import { completed, jobDetails, makePlan } from "../fixtures.js";

const plan = makePlan({
  points: [
    { learning_rate: "0.001", lr_scheduler: "step", lr_scheduler_step: "10, 20" },
    { learning_rate: "0.01", lr_scheduler: "poly" },
    { learning_rate: "0.1", lr_scheduler: "poly" },
  ],
});
const [a, b, c] = plan.jobs.map((job) => job.name) as [string, string, string];
const jobs = [
  completed(a, 0.61234, 0.912),
  jobDetails(b, { status: "Failed", failureReason: 'ClientError: label "road, wet" not in map\ntrace' }),
  completed(`${b}-r1`, 0.55, 0.9),
  jobDetails(c, { status: "InProgress" }),
];

/** Minimal RFC 4180 reader: enough to check that what we write parses back to the same cells. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") row.push(field), (field = "");
    else if (ch === "\n") row.push(field), rows.push(row), (row = []), (field = "");
    else field += ch;
  }
  return rows;
}

describe("renderReport: table", () => {
  const text = renderReport(summarizeCampaign(plan, jobs), "table");

  it("lists the leaderboard best first, with the varying hyperparameters as columns", () => {
    const lines = text.split("\n");
    const header = lines.find((line) => line.startsWith("#  JOB"));
    expect(header?.split(/\s{2,}/)).toEqual([
      "#",
      "JOB",
      "STATE",
      "mIOU",
      "PIXEL_ACC",
      "BILLABLE",
      "COST",
      "learning_rate",
      "lr_scheduler",
      "lr_scheduler_step",
    ]);
    const ranked = lines.filter((line) => /^\d+\s/.test(line)).map((line) => line.split(/\s{2,}/).slice(0, 4));
    expect(ranked).toEqual([
      ["1", a, "completed", "0.6123"],
      ["2", `${b}-r1`, "completed", "0.5500"],
      ["3", c, "in-progress", "-"],
    ]);
  });

  it("shows counts, the best point's snippet, grouped failures and cost", () => {
    expect(text).toContain("Points: 3 planned · 2 completed · 1 in progress (4 jobs, retries included)");
    expect(text).toContain(`Best: ${a}, validation:mIOU = 0.6123\n# Best of campaign seg-lr`);
    expect(text).toContain(`  1× ClientError: label "road, wet" not in map (e.g. ${b}, 1 retried)`);
    // 3 jobs ended with 1 h billable each on ml.p3.2xlarge at 3.825 USD/h.
    expect(text).toMatch(/^Cost: 3\.00 billable instance-hours · \$11\.48 at us-east-1 on-demand prices/m);
    expect(text).toContain("1 running job not included yet");
    expect(text).not.toContain("SIMULATED");
  });

  it("marks every number of a simulated campaign as simulated", () => {
    const simulated = renderReport(summarizeCampaign(plan, jobs, { simulated: true }), "table");
    expect(simulated.split("\n")[0]).toBe(SIMULATED_BANNER);
    expect(simulated).toMatch(/#\s+JOB\s+STATE\s+mIOU\*\s+PIXEL_ACC\*\s+BILLABLE\*\s+COST\*/);
    expect(simulated).toContain("= 0.6123*");
    expect(simulated).toMatch(/^Cost\*: /m);
  });

  it("says which jobs completed without the metric, and where their logs are", () => {
    const silent = [a, b].map((name) => jobDetails(name, { status: "Completed", billableSeconds: 600 }));
    const text = renderReport(summarizeCampaign(plan, silent), "table");
    expect(text).toContain("Best: none yet: 2 completed jobs reported no validation:mIOU.");
    expect(text).toContain("CloudWatch log group /aws/sagemaker/TrainingJobs, log streams starting with the job's name");
  });

  it("says how to start when the campaign has no job yet", () => {
    const empty = renderReport(summarizeCampaign(plan, []), "table");
    expect(empty).toContain("No training job of this campaign exists yet: run `segsweep launch` first.");
    expect(empty).toContain("Best: none yet (no job has reported validation:mIOU).");
    expect(empty).toContain("Points: 3 planned · 3 not started");
  });

  it("says the cost is unknown, and why, when the instance has no price", () => {
    const unpriced = makePlan({ points: [{ learning_rate: "0.1" }], resources: { instanceType: "ml.g5.48xlarge" } });
    const job = completed(unpriced.jobs[0]?.name ?? "", 0.5, 0.9, { instanceType: "ml.g5.48xlarge" });
    expect(renderReport(summarizeCampaign(unpriced, [job]), "table")).toContain("cost unknown: no price in the catalog for ml.g5.48xlarge");
  });
});

describe("renderReport: json and csv", () => {
  it("prints the report object as JSON that the schema accepts", () => {
    const report = summarizeCampaign(plan, jobs, { simulated: true });
    const parsed = CampaignReport.parse(JSON.parse(renderReport(report, "json")));
    expect(parsed).toEqual(report);
  });

  it("writes one CSV row per point, quoting fields with commas and quotes, full precision", () => {
    const csv = renderReport(summarizeCampaign(plan, jobs), "csv");
    const rows = readCsv(csv);
    expect(rows[0]).toEqual([
      "rank",
      "job",
      "planned_job",
      "attempts",
      "state",
      "secondary_status",
      "validation:mIOU",
      "validation:pixel_accuracy",
      "billable_seconds",
      "cost_usd",
      "simulated",
      "learning_rate",
      "lr_scheduler",
      "lr_scheduler_step",
    ]);
    expect(rows.slice(1).map((row) => row.slice(0, 11))).toEqual([
      ["1", a, a, "1", "completed", "Completed", "0.61234", "0.912", "3600", "3.825", "false"],
      ["2", `${b}-r1`, b, "2", "completed", "Completed", "0.55", "0.9", "3600", "3.825", "false"],
      ["3", c, c, "1", "in-progress", "Training", "", "", "", "", "false"],
    ]);
    expect(rows[1]?.slice(11)).toEqual(["0.001", "step", "10, 20"]);
    expect(csv).toContain(',"10, 20"\n');
  });

  it("quotes CSV fields per RFC 4180", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField(" padded")).toBe('" padded"');
    expect(readCsv(`${["x,y", 'q"', "n\nl"].map(csvField).join(",")}\n`)).toEqual([["x,y", 'q"', "n\nl"]]);
  });

  it("keeps the snippet in the JSON parseable back to the best job's hyperparameters", () => {
    const report = JSON.parse(renderReport(summarizeCampaign(plan, jobs), "json")) as CampaignReport;
    expect((parse(report.best?.sweepSnippet ?? "") as { hyperparameters: unknown }).hyperparameters).toEqual(plan.jobs[0]?.hyperparameters);
  });
});
