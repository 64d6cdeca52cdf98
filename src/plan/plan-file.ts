import type { SweepDefinition } from "../sweep/definition.js";
import type { Diagnostic } from "../sweep/diagnostic.js";
import { loadSweepFile, type SourceFile } from "../sweep/load.js";
import { parseDefinition } from "../sweep/parse-definition.js";
import { nameDiagnostics } from "./checks.js";
import { checkSalvaged, planSweep, planSweepStreaming, type StreamingPlanResult } from "./plan.js";
import type { PlanOptions, PlanResult } from "./types.js";

export type { StreamingPlanResult } from "./plan.js";
export type { PlanOptions, PlanResult } from "./types.js";

/** Reads a sweep file, checks it, expands it, validates every point and plans it. No AWS. */
export async function planSweepFile(file: string, options: PlanOptions = {}): Promise<PlanResult> {
  const read = await readSweepFile(file, options);
  return read.ok ? planSweep(read.source, read.definition, options) : read;
}

/** `planSweepFile` with the jobs listed lazily (`segsweep plan` prints any number in bounded memory). */
export async function planSweepFileStreaming(file: string, options: PlanOptions = {}): Promise<StreamingPlanResult> {
  const read = await readSweepFile(file, options);
  return read.ok ? planSweepStreaming(read.source, read.definition, options) : read;
}

/**
 * A sweep file checked as `segsweep validate` does, with its campaign name and where it is written
 * (for spotting two files that name the same campaign).
 */
export async function validateSweepFile(
  file: string,
  options: PlanOptions = {},
): Promise<{
  readonly result: PlanResult;
  readonly campaign?: { readonly name: string; readonly line?: number; readonly column?: number };
}> {
  const read = await readSweepFile(file, options);
  const source = read.source;
  const name = (source?.data as { name?: unknown } | undefined)?.name;
  const campaign = typeof name === "string" && source ? { name, ...source.locate(["name"]) } : undefined;
  const result = read.ok ? planSweep(read.source, read.definition, options) : { ok: false as const, diagnostics: read.diagnostics };
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
