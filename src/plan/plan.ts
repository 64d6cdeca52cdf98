import { GPU_TRAINING_INSTANCES } from "../catalog/instances.js";
import type { SweepDefinition } from "../sweep/definition.js";
import type { Diagnostic } from "../sweep/diagnostic.js";
import { brokenKeys, clientStrategy, gridSize, unmatchedExcludeWarnings } from "../sweep/expand/index.js";
import type { SourceFile } from "../sweep/load.js";
import { usesTuningEngine } from "../sweep/tuning-fields.js";
import { campaignWarnings, nameDiagnostics, overMaxJobs, positioned, spaceDiagnostics } from "./checks.js";
import { costBound } from "./cost.js";
import { EarlyTerminationCheck } from "./early-termination.js";
import { plannedJobs } from "./jobs.js";
import { type Scan, scanPoints } from "./scan.js";
import { notOnThisEngine } from "./tuning/engine.js";
import type { JobsPlan, PlannedJob, PlanOptions, PlanResult } from "./types.js";

export { campaignWarnings, MAX_EXPANDED_POINTS, positioned } from "./checks.js";

/** A plan whose jobs are listed lazily: `plan.jobs` is empty, `jobs()` walks them (re-expanding each time). */
export type StreamingPlanResult =
  | { readonly ok: true; readonly plan: JobsPlan; readonly jobs: () => Generator<PlannedJob> }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/**
 * Plans a parsed, shape-checked sweep: expands it lazily, validates every point against the
 * algorithm's contract, merges points that are the same training, names the jobs and bounds the
 * cost. Pure. Any invalid point means no plan: every problem is returned instead.
 */
export function planSweep(source: SourceFile, def: SweepDefinition, options: PlanOptions = {}): PlanResult {
  const result = planSweepStreaming(source, def, options);
  if (!result.ok) return result;
  if (options.summaryOnly) return { ok: true, plan: result.plan };
  return { ok: true, plan: { ...result.plan, jobs: [...result.jobs()] } };
}

/** `planSweep` with the job list left lazy, so that any number of jobs prints in bounded memory. */
export function planSweepStreaming(source: SourceFile, def: SweepDefinition, options: PlanOptions = {}): StreamingPlanResult {
  if (usesTuningEngine(def) || clientStrategy(def) === undefined) return { ok: false, diagnostics: [notOnThisEngine(source, def)] };
  const earlyTermination = EarlyTerminationCheck.of(def);
  const checked = checkPoints(source, def, new Set(), options, earlyTermination);
  if (!checked.ok) return { ok: false, diagnostics: checked.diagnostics };
  const { scan, diagnostics } = checked;
  if (scan.stoppedAt !== undefined || scan.jobs.size > def.limits.maxJobs) {
    const refusal = overMaxJobs(source, def, { jobs: scan.jobs.size, stoppedAtPoint: scan.stoppedAt, total: checked.total });
    return { ok: false, diagnostics: [...diagnostics, refusal] };
  }
  const distinct = scan.jobs.size;
  const cost = costBound(def.resources, def.limits, distinct);
  const plan: JobsPlan = {
    engine: "jobs",
    campaign: def.name,
    ...(def.description !== undefined ? { description: def.description } : {}),
    sweepFile: source.file,
    objective: def.objective,
    strategy: def.strategy as JobsPlan["strategy"], // a client-side strategy, checked above
    resources: def.resources,
    data: def.data,
    limits: def.limits,
    counts: { expanded: scan.stats.expanded, excluded: scan.stats.excluded, duplicates: scan.duplicateCount, jobs: distinct },
    jobs: [],
    cost,
    ...(earlyTermination !== undefined ? { earlyTermination: earlyTermination.summary() } : {}),
    warnings: [...diagnostics, ...campaignWarnings(source, def, cost.usdPerHour, cost.withinBudget)],
  };
  return { ok: true, plan, jobs: () => plannedJobs(def, scan) };
}

/**
 * Checks a definition salvaged from a file whose other sections are broken (`broken`: their
 * names): its hyperparameter names, search space and every point's values, so that one run
 * reports every independent problem. Returns only diagnostics: such a file is never planned.
 */
export function checkSalvaged(
  source: SourceFile,
  def: SweepDefinition,
  broken: ReadonlySet<string>,
  options: PlanOptions = {},
): Diagnostic[] {
  if (usesTuningEngine(def) || clientStrategy(def) === undefined) return nameDiagnostics(source).diagnostics;
  return checkPoints(source, def, broken, options, broken.has("early_termination") ? undefined : EarlyTerminationCheck.of(def)).diagnostics;
}

type Checked =
  | { readonly ok: true; readonly scan: Scan; readonly total: number; readonly diagnostics: Diagnostic[] }
  | { readonly ok: false; readonly diagnostics: Diagnostic[] };

/** Names, search space, data paths, then every point: all the problems one pass can find. */
function checkPoints(
  source: SourceFile,
  def: SweepDefinition,
  broken: ReadonlySet<string>,
  options: PlanOptions,
  earlyTermination: EarlyTerminationCheck | undefined,
): Checked {
  const names = nameDiagnostics(source);
  const space = spaceDiagnostics(source, def);
  const upfront = [...names.diagnostics, ...space.diagnostics, ...(earlyTermination?.fileDiagnostics(source) ?? [])];
  // Too many points to expand at all: nothing more to learn from the points.
  if (space.tooBig) return { ok: false, diagnostics: upfront };
  const spaceBroken = space.diagnostics.some((d) => d.severity === "error");
  const total = gridSize(def) + def.include.length;
  const scan = scanPoints(def, {
    // As soon as the count passes the limit the answer is known: a 50,000,000-point grid is refused at once.
    stopAfterJobs: def.limits.maxJobs,
    keepDuplicates: !options.summaryOnly,
    despiteErrors: spaceBroken,
    ignoredKeys: new Set([...brokenKeys(def), ...names.unknown]),
    gpus: broken.has("resources") ? undefined : (GPU_TRAINING_INSTANCES.get(def.resources.instanceType)?.gpus ?? 1),
    total,
    onProgress: options.onProgress,
    observePoint: earlyTermination ? (sent, point, issues) => earlyTermination.addPoint(sent, point, issues) : undefined,
  });
  const afterExpansion = spaceBroken || scan.stoppedAt !== undefined ? [] : positioned(source, unmatchedExcludeWarnings(def, scan.stats));
  const diagnostics = [...upfront, ...scan.issues.toDiagnostics(def, source), ...afterExpansion];
  if (broken.size > 0 || diagnostics.some((d) => d.severity === "error")) return { ok: false, diagnostics };
  return { ok: true, scan, total, diagnostics };
}
