import { describe, expect, it } from "vitest";
import { TUNING_JOB_NAME_PATTERN } from "../../../src/catalog/tuning.js";
import { errorsOf, lineOf, tuningPlanOf, tuningSweep } from "./helpers.js";

describe("compiling a sweep into tuning job requests", () => {
  it("turns lists, distributions and scalars into categorical, numeric ranges and static values, as sent", async () => {
    const plan = await tuningPlanOf(
      tuningSweep(
        `learning_rate: {log_uniform: [0.0001, 0.1]}
         mini_batch_size: {int_uniform: [4, 32]}
         backbone: [resnet-50, resnet-101]
         use_pretrained_model: [true, false]
         crop_size: 320`,
        "strategy: bayesian\nsamples: 30\nseed: 11\nlimits:\n  max_concurrency: 3",
      ),
    );
    expect(plan.engine).toBe("tuning");
    expect(plan.branches).toHaveLength(1);
    const request = plan.branches[0]?.request;
    expect(request?.HyperParameterTuningJobConfig).toEqual({
      Strategy: "Bayesian",
      HyperParameterTuningJobObjective: { Type: "Maximize", MetricName: "validation:mIOU" },
      ResourceLimits: { MaxNumberOfTrainingJobs: 30, MaxParallelTrainingJobs: 3 },
      ParameterRanges: {
        IntegerParameterRanges: [{ Name: "mini_batch_size", MinValue: "4", MaxValue: "32", ScalingType: "Linear" }],
        ContinuousParameterRanges: [{ Name: "learning_rate", MinValue: "0.0001", MaxValue: "0.1", ScalingType: "Logarithmic" }],
        CategoricalParameterRanges: [
          { Name: "backbone", Values: ["resnet-50", "resnet-101"] },
          { Name: "use_pretrained_model", Values: ["True", "False"] },
        ],
      },
      TrainingJobEarlyStoppingType: "Off",
      RandomSeed: 11,
    });
    // Scalars and every applicable default are static; tuned parameters are not.
    expect(request?.TrainingJobDefinition.StaticHyperParameters).toEqual({
      algorithm: "fcn",
      num_classes: "21",
      num_training_samples: "1000",
      base_size: "520",
      crop_size: "320",
      early_stopping: "False",
      epochs: "10",
      lr_scheduler: "poly",
      momentum: "0.9",
      optimizer: "sgd",
      syncbn: "False",
      validation_mini_batch_size: "16",
      weight_decay: "0.0001",
    });
    expect(request?.TrainingJobDefinition.ResourceConfig).toEqual({ InstanceType: "ml.p3.2xlarge", InstanceCount: 1, VolumeSizeInGB: 50 });
    expect(request?.TrainingJobDefinition.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 86_400 });
    expect(plan.maxTrainingJobs).toBe(30);
    expect(plan.cost.totalUsd).toBe(2754); // 30 jobs × 24 h × $3.825
  });

  it("names tuning jobs deterministically within 32 characters, and renames them when the file changes", async () => {
    const name = "a-very-long-campaign-name-for-tuning-abc";
    const text = tuningSweep("learning_rate: {uniform: [0.001, 0.01]}").replace("name: test-sweep", `name: ${name}`);
    const first = (await tuningPlanOf(text)).branches[0]?.request.HyperParameterTuningJobName ?? "";
    const again = (await tuningPlanOf(text)).branches[0]?.request.HyperParameterTuningJobName;
    const changed = (await tuningPlanOf(text.replace("0.01]", "0.02]"))).branches[0]?.request.HyperParameterTuningJobName;
    expect(first).toMatch(/^a-very-long-campaign-na-[0-9a-f]{8}$/);
    expect(first.length).toBeLessThanOrEqual(32);
    expect(first).toMatch(TUNING_JOB_NAME_PATTERN);
    expect(again).toBe(first);
    expect(changed).not.toBe(first);
  });

  it("runs grid and random as AMT strategies with engine: tuning", async () => {
    const grid = await tuningPlanOf(tuningSweep("backbone: [resnet-50, resnet-101]\nalgorithm: [fcn, psp, deeplab]", "engine: tuning"));
    expect(grid.strategy).toBe("grid");
    expect(grid.branches[0]?.request.HyperParameterTuningJobConfig.Strategy).toBe("Grid");
    expect(grid.branches[0]?.combinations).toBe(6);
    expect(grid.maxTrainingJobs).toBe(6);
    const random = await tuningPlanOf(
      tuningSweep("learning_rate: {uniform: [0.001, 0.01]}", "engine: tuning\nstrategy: random\nsamples: 5"),
    );
    expect(random.branches[0]?.request.HyperParameterTuningJobConfig.Strategy).toBe("Random");
  });

  it("uses the objective of the file, maximized", async () => {
    const plan = await tuningPlanOf(
      tuningSweep("learning_rate: [0.001, 0.01]", "strategy: bayesian\nsamples: 4\nobjective: validation:pixel_accuracy"),
    );
    expect(plan.branches[0]?.request.HyperParameterTuningJobConfig.HyperParameterTuningJobObjective).toEqual({
      Type: "Maximize",
      MetricName: "validation:pixel_accuracy",
    });
  });

  it("sends Hyperband with a static epochs and early stopping off", async () => {
    const plan = await tuningPlanOf(
      tuningSweep("epochs: 30\nlearning_rate: {log_uniform: [0.0001, 0.1]}", "strategy: hyperband\nsamples: 40"),
    );
    const request = plan.branches[0]?.request;
    expect(request?.HyperParameterTuningJobConfig.Strategy).toBe("Hyperband");
    expect(request?.HyperParameterTuningJobConfig.TrainingJobEarlyStoppingType).toBe("Off");
    expect(request?.TrainingJobDefinition.StaticHyperParameters).toMatchObject({ epochs: "30", early_stopping: "False" });
  });

  it("sends spot with its wait bound and warns that checkpoints are per tuning job", async () => {
    const plan = await tuningPlanOf(
      tuningSweep("learning_rate: [0.001, 0.01]", "strategy: bayesian\nsamples: 4\nresources:\n  spot: true\n  max_runtime: 2h"),
    );
    const definition = plan.branches[0]?.request.TrainingJobDefinition;
    expect(definition?.EnableManagedSpotTraining).toBe(true);
    expect(definition?.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 7200, MaxWaitTimeInSeconds: 14_400 });
    expect(plan.warnings.map((w) => w.path)).toContain("resources.spot");
  });
});

describe("checked before anything is submitted, with file, line and field", () => {
  it("refuses a range whose end is outside the parameter's bounds, with the open end", async () => {
    const text = tuningSweep("learning_rate: {log_uniform: [0.00001, 2]}");
    const [error, ...rest] = await errorsOf(text);
    expect(rest).toEqual([]);
    expect(error).toMatchObject({
      path: "hyperparameters.learning_rate.log_uniform",
      line: lineOf(text, "learning_rate:"),
      message: "the range's upper end does not fit: learning_rate: 2 is out of range; allowed: a number with 0 < x ≤ 1",
    });
    expect(error?.file).toMatch(/sweep\.yaml$/);
  });

  it("refuses an open lower end reached exactly (weight_decay is 0 < x < 1)", async () => {
    const errors = await errorsOf(tuningSweep("weight_decay: {uniform: [0, 0.001]}"));
    expect(errors.map((e) => e.message)).toEqual([
      "the range's lower end does not fit: weight_decay: 0 is out of range; allowed: a number with 0 < x < 1",
    ]);
  });

  it("refuses an invalid categorical value at its list item", async () => {
    const text = tuningSweep("optimizer: [sgd, adadelta]");
    const errors = await errorsOf(text);
    expect(errors).toEqual([
      expect.objectContaining({
        path: "hyperparameters.optimizer[1]",
        line: lineOf(text, "optimizer:"),
        message: expect.stringContaining('optimizer: "adadelta" is not allowed'),
      }),
    ]);
  });

  it("wants integer ranges for integer parameters", async () => {
    const errors = await errorsOf(tuningSweep("mini_batch_size: {uniform: [4, 32]}"));
    expect(errors[0]?.message).toBe("mini_batch_size: uniform draws real numbers, but mini_batch_size is an integer: use int_uniform");
  });

  it("refuses more than 30 searched values, counting each categorical value", async () => {
    const many = (n: number, from = 2) => `[${Array.from({ length: n }, (_, i) => i + from).join(", ")}]`;
    const text = tuningSweep(`base_size: ${many(20, 17)}\nmini_batch_size: ${many(10, 1)}\nlearning_rate: {uniform: [0.001, 0.01]}`);
    const errors = await errorsOf(text);
    expect(errors.map((e) => e.message)).toEqual([
      "the tuning job searches 31 hyperparameters in AMT's count (each categorical value counts: base_size 20, learning_rate 1, mini_batch_size 10); a tuning job searches at most 30",
    ]);
    expect((await tuningPlanOf(text.replace("learning_rate: {uniform: [0.001, 0.01]}", ""))).branches).toHaveLength(1);
  });

  it("refuses more than 30 values in one categorical range", async () => {
    const values = `[${Array.from({ length: 31 }, (_, i) => i + 17).join(", ")}]`;
    const errors = await errorsOf(tuningSweep(`base_size: ${values}`));
    expect(errors[0]).toMatchObject({
      path: "hyperparameters.base_size",
      message: "base_size lists 31 values; an AMT categorical range takes at most 30 (CategoricalParameterRange.Values)",
    });
  });

  it("refuses a grid with a distribution, or with more samples than combinations, up front", async () => {
    const distribution = await errorsOf(tuningSweep("learning_rate: {uniform: [0.001, 0.01]}", "engine: tuning"));
    expect(distribution[0]).toMatchObject({
      path: "hyperparameters.learning_rate",
      message: expect.stringContaining("grid search takes categorical ranges only"),
    });
    const text = tuningSweep("backbone: [resnet-50, resnet-101]\nalgorithm: [fcn, psp]", "engine: tuning\nsamples: 10");
    const over = await errorsOf(text);
    expect(over).toEqual([
      expect.objectContaining({
        path: "samples",
        line: lineOf(text, "samples: 10"),
        message: expect.stringContaining("more than the 4 combinations"),
      }),
    ]);
    expect((await tuningPlanOf(text.replace("\nsamples: 10", "\nsamples: 3"))).maxTrainingJobs).toBe(3);
  });

  it("refuses MaxNumberOfTrainingJobs and MaxParallelTrainingJobs beyond AMT's limits", async () => {
    const jobs = await errorsOf(
      tuningSweep("learning_rate: {uniform: [0.001, 0.01]}", "strategy: bayesian\nsamples: 751\nlimits:\n  max_jobs: 5000"),
    );
    expect(jobs[0]?.message).toBe("the tuning job would run 751 training jobs; a Bayesian tuning job runs at most 750");
    const parallel = await errorsOf(
      tuningSweep("learning_rate: {uniform: [0.001, 0.01]}", "strategy: bayesian\nsamples: 200\nlimits:\n  max_concurrency: 101"),
    );
    expect(parallel[0]).toMatchObject({ path: "limits.max_concurrency", message: expect.stringContaining("at most 100 in parallel") });
    const plan = await tuningPlanOf(
      tuningSweep("learning_rate: {uniform: [0.001, 0.01]}", "strategy: random\nengine: tuning\nsamples: 900"),
    );
    expect(plan.warnings.map((w) => w.message)).toContain(
      "the tuning job would run 900 training jobs; the default limit is 750 per tuning job (Random can be raised to 10,000 through AWS Support)",
    );
  });

  it("refuses more training jobs than limits.max_jobs", async () => {
    const errors = await errorsOf(
      tuningSweep("learning_rate: {uniform: [0.001, 0.01]}", "strategy: bayesian\nsamples: 50\nlimits:\n  max_jobs: 40"),
    );
    expect(errors[0]).toMatchObject({
      path: "limits.max_jobs",
      message: expect.stringContaining("may run 50 training jobs, over limits.max_jobs (40)"),
    });
  });

  it("says so when Hyperband's epochs is searched, too large, or early stopping is on", async () => {
    const tuned = await errorsOf(tuningSweep("epochs: [10, 20]", "strategy: hyperband\nsamples: 10"));
    expect(tuned[0]).toMatchObject({ path: "hyperparameters.epochs", message: expect.stringContaining("static epochs") });
    const large = await errorsOf(tuningSweep("epochs: 20001\nlearning_rate: [0.01, 0.1]", "strategy: hyperband\nsamples: 10"));
    expect(large[0]?.message).toBe("epochs: 20001 is more than Hyperband allows (20,000 epochs, HyperbandStrategyConfig)");
    const early = await errorsOf(tuningSweep("early_stopping: true\nlearning_rate: [0.01, 0.1]", "strategy: hyperband\nsamples: 10"));
    expect(early[0]).toMatchObject({
      path: "hyperparameters.early_stopping",
      message: expect.stringContaining("early stopping must be off"),
    });
  });

  it("refuses what AMT cannot do or a contradiction in the engine", async () => {
    const engine = await errorsOf(tuningSweep("learning_rate: [0.01, 0.1]", "engine: jobs\nstrategy: bayesian\nsamples: 4"));
    expect(engine[0]).toMatchObject({ path: "engine", message: expect.stringContaining("exists only on the tuning engine") });
    const include = await errorsOf(
      tuningSweep("learning_rate: [0.01, 0.1]", "strategy: bayesian\nsamples: 4\ninclude:\n  - {learning_rate: 0.5}"),
    );
    expect(include[0]).toMatchObject({ path: "include", message: expect.stringContaining("cannot add or drop points") });
    const samples = await errorsOf(tuningSweep("learning_rate: [0.01, 0.1]", "strategy: hyperband"));
    expect(samples[0]?.message).toBe(
      "strategy: hyperband needs samples, the number of training jobs the tuning job may run (MaxNumberOfTrainingJobs), e.g. samples: 20",
    );
    const nothing = await errorsOf(tuningSweep("learning_rate: 0.01"));
    expect(nothing[0]?.message).toMatch(/^nothing is searched/);
    const seed = await errorsOf(tuningSweep("learning_rate: [0.01, 0.1]", "strategy: bayesian\nsamples: 4\nseed: -1"));
    expect(seed[0]).toMatchObject({ path: "seed", message: "seed: -1 is negative; AMT's RandomSeed is an integer ≥ 0" });
  });

  it("refuses what the contract refuses on some combination (lr_scheduler_step is required with step)", async () => {
    const errors = await errorsOf(tuningSweep("lr_scheduler: [poly, step]"));
    expect(errors[0]).toMatchObject({
      path: "hyperparameters",
      message: expect.stringContaining("lr_scheduler_step is required when lr_scheduler is step"),
    });
  });

  it("runs the same jobs on the jobs engine refused with a pointer to plan", async () => {
    const { planJobsSweepFile } = await import("../../../src/plan/plan-file.js");
    const { writeSweep } = await import("../../kit/cli.js");
    const result = await planJobsSweepFile(writeSweep(tuningSweep("learning_rate: [0.01, 0.1]")));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.diagnostics[0]?.message).toContain("this step handles only jobs-engine sweeps");
  });
});

describe("tuning job names", () => {
  it("fit AMT's 32-character pattern for every valid campaign name, and differ between campaigns and definitions", async () => {
    const { tuningJobName } = await import("../../../src/plan/tuning/name.js");
    const { CampaignName } = await import("../../../src/sweep/definition.js");
    const fc = (await import("fast-check")).default;
    const campaign = fc
      .array(fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789-"), { minLength: 1, maxLength: 44 })
      .map((chars) => chars.join(""))
      .filter((name) => CampaignName.safeParse(name).success);
    fc.assert(
      fc.property(campaign, fc.jsonValue(), (name, definition) => {
        const tuning = tuningJobName(name, definition);
        expect(tuning.length).toBeLessThanOrEqual(32);
        expect(tuning).toMatch(TUNING_JOB_NAME_PATTERN);
        expect(tuningJobName(name, definition)).toBe(tuning);
        expect(tuningJobName(`${name}x`, definition)).not.toBe(tuning);
      }),
    );
  });
});
