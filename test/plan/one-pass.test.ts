import { describe, expect, it } from "vitest";
import { planSweepFile } from "../../src/plan/plan-file.js";
import { runCli, sweepText, writeSweep } from "../kit/cli.js";

async function problems(text: string) {
  const result = await planSweepFile(writeSweep(text));
  if (result.ok) throw new Error("expected the sweep to be refused");
  return result.diagnostics;
}

/** A realistic first draft with 13 independent mistakes, one of each kind. */
const THIRTEEN = `name: road-seg-study
descripton: Road segmentation, first pass
strategy: grid
objective: validation:miou
hyperparameters:
  num_classes: 19
  num_training_samples: 2975
  learning_rte: [0.001, 0.01]
  optimizer: [sgd, Adam]
  lr_scheduler: [step, poly]
  mini_batch_size: 0
resources:
  instance_type: ml.p3.2xlarg
  volume_gb: .inf
  spot: true
  max_runtime: 6h
  max_wait: 2h
data:
  train: /home/me/data/train
  validation: HTTPS://example.com/val/
  train_annotation: road/train_annotation/
  validation_annotation: s3://Bad_Bucket!/val_ann/
limits:
  max_concurrency: 0
`;

describe("one run reports every independent problem", () => {
  it("finds all 13 mistakes of a realistic bad file at once: top-level fields, resources, data, limits, keys, values", async () => {
    const file = writeSweep(THIRTEEN);
    const { code, stderr, stdout } = await runCli(["validate", file]);
    expect(code).toBe(1);
    expect(stdout).toContain("invalid (13 errors, 0 warnings)");
    const where = [...stderr.matchAll(/^✖ \S+:(\d+):\d+ (\S+)$/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(where.sort()).toEqual(
      [
        "2 descripton",
        "4 objective",
        "8 hyperparameters.learning_rte",
        "9 hyperparameters.optimizer[1]",
        "10 hyperparameters.lr_scheduler[0]",
        "11 hyperparameters.mini_batch_size",
        "13 resources.instance_type",
        "14 resources.volume_gb",
        "17 resources.max_wait",
        "19 data.train",
        "20 data.validation",
        "22 data.validation_annotation",
        "24 limits.max_concurrency",
      ].sort(),
    );
  });

  it("checks values even when a hyperparameter's value has an error, without repeating that key's problem", async () => {
    const found = await problems(sweepText("learning_rate: []\noptimizer: [sgd, Adam]"));
    expect(found.map((d) => d.path)).toEqual(["hyperparameters.learning_rate", "hyperparameters.optimizer[1]"]);
  });

  it("reports lr_scheduler_step missing at the step value's line, with the include entry that fixes it", async () => {
    const [error, ...rest] = await problems(sweepText("lr_scheduler: [step, poly]"));
    expect(rest).toEqual([]);
    expect(error).toMatchObject({ path: "hyperparameters.lr_scheduler[0]", line: 5, column: 18 });
    expect(error?.message).toMatch(/lr_scheduler_step is required when lr_scheduler is step/);
    expect(error?.message).toMatch(/use an include entry: include: \[\{lr_scheduler: step, lr_scheduler_step: "10,20"\}\]$/);
    // ... and that fix works
    const fixed = await planSweepFile(
      writeSweep(sweepText("lr_scheduler: [step, poly]", 'include:\n  - {lr_scheduler: step, lr_scheduler_step: "10,20"}\n')),
    );
    expect(fixed.ok).toBe(true);
  });

  it("does not warn that samples repeat when a distribution was invalid and dropped", async () => {
    const found = await problems(
      sweepText("optimizer: [sgd, adam]\nlearning_rate: {log_uniform: [0, 0.1]}", "strategy: random\nsamples: 30\n"),
    );
    expect(found.map((d) => d.message).join("\n")).not.toMatch(/distinct combinations/);
    expect(found.map((d) => d.path)).toContain("hyperparameters.learning_rate.log_uniform");
  });
});

describe("limits.max_jobs", () => {
  it("refuses a 5,000,000-point grid as soon as the count passes the limit, at the search space when max_jobs is not written", async () => {
    const text = sweepText(
      "learning_rate: [0.001, 0.002, 0.003, 0.004, 0.005, 0.006, 0.007, 0.008, 0.009, 0.01]\nmomentum: [0.90, 0.91, 0.92, 0.93, 0.94, 0.95, 0.96, 0.97, 0.98, 0.99]\nweight_decay: [0.0001, 0.0002, 0.0003, 0.0004, 0.0005, 0.0006, 0.0007, 0.0008, 0.0009, 0.001]\nepochs: [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]\nmini_batch_size: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11]\nbase_size: [520, 521, 522, 523, 524, 525, 526, 527, 528, 529]\ncrop_size: [240, 248, 256, 264, 272]",
    );
    const found = await problems(text);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ path: "limits.max_jobs", line: 2, column: 1 });
    expect(found[0]?.message).toBe(
      "this sweep plans more than 1,000 distinct trainings (counting stopped at point 1,001 of 5,000,000), over limits.max_jobs (1,000) (limits.max_jobs is not set; its default is 1,000); narrow the search space or raise limits.max_jobs",
    );
  });

  it("points at limits.max_jobs when it is written, and plan --summary does not suggest itself", async () => {
    const file = writeSweep(sweepText("learning_rate: [0.001, 0.002, 0.003]\nepochs: [10, 20]", "limits:\n  max_jobs: 5\n"));
    const { code, stderr } = await runCli(["plan", file, "--summary"]);
    expect(code).toBe(1);
    expect(stderr).toContain(`✖ ${file}:13:13 limits.max_jobs`);
    expect(stderr).toMatch(
      /plans more than 5 distinct trainings \(counting stopped at point 6 of 6\), over limits\.max_jobs \(5\); narrow/,
    );
    expect(stderr).not.toMatch(/--summary/);
  });
});
