import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { planSweepFileOnItsEngine } from "../../../src/plan/plan-file.js";
import { isTuningPlan, type TuningPlan } from "../../../src/plan/tuning/types.js";
import { resolveWarmStart } from "../../../src/plan/tuning/warm-start.js";
import type { SweepDefinition } from "../../../src/sweep/definition.js";
import { sweepText } from "../../kit/cli.js";

/** Writes sweep files side by side in a fresh folder; returns their paths by file name. */
function folderWith(files: Record<string, string>): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), "segsweep-warm-"));
  return Object.fromEntries(
    Object.entries(files).map(([name, text]) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return [name, path];
    }),
  );
}

const named = (name: string, text: string) => text.replace("name: test-sweep", `name: ${name}`);
const SPACE = "optimizer: [sgd, adam]\nmomentum: {uniform: [0.8, 0.99]}\nlearning_rate: {log_uniform: [0.0001, 0.1]}";
const parent = named("voc-first", sweepText(SPACE, "strategy: bayesian\nsamples: 20"));
const child = (from: string, type = "identical_data_and_algorithm", space = SPACE) =>
  named("voc-second", sweepText(space, `strategy: bayesian\nsamples: 10\nwarm_start:\n  from: [${from}]\n  type: ${type}`));

async function planOf(path: string): Promise<TuningPlan> {
  const result = await planSweepFileOnItsEngine(path);
  if (!result.ok) throw new Error(result.diagnostics.map((d) => `${d.path}: ${d.message}`).join("\n"));
  if (!isTuningPlan(result.plan)) throw new Error("not a tuning plan");
  return result.plan;
}

async function problemsOf(path: string) {
  const result = await planSweepFileOnItsEngine(path);
  if (result.ok) throw new Error("expected a refusal");
  return result.diagnostics.filter((d) => d.severity === "error");
}

describe("warm start from campaigns of this repository", () => {
  it("warm starts each branch from the parent campaign's tuning job that sends the same names", async () => {
    const paths = folderWith({ "first.yaml": parent, "second.yaml": child("voc-first") });
    const first = await planOf(paths["first.yaml"] ?? "");
    const second = await planOf(paths["second.yaml"] ?? "");
    expect(second.branches).toHaveLength(2);
    second.branches.forEach((branch, i) => {
      expect(branch.request.WarmStartConfig).toEqual({
        ParentHyperParameterTuningJobs: [{ HyperParameterTuningJobName: first.branches[i]?.request.HyperParameterTuningJobName }],
        WarmStartType: "IdenticalDataAndAlgorithm",
      });
    });
  });

  it("refuses a parent whose set of static plus tuned names differs, naming the difference", async () => {
    // lr_scheduler: step sends lr_scheduler_step and lr_scheduler_factor, which the parent never sent.
    const paths = folderWith({
      "first.yaml": parent,
      "second.yaml": child("voc-first", "transfer_learning", `${SPACE}\nlr_scheduler: step\nlr_scheduler_step: "5"`),
    });
    const [error] = await problemsOf(paths["second.yaml"] ?? "");
    expect(error).toMatchObject({
      path: "warm_start.from[0]",
      message:
        "campaign voc-first has no tuning job that sends the same hyperparameter names as this campaign (+lr_scheduler_factor +lr_scheduler_step); AMT requires the set of static plus tuned names to stay the same when warm starting",
    });
    expect(error?.line).toBeGreaterThan(0);
  });

  it("lets a parameter move between static and tuned, as AMT does", async () => {
    const paths = folderWith({
      "first.yaml": parent,
      "second.yaml": child("voc-first", "transfer_learning", `${SPACE}\nmini_batch_size: [8, 16]`),
    });
    expect((await planOf(paths["second.yaml"] ?? "")).branches.every((b) => b.request.WarmStartConfig !== undefined)).toBe(true);
  });

  it("accepts new data with transfer_learning and refuses it with identical_data_and_algorithm", async () => {
    const moved = (text: string) => text.replaceAll("s3://bucket/", "s3://other-bucket/");
    const identical = folderWith({ "first.yaml": parent, "second.yaml": moved(child("voc-first")) });
    expect((await problemsOf(identical["second.yaml"] ?? ""))[0]?.message).toContain("trains on other data");
    const transfer = folderWith({ "first.yaml": parent, "second.yaml": moved(child("voc-first", "transfer_learning")) });
    expect((await planOf(transfer["second.yaml"] ?? "")).branches[0]?.request.WarmStartConfig?.WarmStartType).toBe("TransferLearning");
  });

  it("refuses a parent with another objective, on the jobs engine, or this campaign itself", async () => {
    const other = folderWith({ "first.yaml": `${parent}\nobjective: validation:pixel_accuracy\n`, "second.yaml": child("voc-first") });
    expect((await problemsOf(other["second.yaml"] ?? ""))[0]?.message).toContain("a warm start needs the same objective metric");
    const jobs = folderWith({
      "first.yaml": named("voc-first", sweepText("learning_rate: [0.01, 0.1]")),
      "second.yaml": child("voc-first"),
    });
    expect((await problemsOf(jobs["second.yaml"] ?? ""))[0]?.message).toBe(
      "campaign voc-first (first.yaml) cannot be a parent: it runs on the jobs engine (strategy: grid), and AMT warm starts only from tuning jobs",
    );
    const self = folderWith({ "second.yaml": child("voc-second") });
    expect((await problemsOf(self["second.yaml"] ?? ""))[0]?.message).toBe(
      "voc-second is this campaign; a warm start needs an earlier one",
    );
  });

  it("follows a parent's own warm start, so its tuning job names are the ones it launches under", async () => {
    const paths = folderWith({
      "first.yaml": parent,
      "second.yaml": child("voc-first"),
      "third.yaml": child("voc-second").replace("name: voc-second", "name: voc-third"),
    });
    const second = await planOf(paths["second.yaml"] ?? "");
    const third = await planOf(paths["third.yaml"] ?? "");
    expect(third.branches[0]?.request.WarmStartConfig?.ParentHyperParameterTuningJobs).toEqual([
      { HyperParameterTuningJobName: second.branches[0]?.request.HyperParameterTuningJobName },
    ]);
  });

  it("takes other names as tuning job names, checked only by SageMaker, and refuses what cannot be one", async () => {
    const paths = folderWith({ "second.yaml": child("my-old-tuning-job") });
    const plan = await planOf(paths["second.yaml"] ?? "");
    expect(plan.branches[0]?.request.WarmStartConfig?.ParentHyperParameterTuningJobs).toEqual([
      { HyperParameterTuningJobName: "my-old-tuning-job" },
    ]);
    expect(plan.warnings.find((w) => w.path === "warm_start.from[0]")?.message).toContain("SageMaker checks that it exists");
    const bad = folderWith({ "second.yaml": child("not_a_name") });
    expect((await problemsOf(bad["second.yaml"] ?? ""))[0]?.message).toContain(
      "neither the campaign of a sweep file beside this one nor a tuning job name",
    );
  });

  it("refuses more than 5 parents, in the file and after campaigns become their tuning jobs", async () => {
    const six = folderWith({ "second.yaml": child("a1, a2, a3, a4, a5, a6") });
    expect((await problemsOf(six["second.yaml"] ?? ""))[0]).toMatchObject({
      path: "warm_start.from",
      message: expect.stringContaining("at most 5 parents"),
    });
    const names = ["a", "b"];
    const twin = { request: { HyperParameterTuningJobName: "p-1" }, hyperparameterNames: names };
    const parentPlan = {
      objective: "validation:mIOU",
      data: {},
      branches: [twin, { ...twin, request: { HyperParameterTuningJobName: "p-2" } }],
    } as unknown as TuningPlan;
    const def = {
      name: "c",
      objective: "validation:mIOU",
      data: {},
      warm_start: { from: ["p", "x1", "x2", "x3", "x4"], type: "transfer_learning" },
    } as unknown as SweepDefinition;
    const resolved = resolveWarmStart(def, [names], new Map([["p", { file: "p.yaml", plan: parentPlan }]]));
    expect(resolved.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([
      "branch 1 would warm start from 6 tuning jobs (p-1, p-2, x1, x2, x3, x4); AMT takes at most 5 parents",
    ]);
  });
});
