import { describe, expect, it } from "vitest";
import { planCsvChunks, planJsonChunks } from "../../src/cli/format/plan.js";
import { DuplicatePoints } from "../../src/plan/duplicates.js";
import { planJobsSweepFile, planSweepFileStreaming } from "../../src/plan/plan-file.js";
import { scanPoints } from "../../src/plan/scan.js";
import { SeenHashes } from "../../src/plan/seen-hashes.js";
import type { PlannedJob } from "../../src/plan/types.js";
import { SweepDefinition } from "../../src/sweep/definition.js";
import { runCli, sweepText, writeSweep } from "../kit/cli.js";

/** Duplicates (momentum under adam, crop_size normalised), exclude and include, so job order and `points` matter. */
const MIXED = sweepText(
  "optimizer: [sgd, adam]\nmomentum: [0.8, 0.9]\ncrop_size: [241, 248]\nlearning_rate: [0.001, 0.01]",
  "exclude:\n  - {optimizer: sgd, learning_rate: 0.01}\ninclude:\n  - {optimizer: rmsprop, gamma1: 0.9}\n",
);

async function both(text: string) {
  const file = writeSweep(text);
  const materialised = await planJobsSweepFile(file);
  const streaming = await planSweepFileStreaming(file);
  if (!materialised.ok || !streaming.ok || !("jobs" in streaming)) throw new Error("expected jobs-engine plans");
  return { file, plan: materialised.plan, streaming };
}

describe("the job list, streamed", () => {
  it("lists the same jobs, in the same order, with the same merged points, as often as it is walked", async () => {
    const { plan, streaming } = await both(MIXED);
    expect(plan.counts).toEqual({ expanded: 17, excluded: 4, duplicates: 8, jobs: 5 });
    expect(streaming.plan.counts).toEqual(plan.counts);
    expect([...streaming.jobs()]).toEqual(plan.jobs);
    expect([...streaming.jobs()]).toEqual(plan.jobs);
    // Every point kept is in exactly one job, each job's points ascend, and adam's ignore momentum and crop_size's rounding.
    expect(plan.jobs.flatMap((job) => job.points).sort((a, b) => a - b)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    for (const job of plan.jobs) expect(job.points).toEqual([...job.points].sort((a, b) => a - b));
    const adam = plan.jobs.filter((job) => job.hyperparameters.optimizer === "adam");
    expect(adam.map((job) => job.points.length)).toEqual([4, 4]);
  });

  it("prints JSON exactly as JSON.stringify of the whole plan would", async () => {
    const { file, plan } = await both(MIXED);
    const { stdout } = await runCli(["plan", file, "--format", "json"]);
    expect(stdout).toBe(`${JSON.stringify(plan, null, 2)}\n`);
    const { jobs, ...summary } = plan;
    const summaryOut = await runCli(["plan", file, "--summary", "--json"]);
    expect(summaryOut.stdout).toBe(`${JSON.stringify(summary, null, 2)}\n`);
    expect(jobs).toHaveLength(5);
  });

  it("prints a plan without jobs as an empty list, and a description in its place", async () => {
    const plan = {
      ...(await both(sweepText("learning_rate: 0.01"))).plan,
      description: "x",
    };
    const empty = { ...plan, jobs: [] as PlannedJob[] };
    expect([...planJsonChunks(empty, () => [])].join("")).toBe(`${JSON.stringify(empty, null, 2)}\n`);
  });

  it("prints CSV with one column per hyperparameter any job sends, empty where a job does not", async () => {
    const { plan } = await both(MIXED);
    const lines = [...planCsvChunks(() => plan.jobs)].join("").trim().split("\n");
    const header = lines[0]?.split(",") ?? [];
    expect(header.slice(0, 2)).toEqual(["name", "point_id"]);
    expect(header).toContain("gamma1");
    expect(lines).toHaveLength(6);
    const rmsprop = lines.find((line) => line.includes(",rmsprop,"))?.split(",") ?? [];
    expect(rmsprop[header.indexOf("momentum")]).toBe("");
    expect(rmsprop[header.indexOf("gamma1")]).toBe("0.9");
  });

  it("shows no table past 10,000 jobs: it says so and points at CSV and --summary", async () => {
    const values = (n: number, from: number) => Array.from({ length: n }, (_, i) => from + i).join(", ");
    const file = writeSweep(sweepText(`epochs: [${values(101, 10)}]\nbase_size: [${values(100, 520)}]`, "limits:\n  max_jobs: 20000\n"));
    const { code, stdout } = await runCli(["plan", file]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Points +10,100 expanded · 0 excluded · 0 duplicates dropped · 10,100 jobs/);
    expect(stdout).toContain("10,100 jobs are more than a table shows (10,000 rows at most).");
    expect(stdout).toContain(`\`segsweep plan ${file} --format csv\``);
    expect(stdout).not.toMatch(/JOB NAME/);
  });
});

describe("the first pass", () => {
  it("reports progress every so many points, with the total", () => {
    const def = SweepDefinition.parse({
      name: "progress",
      hyperparameters: { num_classes: 2, num_training_samples: 10, epochs: [1, 2, 3, 4, 5] },
      data: { train: "a/", validation: "b/", train_annotation: "c/", validation_annotation: "d/" },
    });
    const reports: [number, number][] = [];
    scanPoints(def, {
      stopAfterJobs: undefined,
      keepDuplicates: false,
      despiteErrors: false,
      ignoredKeys: new Set(),
      gpus: 1,
      total: 5,
      progressEvery: 2,
      onProgress: (checked, total) => reports.push([checked, total]),
    });
    expect(reports).toEqual([
      [2, 5],
      [4, 5],
    ]);
  });

  it("numbers distinct hashes in order of first appearance, through growth", () => {
    const seen = new SeenHashes(16);
    for (let i = 1; i <= 1000; i++) expect(seen.add(i * 7919, i)).toBe(-1);
    expect(seen.size).toBe(1000);
    expect(seen.add(0, 0)).toBe(-1); // (0,0) is a hash like any other
    expect(seen.add(501 * 7919, 501)).toBe(500);
    expect(seen.get(1000 * 7919, 1000)).toBe(999);
    expect(seen.get(0, 0)).toBe(1000);
    expect(seen.get(1, 123456)).toBe(-1);
  });

  it("groups duplicate points by job, ascending", () => {
    const duplicates = new DuplicatePoints();
    for (const [job, point] of [
      [2, 5],
      [0, 6],
      [2, 9],
      [0, 10],
    ] as const)
      duplicates.add(job, point);
    duplicates.finish(3);
    expect([duplicates.of(0), duplicates.of(1), duplicates.of(2)]).toEqual([[6, 10], [], [5, 9]]);
  });
});
