import type { Algorithm } from "../../algorithms/types.js";
import type { CategoricalTuned, Fixed, Tuned } from "./space.js";
import type { SplitReason } from "./types.js";

/**
 * Conditional parameters. AMT searches every range on every training job, but the algorithm
 * ignores some parameters unless another has a given value (momentum only under optimizer=sgd,
 * lr_scheduler_step only under lr_scheduler=step). A search space that tunes such a parameter
 * next to a categorical range of its controller is split into branches: one tuning job per group
 * of controller values under which the same tuned parameters apply, each searching only those.
 * No AMT peer does this (docs/tuning.md, "Conditional parameters").
 */

/** One part of the space: the controller values it covers and the ranges searched there. */
export interface Branch {
  /** Split controller -> the values of its range this branch covers. */
  readonly covers: Readonly<Record<string, readonly string[]>>;
  readonly tuned: readonly Tuned[];
  /** Split controllers that cover a single value here: sent as static values. */
  readonly fixed: readonly Fixed[];
}

/** A tuned parameter that never applies, so its range is not searched. */
export interface Dropped {
  readonly name: string;
  readonly message: string;
}

/** The branches (at least one), why the space was split, and the ranges that were dropped. */
export interface Split {
  readonly branches: readonly Branch[];
  readonly split: readonly SplitReason[];
  readonly dropped: readonly Dropped[];
}

/** The value a parameter is sent with when it is not searched: its static value, else its default. */
function staticValue(name: string, fixed: readonly Fixed[], algorithm: Algorithm): string | undefined {
  return fixed.find((f) => f.name === name)?.sent ?? algorithm.parameter(name)?.default;
}

/** Splits the space on every tuned categorical that controls a tuned parameter for some of its values only. */
export function splitBranches(tuned: readonly Tuned[], fixed: readonly Fixed[], algorithm: Algorithm): Split {
  const byName = new Map(tuned.map((t) => [t.name, t]));
  const dependents = new Map<string, { name: string; equals: string }[]>();
  const dropped: Dropped[] = [];
  for (const t of tuned) {
    const rule = algorithm.parameter(t.name)?.appliesWhen;
    if (rule === undefined) continue;
    const controller = byName.get(rule.parameter);
    const values = controller?.kind === "categorical" ? controller.values : [staticValue(rule.parameter, fixed, algorithm)];
    if (values.every((v) => v === rule.equals)) continue;
    if (!values.includes(rule.equals)) {
      const shown = values.length === 1 ? `${rule.parameter} is ${values[0]}` : `${rule.parameter} is never ${rule.equals}`;
      dropped.push({
        name: t.name,
        message: `${t.name} is searched, but the algorithm ignores it: ${shown}, and ${t.name} applies only when ${rule.parameter} is ${rule.equals}; its range is left out`,
      });
      continue;
    }
    dependents.set(rule.parameter, [...(dependents.get(rule.parameter) ?? []), { name: t.name, equals: rule.equals }]);
  }
  const kept = tuned.filter((t) => !dropped.some((d) => d.name === t.name));
  const controllers = [...dependents.keys()].sort();
  const split: SplitReason[] = controllers.map((parameter) => ({
    parameter,
    dependents: (dependents.get(parameter) ?? []).map((d) => ({ name: d.name, appliesWhen: `${parameter} is ${d.equals}` })),
  }));
  let branches: Branch[] = [{ covers: {}, tuned: kept, fixed: [] }];
  for (const parameter of controllers) {
    const controller = byName.get(parameter) as CategoricalTuned;
    const deps = dependents.get(parameter) ?? [];
    branches = branches.flatMap((branch) => groupsOf(controller, deps).map((group) => narrow(branch, controller, group, deps)));
  }
  return { branches, split, dropped };
}

/** The controller's values grouped by which dependents apply under them, in the order the values are listed. */
function groupsOf(controller: CategoricalTuned, deps: readonly { name: string; equals: string }[]): string[][] {
  const groups = new Map<string, string[]>();
  for (const value of controller.values) {
    const signature = deps
      .filter((d) => d.equals === value)
      .map((d) => d.name)
      .join(",");
    groups.set(signature, [...(groups.get(signature) ?? []), value]);
  }
  return [...groups.values()];
}

/** The branch restricted to `group` of the controller: its dependents kept only where they apply. */
function narrow(
  branch: Branch,
  controller: CategoricalTuned,
  group: readonly string[],
  deps: readonly { name: string; equals: string }[],
): Branch {
  const tuned: Tuned[] = [];
  const fixed = [...branch.fixed];
  for (const t of branch.tuned) {
    if (t.name === controller.name) {
      if (group.length === 1) fixed.push({ name: t.name, sent: group[0] ?? "" });
      else tuned.push({ ...controller, values: group });
      continue;
    }
    const dep = deps.find((d) => d.name === t.name);
    if (dep === undefined || group.includes(dep.equals)) tuned.push(t);
  }
  return { covers: { ...branch.covers, [controller.name]: group }, tuned, fixed };
}
