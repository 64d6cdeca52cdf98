import { describe, expect, it } from "vitest";
import { JOB_NAME_PATTERN } from "../../src/plan/job-name.js";
import { planJobsSweepFile } from "../../src/plan/plan-file.js";
import { sweepText, writeSweep } from "../kit/cli.js";

async function planOf(text: string, summaryOnly = false) {
  const result = await planJobsSweepFile(writeSweep(text), { summaryOnly });
  if (!result.ok) throw new Error(`expected a plan, got:\n${result.diagnostics.map((d) => d.message).join("\n")}`);
  return result.plan;
}

async function problemsOf(text: string) {
  const result = await planJobsSweepFile(writeSweep(text));
  if (result.ok) throw new Error("expected the sweep to be refused");
  return result.diagnostics;
}

describe("planning", () => {
  it("plans one job per grid point with every applicable hyperparameter as a string", async () => {
    const plan = await planOf(sweepText("learning_rate: [0.001, 0.01]\nmini_batch_size: [8, 16]"));
    expect(plan.counts).toEqual({ expanded: 4, excluded: 0, duplicates: 0, jobs: 4 });
    for (const job of plan.jobs) {
      expect(job.name).toMatch(JOB_NAME_PATTERN);
      expect(job.name).toMatch(/^test-sweep-[0-9a-f]{12}$/);
      expect(Object.values(job.hyperparameters).every((v) => typeof v === "string")).toBe(true);
      // defaults are sent explicitly
      expect(job.hyperparameters).toMatchObject({ num_classes: "21", backbone: "resnet-50", optimizer: "sgd", epochs: "10" });
    }
    expect(plan.jobs.map((j) => j.hyperparameters.learning_rate).sort()).toEqual(["0.001", "0.001", "0.01", "0.01"]);
  });

  it("merges points that are the same training and counts the duplicates", async () => {
    // momentum is ignored by adam: adam x 3 momenta is one training; crop_size 241 and 248 both send 248.
    const plan = await planOf(sweepText("optimizer: [sgd, adam]\nmomentum: [0.8, 0.9, 0.95]\ncrop_size: [241, 248]"));
    expect(plan.counts).toEqual({ expanded: 12, excluded: 0, duplicates: 8, jobs: 4 });
    const adam = plan.jobs.filter((j) => j.hyperparameters.optimizer === "adam");
    expect(adam).toHaveLength(1);
    expect(adam[0]?.hyperparameters.momentum).toBeUndefined();
    expect(adam[0]?.points).toHaveLength(6);
    expect(new Set(plan.jobs.map((j) => j.hyperparameters.crop_size))).toEqual(new Set(["248"]));
  });

  it("counts the same duplicates in --summary mode, keeping no jobs", async () => {
    const text = sweepText("optimizer: [sgd, adam]\nmomentum: [0.8, 0.9, 0.95]\ncrop_size: [241, 248]");
    const full = await planOf(text);
    const summary = await planOf(text, true);
    expect(summary.counts).toEqual(full.counts);
    expect(summary.jobs).toEqual([]);
    expect(summary.cost).toEqual(full.cost);
  });

  it("names jobs deterministically: same file, same names; one changed point changes only its name", async () => {
    const before = await planOf(sweepText("learning_rate: [0.001, 0.01, 0.1]"));
    const again = await planOf(sweepText("learning_rate: [0.001, 0.01, 0.1]"));
    const after = await planOf(sweepText("learning_rate: [0.001, 0.01, 0.2]"));
    expect(again.jobs.map((j) => j.name)).toEqual(before.jobs.map((j) => j.name));
    const changed = after.jobs.filter((j) => !before.jobs.some((b) => b.name === j.name));
    expect(changed.map((j) => j.hyperparameters.learning_rate)).toEqual(["0.2"]);
  });

  it("does not depend on key order in the file", async () => {
    const a = await planOf(sweepText("learning_rate: [0.001, 0.01]\nmini_batch_size: [8, 16]"));
    const b = await planOf(sweepText("mini_batch_size: [8, 16]\nlearning_rate: [0.001, 0.01]"));
    expect(new Set(b.jobs.map((j) => j.name))).toEqual(new Set(a.jobs.map((j) => j.name)));
  });

  it("changes every name when the resources or data change (a different training)", async () => {
    const a = await planOf(sweepText("learning_rate: 0.01"));
    const b = await planOf(sweepText("learning_rate: 0.01", "resources:\n  instance_type: ml.p3.8xlarge\n"));
    expect(b.jobs[0]?.name).not.toBe(a.jobs[0]?.name);
  });

  it("bounds the cost: price x instances x max runtime per job, against the budget", async () => {
    const plan = await planOf(sweepText("learning_rate: [0.001, 0.01]", "resources:\n  max_runtime: 2h\nlimits:\n  budget_usd: 10\n"));
    expect(plan.cost).toMatchObject({
      instanceType: "ml.p3.2xlarge",
      usdPerHour: 3.825,
      perJobUsd: 7.65,
      totalUsd: 15.3,
      budgetUsd: 10,
      withinBudget: false,
    });
    expect(plan.warnings.map((w) => w.message)).toContainEqual(expect.stringMatching(/over limits\.budget_usd/));
  });

  it("refuses to plan more than max_jobs", async () => {
    const problems = await problemsOf(sweepText("learning_rate: [0.001, 0.01, 0.1]", "limits:\n  max_jobs: 2\n"));
    expect(problems[0]).toMatchObject({ path: "limits.max_jobs", line: expect.any(Number) });
    expect(problems[0]?.message).toMatch(/more than 2 .*over limits\.max_jobs \(2\)/);
  });

  it("plans nothing when any point is invalid, and reports it once with the point and the line", async () => {
    const problems = await problemsOf(sweepText("learning_rate: [0.01, 0, 0.1]\nmini_batch_size: [8, 16]"));
    const errors = problems.filter((p) => p.severity === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ path: "hyperparameters.learning_rate[1]", line: 5, point: expect.any(Number) });
    expect(errors[0]?.message).toMatch(/\(and 1 more point\): learning_rate: 0/);
  });

  it("refuses an unknown hyperparameter once, at its key, with a suggestion", async () => {
    const problems = await problemsOf(sweepText("learning_rte: [0.01, 0.1]"));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: "hyperparameters.learning_rte", line: 5, column: 3 });
    expect(problems[0]?.message).toMatch(/learning_rte is not a hyperparameter .*did you mean "learning_rate"/);
  });

  it("refuses a distribution that does not suit its parameter", async () => {
    const problems = await problemsOf(sweepText("learning_rate: {int_uniform: [1, 3]}", "strategy: random\nsamples: 3\n"));
    expect(problems[0]?.message).toMatch(/learning_rate: int_uniform draws integers/);
  });

  it("warns when syncbn cannot matter on a one-GPU instance", async () => {
    const plan = await planOf(sweepText("syncbn: true"));
    expect(plan.warnings.map((w) => w.message)).toContainEqual(expect.stringMatching(/syncbn: True has no effect on ml\.p3\.2xlarge/));
  });
});
