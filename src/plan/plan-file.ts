import type { Diagnostic } from "../sweep/diagnostic.js";
import type { LaunchPlan } from "./types.js";

/** The result of planning a sweep file: the plan, or every problem found (nothing is planned then). */
export type PlanResult =
  | { readonly ok: true; readonly plan: LaunchPlan }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

export interface PlanOptions {
  /** Count only, keep no jobs (for huge grids): `plan.jobs` is empty, counts and cost are exact. */
  readonly summaryOnly?: boolean;
}

/** Reads, validates, expands and plans a sweep file. Pure but for reading the file. (Being built.) */
export async function planSweepFile(file: string, options: PlanOptions = {}): Promise<PlanResult> {
  void options;
  throw new Error(`planSweepFile(${file}): being built`);
}
