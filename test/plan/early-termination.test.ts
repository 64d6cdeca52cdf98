import { describe, expect, it } from "vitest";
import { EarlyTerminationCheck } from "../../src/plan/early-termination.js";
import { planJobsSweepFile, planSweepFileOnItsEngine } from "../../src/plan/plan-file.js";
import type { SweepDefinition } from "../../src/sweep/definition.js";
import { ashaRungs } from "../../src/sweep/early-termination.js";
import { parseSweepText } from "../../src/sweep/load.js";
import { runCli, sweepText, writeSweep } from "../kit/cli.js";

async function plan(hyperparameters: string, block: string) {
  return planJobsSweepFile(writeSweep(sweepText(hyperparameters, block)));
}

describe("ASHA's rungs", () => {
  it.each([
    [3, 3, 30, [3, 9, 27]],
    [3, 3, 27, [3, 9]],
    [1, 2, 10, [1, 2, 4, 8]],
    [5, 3, 5, []],
    [1, 4, 2, [1]],
  ])("min_epochs %d, η %d, epochs %d: %j", (min, eta, epochs, rungs) => {
    expect(ashaRungs(min, eta, epochs)).toEqual(rungs);
  });
});

describe("plan with early_termination", () => {
  it("carries the block and the rungs per distinct epochs, and shows them", async () => {
    const result = await plan("epochs: [10, 30]\nlearning_rate: [0.001, 0.01]", "early_termination: {rule: asha, min_epochs: 3}\n");
    if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join("\n"));
    expect(result.plan.earlyTermination).toEqual({
      config: { rule: "asha", minEpochs: 3, reductionFactor: 4, cutoff: "top" },
      objective: "validation:mIOU",
      judged: [
        { epochs: 10, at: [3], points: 2 },
        { epochs: 30, at: [3, 12], points: 2 },
      ],
    });
    const file = writeSweep(sweepText("epochs: 30", "early_termination:\n  rule: median\n  min_epochs: 5\n"));
    const shown = await runCli(["plan", file]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(
      /^Early stop median stopping rule on validation:mIOU · epochs 30: judged after 5, 6, 7 … 29 \(1 point\)$/m,
    );
    expect((await runCli(["plan", file, "--format", "json"])).stdout).toContain('"earlyTermination"');
  });

  it("refuses a point whose epochs leave the rule nothing to judge, at the epochs value, counting the points", async () => {
    const result = await plan("epochs: [3, 30]\nlearning_rate: [0.001, 0.01]", "early_termination: {rule: asha, min_epochs: 3}\n");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        severity: "error",
        path: "hyperparameters.epochs[0]",
        line: 5,
        point: 1,
        message:
          "point 1 (and 1 more point): epochs 3 leaves early_termination nothing to judge: min_epochs (3) must be below epochs; lower min_epochs or train longer",
      }),
    ]);
  });

  it("reports a malformed block with what is allowed, and suggests a misspelt key", async () => {
    const unknownRule = await plan("epochs: 30", "early_termination: {rule: hyperband, min_epochs: 3}\n");
    expect(unknownRule.ok ? [] : unknownRule.diagnostics.map((d) => [d.path, d.message])).toEqual([
      [
        "early_termination.rule",
        expect.stringContaining("rule must be asha (with min_epochs and reduction_factor) or median (with min_epochs)"),
      ],
    ]);
    const misspelt = await plan("epochs: 30", "early_termination: {rule: asha, min_epoch: 3}\n");
    const messages = misspelt.ok ? [] : misspelt.diagnostics.map((d) => d.message).join("\n");
    expect(messages).toMatch(/min_epoch is not a known field \(did you mean "min_epochs"\?\)/);
    const fractional = await plan("epochs: 30", "early_termination: {rule: asha, min_epochs: 3, reduction_factor: 2.5}\n");
    expect(fractional.ok ? [] : fractional.diagnostics.map((d) => [d.path, d.message])).toEqual([
      ["early_termination.reduction_factor", expect.stringContaining("a whole number")],
    ]);
  });

  it("warns where the algorithm's own early stopping can end jobs before the rule has judged them", async () => {
    const fighting = await plan(
      "epochs: 30\nearly_stopping: true\nlearning_rate: [0.001, 0.01]",
      "early_termination: {rule: asha, min_epochs: 3}\n",
    );
    if (!fighting.ok) throw new Error("expected a plan");
    expect(fighting.plan.warnings.map((w) => w.message)).toContain(
      "point 1 (and 1 more point): early_stopping: True can end a job on a plateau at epoch 5, before early_termination (asha) has judged it at epoch 12: the two then compare jobs cut at different epochs; set early_stopping: False, or early_stopping_min_epochs to at least 12",
    );
    const agreeing = await plan(
      "epochs: 30\nearly_stopping: true\nearly_stopping_min_epochs: 12",
      "early_termination: {rule: asha, min_epochs: 3}\n",
    );
    if (!agreeing.ok) throw new Error("expected a plan");
    expect(agreeing.plan.warnings.filter((w) => /early_stopping/.test(w.message))).toEqual([]);
  });

  it("is refused on the tuning engine, which has AMT's own early stopping", async () => {
    const file = writeSweep(
      sweepText(
        "learning_rate: {log_uniform: [0.0001, 0.1]}",
        "strategy: bayesian\nsamples: 10\nearly_termination: {rule: median, min_epochs: 3}\n",
      ),
    );
    const result = await planSweepFileOnItsEngine(file);
    expect(result.ok ? [] : result.diagnostics.map((d) => [d.path, d.message])).toContainEqual([
      "early_termination",
      expect.stringMatching(
        /^early_termination stops training jobs that segsweep launches itself \(engine: jobs\); on the tuning engine use strategy: hyperband/,
      ),
    ]);
  });

  it("refuses an objective the algorithm does not report after every epoch", () => {
    const parsed = parseSweepText("objective: train:loss\n", "x.yaml");
    if (!parsed.ok) throw new Error("parse");
    const def = { objective: "train:loss", early_termination: { rule: "median", minEpochs: 2 } } as unknown as SweepDefinition;
    const diagnostics = EarlyTerminationCheck.of(def)?.fileDiagnostics(parsed.source) ?? [];
    expect(diagnostics).toEqual([
      expect.objectContaining({ severity: "error", path: "objective", line: 1, message: expect.stringMatching(/got train:loss$/) }),
    ]);
  });
});
