import type { LaunchPlan } from "../plan/types.js";

/**
 * The money check before the first launch, as a verdict: the worst case (every job runs to
 * max_runtime at the on-demand price, plan.cost) against `limits.budget_usd`. The CLI words it.
 */
export type BudgetVerdict =
  | { readonly ok: true }
  /** A budget is set but no price is known for the instance type, so it cannot be checked. */
  | { readonly ok: false; readonly reason: "no-price"; readonly budgetUsd: number; readonly instanceType: string }
  | { readonly ok: false; readonly reason: "over-budget"; readonly budgetUsd: number; readonly worstCaseUsd: number };

/** Whether the plan may launch as far as money goes. */
export function checkBudget(plan: LaunchPlan): BudgetVerdict {
  const budgetUsd = plan.limits.budgetUsd;
  if (budgetUsd === undefined) return { ok: true };
  const worstCaseUsd = plan.cost.totalUsd;
  if (worstCaseUsd === null) return { ok: false, reason: "no-price", budgetUsd, instanceType: plan.cost.instanceType };
  if (worstCaseUsd > budgetUsd) return { ok: false, reason: "over-budget", budgetUsd, worstCaseUsd };
  return { ok: true };
}
