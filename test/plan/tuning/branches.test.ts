import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { semanticSegmentation } from "../../../src/algorithms/semantic-segmentation/index.js";
import { splitEvenly } from "../../../src/plan/tuning/budget.js";
import { planTuningSweep } from "../../../src/plan/tuning/compile.js";
import type { TuningBranch, TuningPlan } from "../../../src/plan/tuning/types.js";
import { parseSweepText } from "../../../src/sweep/load.js";
import { parseDefinition } from "../../../src/sweep/parse-definition.js";
import { tuningPlanOf, tuningSweep } from "./helpers.js";

const ranges = (branch: TuningBranch | undefined) => {
  const r = branch?.request.HyperParameterTuningJobConfig.ParameterRanges;
  return [...(r?.CategoricalParameterRanges ?? []), ...(r?.ContinuousParameterRanges ?? []), ...(r?.IntegerParameterRanges ?? [])]
    .map((x) => x.Name)
    .sort();
};
const statics = (branch: TuningBranch | undefined) => branch?.request.TrainingJobDefinition.StaticHyperParameters ?? {};

describe("conditional parameters split the space into one tuning job per branch", () => {
  it("splits optimizer: [sgd, adam] with a momentum range, each branch with only what applies", async () => {
    const plan = await tuningPlanOf(
      tuningSweep("optimizer: [sgd, adam]\nmomentum: {uniform: [0.8, 0.99]}\nlearning_rate: {log_uniform: [0.0001, 0.1]}"),
    );
    expect(plan.split).toEqual([{ parameter: "optimizer", dependents: [{ name: "momentum", appliesWhen: "optimizer is sgd" }] }]);
    const [sgd, adam] = plan.branches;
    expect(sgd?.covers).toEqual({ optimizer: ["sgd"] });
    expect(ranges(sgd)).toEqual(["learning_rate", "momentum"]);
    expect(statics(sgd)).toMatchObject({ optimizer: "sgd", weight_decay: "0.0001" });
    expect(adam?.covers).toEqual({ optimizer: ["adam"] });
    expect(ranges(adam)).toEqual(["learning_rate"]);
    expect(statics(adam).optimizer).toBe("adam");
    expect(statics(adam)).not.toHaveProperty("momentum");
    expect(statics(adam)).not.toHaveProperty("weight_decay");
    expect(adam?.hyperparameterNames).not.toContain("momentum");
    expect(new Set(plan.branches.map((b) => b.request.HyperParameterTuningJobName)).size).toBe(2);
  });

  it("keeps the values under which the same parameters apply together", async () => {
    const plan = await tuningPlanOf(
      tuningSweep(
        "optimizer: [sgd, adam, rmsprop, nag]\nmomentum: {uniform: [0.8, 0.99]}\ngamma1: {uniform: [0.8, 0.99]}",
        "strategy: bayesian\nsamples: 30\nlimits:\n  max_concurrency: 3",
      ),
    );
    expect(plan.branches.map((b) => b.covers)).toEqual([
      { optimizer: ["sgd"] },
      { optimizer: ["adam", "nag"] },
      { optimizer: ["rmsprop"] },
    ]);
    expect(ranges(plan.branches[1])).toEqual(["optimizer"]);
    expect(ranges(plan.branches[2])).toEqual(["gamma1"]);
    // gamma2 applies under rmsprop only: static there, absent elsewhere.
    expect(statics(plan.branches[2]).gamma2).toBe("0.9");
    expect(statics(plan.branches[1])).not.toHaveProperty("gamma2");
  });

  it("splits on lr_scheduler with an lr_scheduler_step range, and on two controllers at once", async () => {
    const text = tuningSweep(
      'lr_scheduler: [poly, step]\nlr_scheduler_step: ["5", "5,8"]\noptimizer: [sgd, adam]\nmomentum: {uniform: [0.8, 0.99]}',
      "strategy: bayesian\nsamples: 20\nlimits:\n  max_concurrency: 4",
    );
    const plan = await tuningPlanOf(text);
    expect(plan.branches.map((b) => b.covers)).toEqual([
      { lr_scheduler: ["poly"], optimizer: ["sgd"] },
      { lr_scheduler: ["poly"], optimizer: ["adam"] },
      { lr_scheduler: ["step"], optimizer: ["sgd"] },
      { lr_scheduler: ["step"], optimizer: ["adam"] },
    ]);
    expect(ranges(plan.branches[2])).toEqual(["lr_scheduler_step", "momentum"]);
    expect(statics(plan.branches[0])).not.toHaveProperty("lr_scheduler_factor");
    expect(statics(plan.branches[2]).lr_scheduler_factor).toBe("0.1");
  });

  it("divides samples and max_concurrency evenly, the remainder to the first branches", async () => {
    const plan = await tuningPlanOf(
      tuningSweep(
        "optimizer: [sgd, adam, rmsprop]\nmomentum: {uniform: [0.8, 0.99]}\ngamma1: {uniform: [0.8, 0.99]}",
        "strategy: bayesian\nsamples: 20\nlimits:\n  max_concurrency: 4",
      ),
    );
    const limits = plan.branches.map((b) => b.request.HyperParameterTuningJobConfig.ResourceLimits);
    expect(limits.map((l) => l.MaxNumberOfTrainingJobs)).toEqual([7, 7, 6]);
    expect(limits.map((l) => l.MaxParallelTrainingJobs)).toEqual([2, 1, 1]);
    expect(plan.maxTrainingJobs).toBe(20);
  });

  it("gives a grid branch no more than its combinations and the rest to the others", async () => {
    const text = tuningSweep(
      "optimizer: [sgd, adam]\nmomentum: [0.9, 0.95, 0.99]\nbackbone: [resnet-50, resnet-101]",
      "engine: tuning\nsamples: 7",
    );
    const plan = await tuningPlanOf(text);
    expect(plan.branches.map((b) => b.combinations)).toEqual([6, 2]);
    expect(plan.branches.map((b) => b.request.HyperParameterTuningJobConfig.ResourceLimits.MaxNumberOfTrainingJobs)).toEqual([5, 2]);
    const all = await tuningPlanOf(text.replace("\nsamples: 7", ""));
    expect(all.maxTrainingJobs).toBe(8);
  });

  it("refuses a budget that cannot be divided, and drops a range that never applies, saying why", async () => {
    const plan = await tuningPlanOf(tuningSweep("optimizer: adam\nmomentum: {uniform: [0.8, 0.99]}\nlearning_rate: [0.01, 0.1]"));
    expect(plan.warnings.find((w) => w.path === "hyperparameters.momentum")?.message).toBe(
      "momentum is searched, but the algorithm ignores it: optimizer is adam, and momentum applies only when optimizer is sgd; its range is left out",
    );
    expect(ranges(plan.branches[0])).toEqual(["learning_rate"]);
  });

  it("splits evenly with caps", () => {
    const inf = Number.POSITIVE_INFINITY;
    expect(splitEvenly(20, [inf, inf, inf])).toEqual([7, 7, 6]);
    expect(splitEvenly(10, [2, inf, inf])).toEqual([2, 4, 4]);
    expect(splitEvenly(85, [18, 1, 34, 33])).toEqual([18, 1, 33, 33]);
    expect(splitEvenly(10, [2, 3])).toEqual([2, 3]);
    fc.assert(
      fc.property(fc.nat(500), fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 8 }), (total, caps) => {
        const shares = splitEvenly(total, caps);
        expect(shares.reduce((a, b) => a + b, 0)).toBe(
          Math.min(
            total,
            caps.reduce((a, b) => a + b, 0),
          ),
        );
        shares.forEach((share, i) => {
          expect(share).toBeLessThanOrEqual(caps[i] ?? 0);
        });
        // Even: a part below its cap never has less than another part minus one.
        shares.forEach((share, i) => {
          if (share < (caps[i] ?? 0)) for (const other of shares) expect(share).toBeGreaterThanOrEqual(other - 1);
        });
      }),
    );
  });
});

/*
 * Properties over random search spaces of the conditional parameters: every branch's points are
 * valid points of the contract, and every point of the space is a point of some branch.
 */

const subset = <T>(values: readonly T[]) => fc.subarray([...values], { minLength: 1 });
const interval = (low: number, high: number) =>
  fc.tuple(fc.double({ min: low, max: high, noNaN: true }), fc.double({ min: low, max: high, noNaN: true })).filter(([a, b]) => a < b);

const searchSpace = fc.record({
  optimizer: subset(["adam", "adagrad", "nag", "rmsprop", "sgd"]),
  lr_scheduler: subset(["poly", "cosine", "step"]),
  momentum: fc.option(interval(0.01, 1), { nil: undefined }),
  gamma1: fc.option(interval(0, 1), { nil: undefined }),
  lr_scheduler_factor: fc.option(interval(0, 1), { nil: undefined }),
  lr_scheduler_step: fc.option(subset(["3", "3,6", "8"]), { nil: undefined }),
  early_stopping: fc.option(subset([true, false]), { nil: undefined }),
  early_stopping_patience: fc.option(fc.tuple(fc.nat(5), fc.integer({ min: 6, max: 9 })), { nil: undefined }),
  learning_rate: interval(1e-5, 1),
});
type Space = typeof searchSpace extends fc.Arbitrary<infer T> ? T : never;

function sweepOf(space: Space): string {
  const hyperparameters: Record<string, unknown> = { num_classes: 21, num_training_samples: 100, epochs: 10 };
  hyperparameters.optimizer = space.optimizer;
  hyperparameters.lr_scheduler = space.lr_scheduler;
  // lr_scheduler_step is required under step: a static value when it is not searched.
  hyperparameters.lr_scheduler_step = space.lr_scheduler_step ?? "4";
  for (const name of ["momentum", "gamma1", "lr_scheduler_factor"] as const)
    if (space[name]) hyperparameters[name] = { uniform: space[name] };
  if (space.early_stopping) hyperparameters.early_stopping = space.early_stopping;
  if (space.early_stopping_patience) hyperparameters.early_stopping_patience = { int_uniform: space.early_stopping_patience };
  hyperparameters.learning_rate = { log_uniform: space.learning_rate };
  const data = {
    train: "s3://my-bucket/t/",
    validation: "s3://my-bucket/v/",
    train_annotation: "s3://my-bucket/ta/",
    validation_annotation: "s3://my-bucket/va/",
  };
  return JSON.stringify({ name: "prop", strategy: "bayesian", samples: 100, hyperparameters, data, limits: { max_concurrency: 100 } });
}

function planOf(space: Space): TuningPlan {
  const parsed = parseSweepText(sweepOf(space), "prop.json");
  if (!parsed.ok) throw new Error("unparsable");
  const def = parseDefinition(parsed.source);
  if (!def.ok) throw new Error(def.diagnostics.map((d) => d.message).join("; "));
  const result = planTuningSweep(parsed.source, def.definition, semanticSegmentation);
  if (!result.ok) throw new Error(result.diagnostics.map((d) => `${d.path}: ${d.message}`).join("; "));
  return result.plan;
}

type Draw = () => number;

/** A random point of one branch: static values plus a value drawn from each range. */
function branchPoint(branch: TuningBranch, u: Draw): Record<string, string> {
  const r = branch.request.HyperParameterTuningJobConfig.ParameterRanges;
  const point: Record<string, string> = { ...branch.request.TrainingJobDefinition.StaticHyperParameters };
  for (const c of r.CategoricalParameterRanges) point[c.Name] = c.Values[Math.floor(u() * c.Values.length)] ?? "";
  for (const c of r.ContinuousParameterRanges) point[c.Name] = String(Number(c.MinValue) + u() * (Number(c.MaxValue) - Number(c.MinValue)));
  for (const c of r.IntegerParameterRanges)
    point[c.Name] = String(Number(c.MinValue) + Math.floor(u() * (Number(c.MaxValue) - Number(c.MinValue) + 1)));
  return point;
}

/** A random point of the whole space, as the jobs engine would draw it. */
function spacePoint(space: Space, u: Draw): Record<string, unknown> {
  const pick = <T>(values: readonly T[]) => values[Math.floor(u() * values.length)];
  // Clamped: exp(log(x)) can land a rounding error outside the range.
  const within = (range: readonly [number, number]) => Math.min(range[1], Math.max(range[0], range[0] + u() * (range[1] - range[0])));
  const point: Record<string, unknown> = { num_classes: 21, num_training_samples: 100, epochs: 10 };
  point.optimizer = pick(space.optimizer);
  point.lr_scheduler = pick(space.lr_scheduler);
  point.lr_scheduler_step = space.lr_scheduler_step ? pick(space.lr_scheduler_step) : "4";
  for (const name of ["momentum", "gamma1", "lr_scheduler_factor"] as const) {
    const range = space[name];
    if (range) point[name] = within(range);
  }
  if (space.early_stopping) point.early_stopping = pick(space.early_stopping);
  if (space.early_stopping_patience)
    point.early_stopping_patience = Math.floor(within([space.early_stopping_patience[0], space.early_stopping_patience[1] + 1 - 1e-9]));
  const [low, high] = space.learning_rate;
  point.learning_rate = Math.min(high, Math.max(low, Math.exp(within([Math.log(low), Math.log(high)]))));
  return point;
}

/** Whether `sent` lies in the branch: its static values where both send them, every tuned name present and within its range. */
function inBranch(branch: TuningBranch, sent: Readonly<Record<string, string>>): boolean {
  const r = branch.request.HyperParameterTuningJobConfig.ParameterRanges;
  if (Object.entries(statics(branch)).some(([name, value]) => sent[name] !== undefined && sent[name] !== value)) return false;
  const within = (x: string | undefined, min: string, max: string) =>
    x !== undefined && Number(x) >= Number(min) && Number(x) <= Number(max);
  return (
    r.CategoricalParameterRanges.every((c) => sent[c.Name] !== undefined && c.Values.includes(sent[c.Name] ?? "")) &&
    [...r.ContinuousParameterRanges, ...r.IntegerParameterRanges].every((c) => within(sent[c.Name], c.MinValue, c.MaxValue))
  );
}

describe("the split, as properties over random search spaces", () => {
  const draws = fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 64, maxLength: 64 });
  const drawer = (values: readonly number[]): Draw => {
    let i = 0;
    return () => values[i++ % values.length] ?? 0;
  };

  it("every branch's points are valid points of the contract, and each tuned parameter applies in them", () => {
    fc.assert(
      fc.property(searchSpace, draws, (space, values) => {
        const u = drawer(values);
        for (const branch of planOf(space).branches) {
          const point = branchPoint(branch, u);
          const resolved = semanticSegmentation.resolve(point);
          if (!resolved.ok) throw new Error(`branch ${branch.index}: ${resolved.errors.map((e) => e.message).join("; ")}`);
          for (const name of ranges(branch)) expect(resolved.hyperparameters, `${name} applies`).toHaveProperty(name);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("the branches together cover the space: every point trains as a point of some branch", () => {
    fc.assert(
      fc.property(searchSpace, draws, (space, values) => {
        const plan = planOf(space);
        const resolved = semanticSegmentation.resolve(spacePoint(space, drawer(values)));
        if (!resolved.ok) throw new Error(resolved.errors.map((e) => e.message).join("; "));
        const sent = resolved.hyperparameters;
        const home = plan.branches.filter((branch) => inBranch(branch, sent));
        expect(home.length, `a branch for ${JSON.stringify(sent)}`).toBeGreaterThanOrEqual(1);
        for (const branch of home) {
          const tuned = Object.fromEntries(ranges(branch).map((name) => [name, sent[name] ?? ""]));
          const again = semanticSegmentation.resolve({ ...statics(branch), ...tuned });
          expect(again.ok && again.hyperparameters).toEqual(sent);
        }
      }),
      { numRuns: 150 },
    );
  });
});
