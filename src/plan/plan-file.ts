import type { SweepDefinition } from "../sweep/definition.js";
import type { Diagnostic } from "../sweep/diagnostic.js";
import { loadSweepFile, type SourceFile } from "../sweep/load.js";
import { parseDefinition } from "../sweep/parse-definition.js";
import { usesTuningEngine } from "../sweep/tuning-fields.js";
import { nameDiagnostics } from "./checks.js";
import { checkSalvaged, planSweep, planSweepStreaming, type StreamingPlanResult } from "./plan.js";
import type { TuningPlanResult } from "./tuning/types.js";
import { planTuningSweepFile } from "./tuning-file.js";
import type { CampaignPlanResult, PlanOptions, PlanResult } from "./types.js";

export type { StreamingPlanResult } from "./plan.js";
export type { CampaignPlanResult, PlanOptions, PlanResult } from "./types.js";

/**
 * Reads a sweep file, checks it and plans it on the engine it names: the jobs engine's plan
 * (every point expanded and validated), or the tuning engine's (`plan.engine === "tuning"`, its
 * warm-start parents read from the same folder). No AWS. Every command plans through this.
 */
export async function planSweepFile(file: string, options: PlanOptions = {}): Promise<CampaignPlanResult> {
  const read = await readSweepFile(file, options);
  if (!read.ok) return read;
  if (usesTuningEngine(read.definition)) return planTuningSweepFile(read.source, read.definition);
  return planSweep(read.source, read.definition, options);
}

/**
 * Plans a sweep file on the jobs engine only: a sweep that names the tuning engine is refused
 * (plan/tuning/engine.ts). For what handles only jobs-engine plans (preflight's checks, tests, benchmarks).
 */
export async function planJobsSweepFile(file: string, options: PlanOptions = {}): Promise<PlanResult> {
  const read = await readSweepFile(file, options);
  return read.ok ? planSweep(read.source, read.definition, options) : read;
}

/** The same as planSweepFile (kept for callers of the name it had while only `plan` and `validate` took tuning sweeps). */
export const planSweepFileOnItsEngine: (file: string, options?: PlanOptions) => Promise<CampaignPlanResult> = planSweepFile;

/** `planSweepFileOnItsEngine` with a jobs-engine plan's jobs listed lazily (`segsweep plan` prints any number in bounded memory). */
export async function planSweepFileStreaming(file: string, options: PlanOptions = {}): Promise<StreamingPlanResult | TuningPlanResult> {
  const read = await readSweepFile(file, options);
  if (!read.ok) return read;
  if (usesTuningEngine(read.definition)) return planTuningSweepFile(read.source, read.definition);
  return planSweepStreaming(read.source, read.definition, options);
}

/** A file's campaign name and where it is written (for spotting two files that name the same campaign). */
export interface CampaignName {
  readonly name: string;
  readonly line?: number;
  readonly column?: number;
}

/** A sweep file checked as `segsweep validate` does (on its engine), with its campaign name. */
export async function validateSweepFile(
  file: string,
  options: PlanOptions = {},
): Promise<{ readonly result: PlanResult | TuningPlanResult; readonly campaign?: CampaignName }> {
  const read = await readSweepFile(file, options);
  const name = (read.source?.data as { name?: unknown } | undefined)?.name;
  const campaign = typeof name === "string" && read.source ? { name, ...read.source.locate(["name"]) } : undefined;
  let result: PlanResult | TuningPlanResult;
  if (!read.ok) result = { ok: false, diagnostics: read.diagnostics };
  else if (usesTuningEngine(read.definition)) result = await planTuningSweepFile(read.source, read.definition);
  else result = planSweep(read.source, read.definition, options);
  return { result, ...(campaign ? { campaign } : {}) };
}

type Read =
  | { readonly ok: true; readonly source: SourceFile; readonly definition: SweepDefinition }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[]; readonly source?: SourceFile };

/**
 * Reads and shape-checks a file. When only sections outside the search space are broken, the
 * search space and every value are still checked, so one run reports every independent problem.
 */
async function readSweepFile(file: string, options: PlanOptions): Promise<Read> {
  const parsed = await loadSweepFile(file);
  if (!parsed.ok) return parsed;
  const definition = parseDefinition(parsed.source);
  if (definition.ok) return { ok: true, source: parsed.source, definition: definition.definition };
  const salvaged = definition.salvaged;
  // Without a usable search space, the names are still checked: they do not depend on it.
  const more = salvaged
    ? checkSalvaged(parsed.source, salvaged.definition, salvaged.broken, options)
    : nameDiagnostics(parsed.source).diagnostics;
  return { ok: false, diagnostics: [...definition.diagnostics, ...more], source: parsed.source };
}
