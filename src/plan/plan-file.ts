import { loadSweepFile } from "../sweep/load.js";
import { parseDefinition } from "../sweep/parse-definition.js";
import { planSweep } from "./plan.js";
import type { PlanOptions, PlanResult } from "./types.js";

export type { PlanOptions, PlanResult } from "./types.js";

/** Reads a sweep file, checks it, expands it, validates every point and plans it. No AWS. */
export async function planSweepFile(file: string, options: PlanOptions = {}): Promise<PlanResult> {
  const parsed = await loadSweepFile(file);
  if (!parsed.ok) return parsed;
  const definition = parseDefinition(parsed.source);
  if (!definition.ok) return definition;
  return planSweep(parsed.source, definition.definition, options);
}
