import { resolveHyperparameters } from "../algorithms/semantic-segmentation/index.js";
import { GPU_TRAINING_INSTANCES } from "../catalog/instances.js";
import { checkParameterNames } from "../sweep/check-parameters.js";
import type { SweepDefinition } from "../sweep/definition.js";
import { type Diagnostic, type FieldPath, formatPath } from "../sweep/diagnostic.js";
import { checkSearchSpace, type ExpansionStats, expandPoints, gridSize, unmatchedExcludeWarnings } from "../sweep/expand/index.js";
import type { SourceFile } from "../sweep/load.js";
import { usesTuningEngine } from "../sweep/tuning-fields.js";
import { costBound } from "./cost.js";
import { EarlyTerminationCheck } from "./early-termination.js";
import { canonicalHyperparameters, hashSent, pointId } from "./fingerprint.js";
import { PointIssues } from "./point-issues.js";
import { SeenHashes } from "./seen-hashes.js";
import { notOnThisEngine } from "./tuning/engine.js";
import type { PlannedJob, PlanOptions, PlanResult } from "./types.js";

/** Beyond this many grid points even `--summary` would take minutes: refuse up front. */
export const MAX_EXPANDED_POINTS = 50_000_000;

/**
 * Plans a parsed, shape-checked sweep: expands it lazily, validates every point against the
 * algorithm's contract, merges points that are the same training, names the jobs and bounds the
 * cost. Pure. Any invalid point means no plan: every problem is returned instead.
 */
export function planSweep(source: SourceFile, def: SweepDefinition, options: PlanOptions = {}): PlanResult {
  const strategy = def.strategy;
  if (usesTuningEngine(def) || (strategy !== "grid" && strategy !== "random"))
    return { ok: false, diagnostics: [notOnThisEngine(source, def)] };
  const earlyTermination = EarlyTerminationCheck.of(def);
  const upfront = [...fileLevelDiagnostics(source, def), ...(earlyTermination?.fileDiagnostics(source) ?? [])];
  if (upfront.some((d) => d.severity === "error")) return { ok: false, diagnostics: upfront };

  const stats: ExpansionStats = { expanded: 0, excluded: 0 };
  const issues = new PointIssues();
  const context = JSON.stringify({ resources: def.resources, data: def.data });
  const jobsByKey = new Map<string, { name: string; pointId: string; hyperparameters: Record<string, string>; points: number[] }>();
  const seenHashes = new SeenHashes();
  const hash: [number, number] = [0, 0];
  const gpus = GPU_TRAINING_INSTANCES.get(def.resources.instanceType)?.gpus ?? 1;
  let duplicates = 0;
  let overLimit = false;

  for (const point of expandPoints(def, stats)) {
    const resolution = resolveHyperparameters(point.values);
    for (const warning of resolution.warnings) issues.add("warning", warning, point);
    if (!resolution.ok) {
      for (const error of resolution.errors) issues.add("error", error, point);
      continue;
    }
    earlyTermination?.addPoint(resolution.hyperparameters, point, issues);
    if (issues.hasErrors) continue; // nothing will be planned; keep going only to report every problem
    const sent = resolution.hyperparameters;
    if (gpus === 1 && sent.syncbn === "True") {
      issues.add(
        "warning",
        { key: "syncbn", value: "True", message: `syncbn: True has no effect on ${def.resources.instanceType}, which has one GPU` },
        point,
      );
    }
    if (options.summaryOnly) {
      hashSent(sent, hash);
      if (!seenHashes.add(hash[0], hash[1])) duplicates++;
    } else {
      const canonical = canonicalHyperparameters(sent);
      const existing = jobsByKey.get(canonical);
      if (existing) {
        existing.points.push(point.index);
        duplicates++;
      } else {
        const id = pointId(canonical, context);
        jobsByKey.set(canonical, { name: `${def.name}-${id}`, pointId: id, hyperparameters: sent, points: [point.index] });
        // A full plan keeps every job in memory: stop as soon as the limit is passed.
        if (jobsByKey.size > def.limits.maxJobs) {
          overLimit = true;
          break;
        }
      }
    }
  }

  const distinct = options.summaryOnly ? seenHashes.size : jobsByKey.size;
  const diagnostics = [...upfront, ...issues.toDiagnostics(def, source), ...positioned(source, unmatchedExcludeWarnings(def, stats))];
  if (issues.hasErrors) return { ok: false, diagnostics };
  if (overLimit || distinct > def.limits.maxJobs) {
    const counted = overLimit ? `more than ${def.limits.maxJobs} (counting stopped at point ${stats.expanded})` : String(distinct);
    diagnostics.unshift({
      severity: "error",
      file: source.file,
      path: "limits.max_jobs",
      message: `this sweep plans ${counted} distinct trainings, over limits.max_jobs (${def.limits.maxJobs}); narrow the search space or raise limits.max_jobs (\`segsweep plan --summary\` counts any size)`,
      ...(source.locate(["limits", "max_jobs"]) ?? source.locate(["limits"]) ?? {}),
    });
    return { ok: false, diagnostics };
  }

  const jobs: PlannedJob[] = [...jobsByKey.values()];
  const cost = costBound(def.resources, def.limits, distinct);
  return {
    ok: true,
    plan: {
      campaign: def.name,
      ...(def.description !== undefined ? { description: def.description } : {}),
      sweepFile: source.file,
      objective: def.objective,
      strategy,
      resources: def.resources,
      data: def.data,
      limits: def.limits,
      counts: { expanded: stats.expanded, excluded: stats.excluded, duplicates, jobs: distinct },
      jobs,
      cost,
      ...(earlyTermination !== undefined ? { earlyTermination: earlyTermination.summary() } : {}),
      warnings: [...diagnostics, ...campaignWarnings(source, def, cost.usdPerHour, cost.withinBudget)],
    },
  };
}

/** Problems of the file as a whole, found before expanding anything. */
function fileLevelDiagnostics(source: SourceFile, def: SweepDefinition): Diagnostic[] {
  const out: Diagnostic[] = [];
  out.push(...positioned(source, [...checkParameterNames(def), ...checkSearchSpace(def)]));
  const size = out.some((d) => d.severity === "error") ? 0 : gridSize(def);
  if (size > MAX_EXPANDED_POINTS) {
    out.push({
      severity: "error",
      file: source.file,
      path: "hyperparameters",
      message: `the grid has ${size.toLocaleString("en-US")} points, more than segsweep expands (${MAX_EXPANDED_POINTS.toLocaleString("en-US")}); use strategy: random with samples, or fewer values per axis`,
      ...source.locate(["hyperparameters"]),
    });
  }
  return out;
}

/** Adds file, dotted path, line and column to diagnostics that carry their field path as data. */
export function positioned(
  source: SourceFile,
  found: readonly (Diagnostic & { readonly fieldPath: FieldPath; readonly at: "key" | "value" })[],
): Diagnostic[] {
  return found.map(({ fieldPath, at, ...diagnostic }) => ({
    ...diagnostic,
    file: source.file,
    path: formatPath(fieldPath),
    ...source.locate(fieldPath, at),
  }));
}

/** Warnings about the campaign as a whole: an instance type off the algorithm's list, an unknown price, a cost over budget. */
export function campaignWarnings(
  source: SourceFile,
  def: SweepDefinition,
  usdPerHour: number | null,
  withinBudget: boolean | undefined,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (path: (string | number)[]) => ({ file: source.file, path: path.join("."), ...source.locate(path) });
  const instance = GPU_TRAINING_INSTANCES.get(def.resources.instanceType);
  if (instance && !instance.documented) {
    out.push({
      severity: "warning",
      ...at(["resources", "instance_type"]),
      message: `${instance.instanceType} is accepted by SageMaker but not listed for this algorithm in the AWS docs (P2 and P3 are); check it on one job first`,
    });
  }
  if (usdPerHour === null) {
    out.push({
      severity: "warning",
      ...at(["resources", "instance_type"]),
      message: `no on-demand price is known for ${def.resources.instanceType}: the cost bound is unknown and budget_usd cannot be checked`,
    });
  }
  if (withinBudget === false) {
    out.push({
      severity: "warning",
      ...at(["limits", "budget_usd"]),
      message: `the worst-case cost is over limits.budget_usd: \`segsweep launch\` will refuse this campaign`,
    });
  }
  return out;
}
