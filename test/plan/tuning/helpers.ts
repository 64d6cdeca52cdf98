import { expect } from "vitest";
import { planSweepFileOnItsEngine } from "../../../src/plan/plan-file.js";
import { isTuningPlan, type TuningPlan } from "../../../src/plan/tuning/types.js";
import type { Diagnostic } from "../../../src/sweep/diagnostic.js";
import { sweepText, writeSweep } from "../../kit/cli.js";

/** A tuning sweep: `hyperparameters` lines (indented for you) and top-level `extra` lines. */
export function tuningSweep(hyperparameters: string, extra = "strategy: bayesian\nsamples: 20"): string {
  const lines = hyperparameters
    .split("\n")
    .map((line) => line.trim())
    .join("\n");
  return sweepText(lines, extra);
}

/** Plans a sweep text; it must give a tuning plan. */
export async function tuningPlanOf(text: string): Promise<TuningPlan> {
  const result = await planSweepFileOnItsEngine(writeSweep(text));
  if (!result.ok) expect.fail(`expected a plan, got:\n${result.diagnostics.map((d) => `${d.path}: ${d.message}`).join("\n")}`);
  if (!isTuningPlan(result.plan)) expect.fail("expected a tuning plan");
  return result.plan;
}

/** Plans a sweep text; it must be refused. Returns the diagnostics. */
export async function refusalOf(text: string): Promise<readonly Diagnostic[]> {
  const result = await planSweepFileOnItsEngine(writeSweep(text));
  if (result.ok) expect.fail("expected the sweep to be refused");
  return result.diagnostics;
}

/** The errors only. */
export async function errorsOf(text: string): Promise<Diagnostic[]> {
  return (await refusalOf(text)).filter((d) => d.severity === "error");
}

/** The first line of `text` that starts with `needle` once trimmed (1-based): where an error should point. */
export function lineOf(text: string, needle: string): number {
  const index = text.split("\n").findIndex((line) => line.trim().startsWith(needle));
  if (index < 0) throw new Error(`no line contains ${needle}`);
  return index + 1;
}
