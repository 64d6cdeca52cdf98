import type { Algorithm, ContractIssue } from "../../algorithms/types.js";
import type { Branch } from "./branches.js";
import type { Fixed, Tuned } from "./space.js";

/**
 * A branch's static hyperparameters and its validity, found with the algorithm's own resolver:
 * every combination of the branch's categorical values, with each numeric range at both ends, is
 * resolved as a point. A branch is valid when all of them are (no cross-field rule of this
 * contract depends on where a number lies inside its allowed interval); its static values are
 * what those points send apart from the tuned parameters: the file's scalars and the defaults
 * that apply somewhere in the branch. A static value that applies to only some of a categorical
 * range's values is still sent to every job of the branch, where the algorithm ignores it.
 */

/** What resolving a branch found. */
export interface BranchResolution {
  /** Static hyperparameters in the algorithm's order. */
  readonly staticHyperParameters: Readonly<Record<string, string>>;
  /** Static plus tuned names, sorted. */
  readonly names: readonly string[];
  readonly errors: readonly ContractIssue[];
  readonly warnings: readonly ContractIssue[];
}

/** Every combination of the categorical ranges (last range fastest), each numeric range at its lower or upper end. */
export function* cornerPoints(tuned: readonly Tuned[]): Generator<Record<string, string>> {
  const axes = tuned.map((t) => (t.kind === "categorical" ? t.values : [t.min, t.max]));
  const total = axes.reduce((product, axis) => product * axis.length, 1);
  for (let n = 0; n < total; n++) {
    const point: Record<string, string> = {};
    let rest = n;
    for (let i = axes.length - 1; i >= 0; i--) {
      const axis = axes[i] ?? [];
      point[tuned[i]?.name ?? ""] = axis[rest % axis.length] ?? "";
      rest = Math.floor(rest / axis.length);
    }
    yield point;
  }
}

/** How many corner points a branch has. */
export function cornerCount(tuned: readonly Tuned[]): number {
  return tuned.reduce((product, t) => product * (t.kind === "categorical" ? t.values.length : 2), 1);
}

/** Resolves the corner points of `branch` over the file's static values. */
export function resolveBranch(branch: Branch, fixed: readonly Fixed[], algorithm: Algorithm): BranchResolution {
  const base: Record<string, string> = {};
  for (const f of [...fixed, ...branch.fixed]) base[f.name] = f.sent;
  const tunedNames = new Set(branch.tuned.map((t) => t.name));
  const sentStatic = new Map<string, string>();
  const errors = new Map<string, ContractIssue>();
  const warnings = new Map<string, ContractIssue>();
  for (const corner of cornerPoints(branch.tuned)) {
    const resolution = algorithm.resolve({ ...base, ...corner });
    if (!resolution.ok) {
      for (const error of resolution.errors) errors.set(error.message, error);
      continue;
    }
    const sent = resolution.hyperparameters;
    for (const [name, value] of Object.entries(sent)) if (!tunedNames.has(name)) sentStatic.set(name, value);
    for (const warning of resolution.warnings) {
      // "ignored, so not sent" is the jobs engine's wording; here a static value is sent to the whole branch.
      const rule = algorithm.parameter(warning.key)?.appliesWhen;
      if (rule === undefined || sent[rule.parameter] === rule.equals) warnings.set(warning.message, warning);
    }
  }
  const staticHyperParameters: Record<string, string> = {};
  for (const spec of algorithm.parameters) {
    const value = sentStatic.get(spec.name);
    if (value !== undefined) staticHyperParameters[spec.name] = value;
  }
  const names = [...Object.keys(staticHyperParameters), ...tunedNames].sort();
  return { staticHyperParameters, names, errors: [...errors.values()], warnings: [...warnings.values()] };
}
