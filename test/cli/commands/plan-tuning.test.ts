import { describe, expect, it } from "vitest";
import { runCli, sweepText, writeSweep } from "../../kit/cli.js";

/** `plan` and `validate` on tuning-engine sweeps (docs/tuning.md). */
describe("segsweep plan on the tuning engine", () => {
  it("prints the tuning job requests as planned, the branches and the worst-case cost (--format json)", async () => {
    const { code, stdout, stderr } = await runCli(["plan", "sweeps/bayesian-optimizers.yaml", "--format", "json"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const plan = JSON.parse(stdout);
    expect(plan).toMatchObject({ engine: "tuning", campaign: "voc-bayes-optimizers", strategy: "bayesian", maxTrainingJobs: 24 });
    expect(plan.split).toEqual([{ parameter: "optimizer", dependents: [{ name: "momentum", appliesWhen: "optimizer is sgd" }] }]);
    expect(plan.branches.map((b: { covers: unknown }) => b.covers)).toEqual([{ optimizer: ["sgd"] }, { optimizer: ["adam", "rmsprop"] }]);
    const [sgd] = plan.branches;
    expect(sgd.request.HyperParameterTuningJobName).toMatch(/^voc-bayes-optimizers-[0-9a-f]{8}$/);
    expect(sgd.request.HyperParameterTuningJobConfig).toMatchObject({
      Strategy: "Bayesian",
      RandomSeed: 7,
      ResourceLimits: { MaxNumberOfTrainingJobs: 12, MaxParallelTrainingJobs: 2 },
    });
    expect(plan.cost).toMatchObject({ usdPerHour: 3.825, maxRuntimeSeconds: 10_800, totalUsd: 275.4, budgetUsd: 300, withinBudget: true });
  });

  it("prints a table: engine, branches and why, budget per tuning job, cost, then each tuning job's ranges", async () => {
    const { code, stdout } = await runCli(["plan", "sweeps/bayesian-optimizers.yaml"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Engine +tuning: SageMaker Automatic Model Tuning · Bayesian search · objective validation:mIOU \(maximized\)/);
    expect(stdout).toMatch(/Branches +2 tuning jobs, split on optimizer: momentum applies only when optimizer is sgd/);
    expect(stdout).toMatch(/Budget +at most 24 training jobs \(12 \+ 12\) · 4 at once \(2 \+ 2\)/);
    expect(stdout).toMatch(/Cost +at most \$275\.40 = 24 training jobs × 3h × 1 ml\.p3\.2xlarge × \$3\.825\/h/);
    expect(stdout).toMatch(/Tuning job 1 +voc-bayes-optimizers-[0-9a-f]{8} +\(optimizer: sgd\)/);
    expect(stdout).toMatch(/momentum +continuous +0\.85 … 0\.99 +Linear/);
    expect(stdout).toMatch(/Tuning job 2 .*\(optimizer: adam, rmsprop\)/);
    const summary = await runCli(["plan", "sweeps/bayesian-optimizers.yaml", "--summary"]);
    expect(summary.stdout).not.toMatch(/Tuning job 1/);
  });

  it("has no CSV form (exit 2) and refuses an invalid tuning sweep with file, line and field (exit 1)", async () => {
    expect((await runCli(["plan", "sweeps/bayesian-optimizers.yaml", "--format", "csv"])).code).toBe(2);
    const file = writeSweep(sweepText("learning_rate: {log_uniform: [0.00001, 2]}", "strategy: bayesian\nsamples: 10"));
    const { code, stdout, stderr } = await runCli(["plan", file]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain(`✖ ${file}:5:32 hyperparameters.learning_rate.log_uniform`);
    expect(stderr).toContain("learning_rate: 2 is out of range; allowed: a number with 0 < x ≤ 1");
  });

  it("validate checks tuning sweeps like any other", async () => {
    const { code, stdout } = await runCli(["validate", "sweeps/bayesian-optimizers.yaml"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/✔ sweeps\/bayesian-optimizers\.yaml: valid, 24 jobs/);
  });
});
