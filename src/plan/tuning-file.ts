import { readdir } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { semanticSegmentation } from "../algorithms/semantic-segmentation/index.js";
import type { SweepDefinition } from "../sweep/definition.js";
import { loadSweepFile, type SourceFile } from "../sweep/load.js";
import { parseDefinition } from "../sweep/parse-definition.js";
import { usesTuningEngine } from "../sweep/tuning-fields.js";
import { planTuningSweep } from "./tuning/compile.js";
import type { ParentCampaign, TuningPlanResult } from "./tuning/types.js";

/**
 * Plans a tuning-engine sweep with the files it depends on: the campaigns named in
 * `warm_start.from` are looked up among the sweep files in the same folder (their tuning jobs are
 * the parents, and whether they send the same hyperparameter names is checked). Parents are
 * planned with their own parents, so their tuning job names are the ones they launch under.
 */

/** How deep a chain of warm starts is followed; deeper parents are reported, not planned. */
const MAX_DEPTH = 8;

interface Sibling {
  readonly source: SourceFile;
  readonly def: SweepDefinition;
}

/** The parsed sweep files of a folder, by campaign name (files that do not parse are skipped). */
async function siblings(folder: string): Promise<Map<string, Sibling>> {
  const found = new Map<string, Sibling>();
  let names: string[];
  try {
    names = (await readdir(folder)).filter((name) => /\.(ya?ml|json)$/i.test(name)).sort();
  } catch {
    return found;
  }
  for (const name of names) {
    const loaded = await loadSweepFile(join(folder, name));
    if (!loaded.ok) continue;
    const parsed = parseDefinition(loaded.source);
    if (parsed.ok && !found.has(parsed.definition.name))
      found.set(parsed.definition.name, { source: loaded.source, def: parsed.definition });
  }
  return found;
}

/** Plans `def` (from `source`) on the tuning engine, with its warm-start parents read from its folder. */
export async function planTuningSweepFile(source: SourceFile, def: SweepDefinition): Promise<TuningPlanResult> {
  if (def.warm_start === undefined) return planTuningSweep(source, def, semanticSegmentation);
  const folder = siblings(dirname(source.file));
  return planWithParents(source, def, await folder, [resolve(source.file)]);
}

async function planWithParents(
  source: SourceFile,
  def: SweepDefinition,
  folder: Map<string, Sibling>,
  chain: string[],
): Promise<TuningPlanResult> {
  const parents = new Map<string, ParentCampaign>();
  for (const name of def.warm_start?.from ?? []) {
    const sibling = folder.get(name);
    if (sibling === undefined || name === def.name) continue;
    parents.set(name, await parentCampaign(sibling, folder, chain));
  }
  return planTuningSweep(source, def, semanticSegmentation, parents);
}

async function parentCampaign(sibling: Sibling, folder: Map<string, Sibling>, chain: string[]): Promise<ParentCampaign> {
  const file = sibling.source.file;
  const shown = basename(file);
  if (!usesTuningEngine(sibling.def)) {
    return {
      file: shown,
      problem: `it runs on the jobs engine (strategy: ${sibling.def.strategy}), and AMT warm starts only from tuning jobs`,
    };
  }
  if (chain.includes(resolve(file))) return { file: shown, problem: "its warm start leads back to this campaign" };
  if (chain.length >= MAX_DEPTH) return { file: shown, problem: `its chain of warm starts is deeper than ${MAX_DEPTH} campaigns` };
  const result = await planWithParents(sibling.source, sibling.def, folder, [...chain, resolve(file)]);
  if (!result.ok) {
    const errors = result.diagnostics.filter((d) => d.severity === "error").length;
    return { file: shown, problem: `it does not plan (${errors} error${errors === 1 ? "" : "s"}; run segsweep validate ${file})` };
  }
  return { file: shown, plan: result.plan };
}
