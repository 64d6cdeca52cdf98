import { TUNING_JOB_NAME_PATTERN } from "../../catalog/tuning.js";
import type { SweepDefinition } from "../../sweep/definition.js";
import { diagnostic } from "../../sweep/expand/space.js";
import type { SpaceDiagnostic } from "../../sweep/expand/types.js";
import { WARM_START_MAX_PARENTS } from "../../sweep/tuning-fields.js";
import { canonicalJson } from "./name.js";
import type { ParentCampaign, TuningPlan } from "./types.js";

/**
 * `warm_start.from`: each entry is a campaign of a sweep file beside this one (its tuning jobs
 * become parents), or else a tuning job name taken as given. AMT requires "the total number of
 * static plus tunable hyperparameters [to] remain the same as it is in all parent jobs" and the
 * same objective (docs/sources.md#amt). For a campaign of this repository that is checked here,
 * per branch: a branch's parents are the parent campaign's tuning jobs that send exactly the same
 * hyperparameter names. For a bare tuning job name only SageMaker can check it, at creation.
 */

/** Per branch, the parent tuning job names (possibly none), and what is wrong. */
export interface WarmStartResolution {
  readonly parents: readonly (readonly string[])[];
  readonly diagnostics: readonly SpaceDiagnostic[];
}

function differences(child: readonly string[], parent: readonly string[]): string {
  const added = child.filter((name) => !parent.includes(name));
  const missing = parent.filter((name) => !child.includes(name));
  return [...added.map((n) => `+${n}`), ...missing.map((n) => `-${n}`)].join(" ");
}

/** Problems that make a parent campaign unusable as a whole. */
function campaignProblem(def: SweepDefinition, name: string, parent: TuningPlan): string | undefined {
  if (parent.objective !== def.objective) {
    return `campaign ${name} optimises ${parent.objective} and this one ${def.objective}; a warm start needs the same objective metric`;
  }
  const identical = def.warm_start?.type === "identical_data_and_algorithm";
  if (identical && canonicalJson(parent.data) !== canonicalJson(def.data)) {
    return `campaign ${name} trains on other data; type identical_data_and_algorithm needs the same data (use transfer_learning for new data)`;
  }
  return undefined;
}

/** Resolves `warm_start.from` for branches that send `branchNames` (static plus tuned names, sorted). */
export function resolveWarmStart(
  def: SweepDefinition,
  branchNames: readonly (readonly string[])[],
  parents: ReadonlyMap<string, ParentCampaign>,
): WarmStartResolution {
  const out: SpaceDiagnostic[] = [];
  const chosen: string[][] = branchNames.map(() => []);
  for (const [index, name] of (def.warm_start?.from ?? []).entries()) {
    const path = ["warm_start", "from", index];
    const parent = parents.get(name);
    if (name === def.name) {
      out.push(diagnostic("error", path, "value", `${name} is this campaign; a warm start needs an earlier one`));
    } else if (parent !== undefined && "problem" in parent) {
      out.push(diagnostic("error", path, "value", `campaign ${name} (${parent.file}) cannot be a parent: ${parent.problem}`));
    } else if (parent !== undefined) {
      const problem = campaignProblem(def, name, parent.plan);
      if (problem !== undefined) out.push(diagnostic("error", path, "value", problem));
      else out.push(...matchBranches(name, parent.plan, branchNames, chosen, path));
    } else if (TUNING_JOB_NAME_PATTERN.test(name)) {
      for (const list of chosen) list.push(name);
      const message = `${name} is not the campaign of a sweep file beside this one, so it is taken as a tuning job name; SageMaker checks that it exists and sends the same hyperparameter names only when the tuning job is created`;
      out.push(diagnostic("warning", path, "value", message));
    } else {
      const message = `${name} is neither the campaign of a sweep file beside this one nor a tuning job name (1-32 letters, digits and hyphens)`;
      out.push(diagnostic("error", path, "value", message));
    }
  }
  chosen.forEach((list, i) => {
    if (list.length > WARM_START_MAX_PARENTS) {
      const message = `branch ${i + 1} would warm start from ${list.length} tuning jobs (${list.join(", ")}); AMT takes at most ${WARM_START_MAX_PARENTS} parents`;
      out.push(diagnostic("error", ["warm_start", "from"], "value", message));
    } else if (list.length === 0 && def.warm_start !== undefined && !out.some((d) => d.severity === "error")) {
      const message = `branch ${i + 1} has no parent with the same hyperparameter names (${(branchNames[i] ?? []).join(", ")}), so it starts cold`;
      out.push(diagnostic("warning", ["warm_start", "from"], "value", message));
    }
  });
  return { parents: chosen, diagnostics: out };
}

/** Adds the parent campaign's tuning jobs to the branches that send the same names; an error when none does. */
function matchBranches(
  name: string,
  parent: TuningPlan,
  branchNames: readonly (readonly string[])[],
  chosen: string[][],
  path: (string | number)[],
): SpaceDiagnostic[] {
  let matched = false;
  branchNames.forEach((names, i) => {
    for (const branch of parent.branches) {
      if (canonicalJson(branch.hyperparameterNames) !== canonicalJson(names)) continue;
      chosen[i]?.push(branch.request.HyperParameterTuningJobName);
      matched = true;
    }
  });
  if (matched) return [];
  const first = parent.branches[0]?.hyperparameterNames ?? [];
  const diff = differences(branchNames[0] ?? [], first);
  const message = `campaign ${name} has no tuning job that sends the same hyperparameter names as this campaign (${diff}); AMT requires the set of static plus tuned names to stay the same when warm starting`;
  return [diagnostic("error", path, "value", message)];
}
