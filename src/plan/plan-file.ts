import type { Diagnostic } from "../sweep/diagnostic.js";
import { loadSweepFile } from "../sweep/load.js";
import { parseDefinition } from "../sweep/parse-definition.js";
import { planSweep } from "./plan.js";
import type { LaunchPlan } from "./types.js";

/** The result of planning a sweep file: the plan, or every problem found (nothing is planned then). */
export type PlanResult =
  | { readonly ok: true; readonly plan: LaunchPlan }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

export interface PlanOptions {
  /** Count only, keep no jobs (for huge grids): `plan.jobs` is empty, counts and cost are exact. */
  readonly summaryOnly?: boolean;
}

/** Reads a sweep file, checks it, expands it, validates every point and plans it. No AWS. */
export async function planSweepFile(file: string, options: PlanOptions = {}): Promise<PlanResult> {
  const parsed = await loadSweepFile(file);
  if (!parsed.ok) return parsed;
  const definition = parseDefinition(parsed.source);
  if (!definition.ok) return definition;
  return planSweep(parsed.source, definition.definition, options);
}
