import { loadSweepFile } from "../sweep/load.js";
import { parseDefinition } from "../sweep/parse-definition.js";
import { usesTuningEngine } from "../sweep/tuning-fields.js";
import { planSweep } from "./plan.js";
import type { TuningPlanResult } from "./tuning/types.js";
import { planTuningSweepFile } from "./tuning-file.js";
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

/**
 * Plans a sweep file on the engine it names: the jobs engine's plan, or the tuning engine's
 * (`plan.engine === "tuning"`). `plan` and `validate` use this; the commands that run campaigns
 * use planSweepFile, which refuses tuning-engine sweeps until they can run them.
 */
export async function planSweepFileOnItsEngine(file: string, options: PlanOptions = {}): Promise<PlanResult | TuningPlanResult> {
  const parsed = await loadSweepFile(file);
  if (!parsed.ok) return parsed;
  const definition = parseDefinition(parsed.source);
  if (!definition.ok) return definition;
  if (usesTuningEngine(definition.definition)) return planTuningSweepFile(parsed.source, definition.definition);
  return planSweep(parsed.source, definition.definition, options);
}
