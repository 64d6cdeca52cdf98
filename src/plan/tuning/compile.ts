import type { Algorithm, ContractIssue } from "../../algorithms/types.js";
import { checkParameterNames } from "../../sweep/check-parameters.js";
import type { SweepDefinition } from "../../sweep/definition.js";
import type { Diagnostic } from "../../sweep/diagnostic.js";
import { randomStrategy } from "../../sweep/expand/random.js";
import { compileParams, diagnostic } from "../../sweep/expand/space.js";
import type { SpaceDiagnostic } from "../../sweep/expand/types.js";
import type { SourceFile } from "../../sweep/load.js";
import { costBound } from "../cost.js";
import { campaignWarnings, positioned } from "../plan.js";
import { type Branch, splitBranches } from "./branches.js";
import { engineDiagnostics, strategyDiagnostics } from "./checks.js";
import { type Allocation, allocate, branchLabel, combinationsOf, rangeLimitDiagnostics } from "./limits.js";
import { compileTuningSpace } from "./space.js";
import { type BranchResolution, resolveBranch } from "./static.js";
import { AMT_STRATEGY, buildTemplate } from "./template.js";
import type { ParentCampaign, TuningBranch, TuningPlan, TuningPlanResult } from "./types.js";
import { resolveWarmStart } from "./warm-start.js";

/**
 * The tuning engine's compiler: a parsed sweep file -> one CreateHyperParameterTuningJob request
 * per branch of its search space, every check done before anything is submitted (each problem
 * with file, line and field). Pure: parent campaigns for warm start are passed in (tuning-file.ts
 * reads them).
 */
export function planTuningSweep(
  source: SourceFile,
  def: SweepDefinition,
  algorithm: Algorithm,
  parents: ReadonlyMap<string, ParentCampaign> = new Map(),
): TuningPlanResult {
  const found: SpaceDiagnostic[] = [...engineDiagnostics(def)];
  found.push(...checkParameterNames(source.data).filter((d) => d.fieldPath[0] === "hyperparameters"));
  // Distributions are allowed here whatever the strategy: the grid's own rule has a clearer message (checks.ts).
  const { params, diagnostics } = compileParams(def, randomStrategy);
  found.push(...diagnostics);
  const space = compileTuningSpace(params, algorithm);
  found.push(...space.diagnostics);
  if (!hasErrors(found)) found.push(...strategyDiagnostics(def, space, algorithm));
  if (hasErrors(found)) return refused(source, found);

  const { branches, split, dropped } = splitBranches(space.tuned, space.fixed, algorithm);
  for (const d of dropped) found.push(diagnostic("warning", ["hyperparameters", d.name], "value", d.message));
  found.push(...rangeLimitDiagnostics(branches));
  if (hasErrors(found)) return refused(source, found);

  const resolutions = branches.map((branch) => resolveBranch(branch, space.fixed, algorithm));
  found.push(...resolutionDiagnostics(def, branches, resolutions));
  const strategy = AMT_STRATEGY[def.strategy];
  const { allocation, diagnostics: budget } = allocate(def, branches, strategy);
  found.push(...budget);
  if (hasErrors(found) || allocation === undefined) return refused(source, found);

  const warm = resolveWarmStart(
    def,
    resolutions.map((r) => r.names),
    parents,
  );
  found.push(...warm.diagnostics);
  if (hasErrors(found)) return refused(source, found);

  const planned = branches.map((branch, i) => tuningBranch(def, algorithm, branch, i, resolutions, allocation, warm.parents[i] ?? []));
  return finish(source, def, { branches: planned, split }, found);
}

function hasErrors(found: readonly Diagnostic[]): boolean {
  return found.some((d) => d.severity === "error");
}

function refused(source: SourceFile, found: readonly SpaceDiagnostic[]): TuningPlanResult {
  const diagnostics = positioned(source, found);
  // Errors first, then warnings, each in the order found.
  return {
    ok: false,
    diagnostics: [...diagnostics.filter((d) => d.severity === "error"), ...diagnostics.filter((d) => d.severity !== "error")],
  };
}

/** The resolver's errors and warnings on a branch's corner points, at the field they concern. */
function resolutionDiagnostics(
  def: SweepDefinition,
  branches: readonly Branch[],
  resolutions: readonly BranchResolution[],
): SpaceDiagnostic[] {
  const at = (issue: ContractIssue) =>
    Object.hasOwn(def.hyperparameters, issue.key) ? ["hyperparameters", issue.key] : ["hyperparameters"];
  const where = (i: number) => (branches.length === 1 ? "" : `${branchLabel(branches, i)}: `);
  return resolutions.flatMap((r, i) => [
    ...r.errors.map((e) => diagnostic("error", at(e), "value", `${where(i)}${e.message}`)),
    ...r.warnings.map((w) => diagnostic("warning", at(w), "value", `${where(i)}${w.message}`)),
  ]);
}

function tuningBranch(
  def: SweepDefinition,
  algorithm: Algorithm,
  branch: Branch,
  i: number,
  resolutions: readonly BranchResolution[],
  allocation: Allocation,
  parents: readonly string[],
): TuningBranch {
  const resolution = resolutions[i] as BranchResolution;
  const request = buildTemplate(def, algorithm, {
    branch,
    staticHyperParameters: resolution.staticHyperParameters,
    maxTrainingJobs: allocation.jobs[i] ?? 1,
    maxParallelTrainingJobs: allocation.parallel[i] ?? 1,
    parents,
  });
  return {
    index: i + 1,
    covers: branch.covers,
    request,
    hyperparameterNames: resolution.names,
    ...(def.strategy === "grid" ? { combinations: combinationsOf(branch.tuned) } : {}),
  };
}

function finish(
  source: SourceFile,
  def: SweepDefinition,
  parts: Pick<TuningPlan, "branches" | "split">,
  found: SpaceDiagnostic[],
): TuningPlanResult {
  const maxTrainingJobs = parts.branches.reduce(
    (sum, b) => sum + b.request.HyperParameterTuningJobConfig.ResourceLimits.MaxNumberOfTrainingJobs,
    0,
  );
  if (maxTrainingJobs > def.limits.maxJobs) {
    const message = `this campaign may run ${maxTrainingJobs} training jobs, over limits.max_jobs (${def.limits.maxJobs}); lower samples or raise limits.max_jobs`;
    found.push(diagnostic("error", ["limits", "max_jobs"], "value", message));
    return refused(source, found);
  }
  if (def.resources.spot) {
    const message =
      "with spot on the tuning engine, every training job of a tuning job gets the same CheckpointConfig.S3Uri (one per tuning job); AWS does not document whether they are kept apart, so a restarted job could read another's checkpoint";
    found.push(diagnostic("warning", ["resources", "spot"], "value", message));
  }
  const cost = costBound(def.resources, def.limits, maxTrainingJobs);
  const warnings = [...positioned(source, found), ...campaignWarnings(source, def, cost.usdPerHour, cost.withinBudget)];
  const plan: TuningPlan = {
    engine: "tuning",
    campaign: def.name,
    ...(def.description !== undefined ? { description: def.description } : {}),
    sweepFile: source.file,
    objective: def.objective,
    strategy: def.strategy,
    resources: def.resources,
    data: def.data,
    limits: def.limits,
    ...(def.warm_start !== undefined ? { warmStart: def.warm_start } : {}),
    split: parts.split,
    branches: parts.branches,
    maxTrainingJobs,
    cost,
    warnings,
  };
  return { ok: true, plan };
}
