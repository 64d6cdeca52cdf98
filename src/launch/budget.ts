import { UserError } from "../errors.js";
import type { LaunchPlan } from "../plan/types.js";
import { formatDuration } from "../util/duration.js";

/**
 * The money check before the first launch: the worst case (every job runs to max_runtime at the
 * on-demand price, plan.cost) is shown, and a campaign over `limits.budget_usd` is refused.
 */

/** Dollars with cents and thousands separators. */
function usd(value: number): string {
  return `$${value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** The worst-case cost, in words, for the lines printed before launching. */
export function worstCaseLine(plan: LaunchPlan): string {
  const { cost } = plan;
  const jobs = plan.counts.jobs;
  if (cost.usdPerHour === null || cost.totalUsd === null) {
    return `Worst case: ${jobs} jobs × ${formatDuration(cost.maxRuntimeSeconds)} on ${cost.instanceType}; no price is known for this instance type, so no cost bound.`;
  }
  const spot = cost.spot ? " (spot bills less; the bound stays on-demand)" : "";
  const budget = cost.budgetUsd !== undefined ? `, budget ${usd(cost.budgetUsd)}` : "";
  return (
    `Worst case: ${jobs} jobs × ${formatDuration(cost.maxRuntimeSeconds)} × ${cost.instanceCount} ${cost.instanceType} ` +
    `at ${usd(cost.usdPerHour)}/h = ${usd(cost.totalUsd)}${budget}${spot}.`
  );
}

/** Throws when the worst case is over the budget, or when a budget is set but cannot be checked. */
export function checkBudget(plan: LaunchPlan): void {
  const { cost } = plan;
  const budget = plan.limits.budgetUsd;
  if (budget === undefined) return;
  if (cost.totalUsd === null) {
    throw new UserError(
      `${plan.sweepFile}: limits.budget_usd is ${usd(budget)}, but no price is known for ${cost.instanceType}, so the budget cannot be checked.\n` +
        "Choose an instance type with a known price (segsweep plan shows it), or remove limits.budget_usd.",
    );
  }
  if (cost.totalUsd > budget) {
    throw new UserError(
      `${plan.sweepFile}: the worst-case cost ${usd(cost.totalUsd)} is over limits.budget_usd (${usd(budget)}); nothing launched.\n` +
        `${worstCaseLine(plan)}\n` +
        "Lower resources.max_runtime, run fewer points, or raise limits.budget_usd.",
    );
  }
}
