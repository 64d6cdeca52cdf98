import { resolveHyperparameters } from "../algorithms/semantic-segmentation/index.js";
import type { SweepDefinition } from "../sweep/definition.js";
import { expandPoints } from "../sweep/expand/index.js";
import { canonicalHyperparameters, hashSent, pointId } from "./fingerprint.js";
import { plannedJobName } from "./job-name.js";
import type { Scan } from "./scan.js";
import type { PlannedJob } from "./types.js";

/**
 * The second pass: the plan's jobs, lazily, in the order of their first point. Expansion is
 * deterministic, so the points come again in the same order; a point starts a job when its hash
 * is the next one the first pass numbered. Each iteration re-expands, so the list can be walked
 * more than once, and memory stays what the first pass kept (a few dozen bytes a job).
 */
export function* plannedJobs(def: SweepDefinition, scan: Scan): Generator<PlannedJob> {
  const total = scan.jobs.size;
  if (total === 0) return;
  const context = JSON.stringify({ resources: def.resources, data: def.data });
  const hash: [number, number] = [0, 0];
  let next = 0;
  for (const point of expandPoints(def, { expanded: 0, excluded: 0 })) {
    const resolution = resolveHyperparameters(point.values);
    if (!resolution.ok) continue; // not reached: a plan has no invalid point
    const sent = resolution.hyperparameters;
    hashSent(sent, hash);
    if (scan.jobs.get(hash[0], hash[1]) !== next) continue; // a duplicate of an earlier job
    const id = pointId(canonicalHyperparameters(sent), context);
    yield { name: plannedJobName(def.name, id), pointId: id, hyperparameters: sent, points: [point.index, ...scan.duplicates.of(next)] };
    if (++next === total) return;
  }
}
