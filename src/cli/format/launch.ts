import type { BudgetVerdict } from "../../campaign/budget.js";
import { type LaunchPlan, plannedTrainingJobs } from "../../plan/types.js";
import { formatDuration } from "../../util/duration.js";
import { type HintContext, hintCommand } from "./hint.js";
import { usd, worstCaseProduct } from "./money.js";

/** The words `segsweep launch` prints around a campaign: the worst case, a budget refusal, what still runs. */

/** The worst-case cost, in words, for the lines printed before launching. */
export function worstCaseLine(plan: LaunchPlan): string {
  const { cost } = plan;
  const jobs = plannedTrainingJobs(plan);
  if (cost.usdPerHour === null || cost.totalUsd === null) {
    return `Worst case: ${jobs} jobs × ${formatDuration(cost.maxRuntimeSeconds)} on ${cost.instanceType}; no price is known for this instance type, so no cost bound.`;
  }
  const spot = cost.spot ? " (spot bills less; the bound stays on-demand)" : "";
  const budget = cost.budgetUsd !== undefined ? `, budget ${usd(cost.budgetUsd)}` : "";
  return `Worst case: ${worstCaseProduct(cost, jobs)} = ${usd(cost.totalUsd)}${budget}${spot}.`;
}

/** Why the budget refuses the campaign, and what to do. */
export function budgetRefusal(plan: LaunchPlan, verdict: Exclude<BudgetVerdict, { ok: true }>): string {
  if (verdict.reason === "no-price") {
    return (
      `${plan.sweepFile}: limits.budget_usd is ${usd(verdict.budgetUsd)}, but no price is known for ${verdict.instanceType}, so the budget cannot be checked.\n` +
      "Choose an instance type with a known price (segsweep plan shows it), or remove limits.budget_usd."
    );
  }
  return (
    `${plan.sweepFile}: the worst-case cost ${usd(verdict.worstCaseUsd)} is over limits.budget_usd (${usd(verdict.budgetUsd)}); nothing launched.\n` +
    `${worstCaseLine(plan)}\n` +
    "Lower resources.max_runtime, run fewer points, or raise limits.budget_usd."
  );
}

/** What still runs after `launch` returns, and how to follow or stop it (commands from `hints`, format/hint.ts); "" when nothing runs. */
export function stillRunning(
  running: number,
  sweepFile: string,
  simulated: boolean,
  hints: HintContext = { program: "segsweep", flags: [] },
): string {
  if (running === 0) return "";
  if (simulated) return `${running} simulated jobs were still running; they end with this process (nothing ran on AWS).\n`;
  const jobs = running === 1 ? "1 training job is" : `${running} training jobs are`;
  return (
    `${jobs} still running on SageMaker and cost money until ${running === 1 ? "it ends" : "they end"}.\n` +
    `  Follow them and launch the rest:  ${hintCommand(hints, "launch", sweepFile)}\n` +
    `  Follow them only:                 ${hintCommand(hints, "status", sweepFile, ["--watch"])}\n` +
    `  Stop them:                        ${hintCommand(hints, "stop", sweepFile)}\n`
  );
}

/** The SageMaker (and SQS) calls a launch made, by operation. */
export function apiCallsLine(sageMaker: Readonly<Record<string, number>>, sqs: Readonly<Record<string, number>> | undefined): string {
  const calls = Object.entries(sageMaker);
  const total = calls.reduce((sum, [, count]) => sum + count, 0);
  const sqsCalls = sqs !== undefined ? Object.entries(sqs) : [];
  const sqsPart = sqsCalls.length > 0 ? `; SQS: ${sqsCalls.map(([op, count]) => `${op} ${count}`).join(", ")}` : "";
  return `SageMaker API calls: ${total} (${calls.map(([op, count]) => `${op} ${count}`).join(", ")})${sqsPart}`;
}
