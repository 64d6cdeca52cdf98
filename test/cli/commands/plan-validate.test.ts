import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { progressLine } from "../../../src/cli/format/progress.js";
import { runCli, sweepText, writeSweep } from "../../kit/cli.js";

const SHIPPED = readdirSync("sweeps")
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => `sweeps/${f}`);

describe("segsweep plan", () => {
  it.each(SHIPPED)("plans the shipped sweep %s cleanly", async (file) => {
    const { code, stdout, stderr } = await runCli(["plan", file, "--format", "json"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const plan = JSON.parse(stdout);
    if (plan.engine === "tuning") expect(plan.branches.length).toBeGreaterThan(0);
    else {
      expect(plan.jobs.length).toBe(plan.counts.jobs);
      expect(plan.jobs.length).toBeGreaterThan(0);
    }
    expect(plan.cost.withinBudget).toBe(true);
    expect(plan.warnings.filter((w: { severity: string }) => w.severity === "error")).toEqual([]);
  });

  it("prints JSON in the documented shape: campaign, counts, jobs with string hyperparameters, cost", async () => {
    const { code, stdout } = await runCli(["plan", "sweeps/quickstart.yaml", "--format", "json"]);
    expect(code).toBe(0);
    const plan = JSON.parse(stdout);
    expect(plan).toMatchObject({ campaign: "voc-quickstart", counts: { expanded: 6, excluded: 0, duplicates: 0, jobs: 6 } });
    expect(plan.cost).toMatchObject({ usdPerHour: 3.825, totalUsd: 68.85, budgetUsd: 100, withinBudget: true });
    expect(plan.jobs[0]).toMatchObject({
      name: expect.stringMatching(/^voc-quickstart-[0-9a-f]{12}$/),
      hyperparameters: { num_classes: "21", algorithm: "fcn" },
    });
  });

  it("prints a table: counts, cost, one row per job with what varies, and what is fixed", async () => {
    const { code, stdout } = await runCli(["plan", "sweeps/quickstart.yaml"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Points +6 expanded · 0 excluded · 0 duplicates dropped · 6 jobs/);
    expect(stdout).toMatch(/Cost +at most \$68\.85 = 6 jobs × 3h × 1 ml\.p3\.2xlarge × \$3\.825\/h \(on-demand/);
    expect(stdout).toMatch(/#\s+JOB NAME\s+learning_rate\s+mini_batch_size/);
    expect(stdout).toMatch(/Same for every job: .*num_classes=21/);
  });

  it("says how much GPU money dropping duplicates saved", async () => {
    const file = writeSweep(sweepText("optimizer: [sgd, adam]\nmomentum: [0.9, 0.95]"));
    const { stdout } = await runCli(["plan", file]);
    expect(stdout).toMatch(
      /1 point was the same training as another point .*1 fewer job to pay for \(up to \$91\.80 of GPU time not spent\)/,
    );
  });

  it("--summary prints counts and cost only", async () => {
    const { code, stdout } = await runCli(["plan", "sweeps/quickstart.yaml", "--summary", "--format", "json"]);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary.jobs).toBeUndefined();
    expect(summary.counts.jobs).toBe(6);
  });

  it("--json is --format json", async () => {
    const json = await runCli(["plan", "sweeps/quickstart.yaml", "--json"]);
    const format = await runCli(["plan", "sweeps/quickstart.yaml", "--format", "json"]);
    expect(json.code).toBe(0);
    expect(json.stdout).toBe(format.stdout);
  });

  it("prints CSV with one column per hyperparameter", async () => {
    const { stdout } = await runCli(["plan", "sweeps/quickstart.yaml", "--format", "csv"]);
    const [header, ...rows] = stdout.trim().split("\n");
    expect(header?.split(",").slice(0, 3)).toEqual(["name", "point_id", expect.any(String)]);
    expect(header).toContain("learning_rate");
    expect(rows).toHaveLength(6);
  });

  it("exits 1 with file, line and field on an invalid sweep, and plans nothing", async () => {
    const file = writeSweep(sweepText("learning_rate: [0.01, 2]"));
    const { code, stdout, stderr } = await runCli(["plan", file]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain(`✖ ${file}:5:25 hyperparameters.learning_rate[1]`);
    expect(stderr).toMatch(/hyperparameters\.learning_rate\[1\]/);
    expect(stderr).toMatch(/nothing planned \(1 error/);
  });

  it.each([
    [["plan"], /takes one sweep file/],
    [["plan", "a.yaml", "b.yaml"], /takes one sweep file/],
    [["plan", "sweeps/quickstart.yaml", "--format", "xml"], /--format must be one of table, json, csv/],
    [["plan", "sweeps/quickstart.yaml", "--json", "--format", "csv"], /--json is --format json; it cannot go with --format csv/],
    [["plan", "sweeps/quickstart.yaml", "--bogus"], /Unknown option '--bogus'/],
    [["frobnicate"], /unknown command "frobnicate"/],
  ])("exits 2 on usage errors: %j", async (argv, message) => {
    const { code, stderr } = await runCli(argv);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it("exits 1 for a file that does not exist", async () => {
    const { code, stderr } = await runCli(["plan", "sweeps/nope.yaml"]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/sweeps\/nope\.yaml.*\n.*cannot read the sweep file: no such file/);
  });
});

describe("segsweep validate", () => {
  it("exits 0 when every file is valid", async () => {
    const { code, stdout } = await runCli(["validate", ...SHIPPED]);
    expect(code).toBe(0);
    expect(stdout.trim().split("\n")).toHaveLength(SHIPPED.length);
    expect(stdout).toMatch(/✔ sweeps\/quickstart\.yaml: valid, 6 jobs/);
  });

  it("exits 1 when any file is invalid, and checks every file", async () => {
    const bad = writeSweep(sweepText("optimizer: Adam"));
    const { code, stdout, stderr } = await runCli(["validate", bad, "sweeps/quickstart.yaml"]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/✖ .*: invalid/);
    expect(stdout).toMatch(/✔ sweeps\/quickstart\.yaml: valid/);
    expect(stderr).toMatch(/did you mean "adam"/);
  });

  it("--json prints one object with errors as data: message, path, line, column, point", async () => {
    const bad = writeSweep(sweepText("learning_rate: [0.01, 0]"));
    const { code, stdout } = await runCli(["validate", "--json", bad]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.files).toHaveLength(1);
    expect(report.files[0]).toMatchObject({ file: bad, valid: false });
    expect(report.files[0].errors[0]).toEqual({
      message: expect.stringMatching(/learning_rate: 0/),
      path: "hyperparameters.learning_rate[1]",
      line: 5,
      column: expect.any(Number),
      point: 2,
    });
  });

  it("exits 2 without files", async () => {
    const { code } = await runCli(["validate"]);
    expect(code).toBe(2);
  });
});

describe("segsweep validate: several files, CI, counts", () => {
  it("warns when two files name the same campaign, at the second file's name line", async () => {
    const first = writeSweep(sweepText("learning_rate: 0.01"), "a.yaml");
    const second = writeSweep(sweepText("learning_rate: 0.02"), "b.yaml");
    const { code, stderr } = await runCli(["validate", first, second]);
    expect(code).toBe(0);
    expect(stderr).toContain(`⚠ ${second}:1:7 name\n    campaign name "test-sweep" is also the name of ${first}:`);
    expect(stderr).not.toContain(`⚠ ${first}:1:7 name`);
    const strict = await runCli(["validate", "--strict", first, second]);
    expect(strict.code).toBe(1);
  });

  it("--strict makes an over-budget sweep (a warning) fail, as CI should", async () => {
    const file = writeSweep(sweepText("learning_rate: [0.001, 0.01]", "limits:\n  budget_usd: 1\n"));
    expect((await runCli(["validate", file])).code).toBe(0);
    const strict = await runCli(["validate", "--strict", "--json", file]);
    expect(strict.code).toBe(1);
    const report = JSON.parse(strict.stdout);
    expect(report.files[0]).toMatchObject({ valid: false, warnings: [] });
    expect(report.files[0].errors[0].message).toMatch(/over limits\.budget_usd/);
  });

  it("prints counts with thousands separators", async () => {
    const values = (n: number, from: number) => Array.from({ length: n }, (_, i) => from + i).join(", ");
    const file = writeSweep(sweepText(`epochs: [${values(40, 10)}]\nbase_size: [${values(30, 520)}]`, "limits:\n  max_jobs: 2000\n"));
    const { stdout } = await runCli(["validate", file]);
    expect(stdout).toContain(": valid, 1,200 jobs (0 errors, 0 warnings)");
  });

  it("shows progress on a terminal as one line redrawn, and off one as lines", () => {
    const out: string[] = [];
    const tty = progressLine({ write: (text: string) => out.push(text), isTTY: true }, "segsweep plan x.yaml");
    tty.report(1_000_000, 5_000_000, "points checked");
    tty.clear();
    expect(out).toEqual(["\r\x1b[2Ksegsweep plan x.yaml: 1,000,000 of 5,000,000 points checked (20%)", "\r\x1b[2K"]);
    const lines: string[] = [];
    progressLine({ write: (text: string) => lines.push(text) }, "validate").report(2, 4, "points checked");
    expect(lines).toEqual(["validate: 2 of 4 points checked (50%)\n"]);
  });
});
