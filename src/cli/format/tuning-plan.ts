import type { TuningBranch, TuningPlan } from "../../plan/tuning/types.js";
import { formatDuration } from "../../util/duration.js";
import { worstCaseProduct } from "./money.js";
import { n, table, usd } from "./plan.js";

/**
 * A tuning-engine plan as `segsweep plan` prints it: the campaign, why and how the space was
 * split, the budget per tuning job, the worst-case cost, then each tuning job's ranges and static
 * hyperparameters exactly as sent. `--format json` prints the plan itself, requests included.
 */
export function renderTuningPlanTable(plan: TuningPlan, options: { summary?: boolean } = {}): string {
  const lines = header(plan);
  if (!options.summary) for (const branch of plan.branches) lines.push("", ...branchLines(plan, branch));
  lines.push(
    "",
    "At launch the stack fills in RoleArn, the training image, the data and output locations, checkpoints (spot) and tags;",
    "`--format json` shows each request as planned.",
  );
  return `${lines.join("\n")}\n`;
}

function header(plan: TuningPlan): string[] {
  const { resources, branches } = plan;
  const first = branches[0]?.request.HyperParameterTuningJobConfig;
  const limits = branches.map((b) => b.request.HyperParameterTuningJobConfig.ResourceLimits);
  const parallel = limits.reduce((sum, l) => sum + l.MaxParallelTrainingJobs, 0);
  const each = (values: number[]) => (values.length > 1 ? ` (${values.join(" + ")})` : "");
  return [
    `Campaign   ${plan.campaign}  (${plan.sweepFile})`,
    ...(plan.description ? [`           ${plan.description.trim().split("\n")[0] ?? ""}`] : []),
    `Engine     tuning: SageMaker Automatic Model Tuning · ${first?.Strategy ?? plan.strategy} search · objective ${plan.objective} (maximized)`,
    `Branches   ${splitLine(plan)}`,
    `Resources  ${resources.instanceType} × ${resources.instanceCount} · ${resources.volumeGb} GB · max runtime ${formatDuration(resources.maxRuntimeSeconds)}${resources.spot ? ` · spot (max wait ${formatDuration(resources.maxWaitSeconds ?? 0)})` : " · on-demand"}`,
    `Budget     at most ${n(plan.maxTrainingJobs)} training jobs${each(limits.map((l) => l.MaxNumberOfTrainingJobs))} · ${parallel} at once${each(limits.map((l) => l.MaxParallelTrainingJobs))}`,
    `Cost       ${costLine(plan)}`,
  ];
}

function splitLine(plan: TuningPlan): string {
  const count = `${plan.branches.length} tuning job${plan.branches.length === 1 ? "" : "s"}`;
  if (plan.split.length === 0) return `${count}: no tuned parameter depends on another`;
  const reasons = plan.split.map((s) => s.dependents.map((d) => `${d.name} applies only when ${d.appliesWhen}`).join(", "));
  return `${count}, split on ${plan.split.map((s) => s.parameter).join(" and ")}: ${reasons.join("; ")}`;
}

function costLine(plan: TuningPlan): string {
  const { cost } = plan;
  if (cost.totalUsd === null || cost.perJobUsd === null || cost.usdPerHour === null) {
    return `unknown: no price for ${cost.instanceType}${cost.budgetUsd !== undefined ? ` · budget ${usd(cost.budgetUsd)} cannot be checked` : ""}`;
  }
  const bound = `at most ${usd(cost.totalUsd)} = ${worstCaseProduct(cost, plan.maxTrainingJobs, "training jobs")} (on-demand, us-east-1)`;
  if (cost.budgetUsd === undefined) return `${bound} · no budget set`;
  return `${bound} · budget ${usd(cost.budgetUsd)} ${cost.withinBudget ? "✓ within" : "✖ OVER BUDGET"}`;
}

function branchLines(plan: TuningPlan, branch: TuningBranch): string[] {
  const { request } = branch;
  const config = request.HyperParameterTuningJobConfig;
  const covers = Object.entries(branch.covers).map(([name, values]) => `${name}: ${values.join(", ")}`);
  const { MaxNumberOfTrainingJobs: jobs, MaxParallelTrainingJobs: parallel } = config.ResourceLimits;
  const ranges = config.ParameterRanges;
  const rows = [
    ...ranges.CategoricalParameterRanges.map((r) => [r.Name, "categorical", r.Values.join(", "), ""]),
    ...ranges.IntegerParameterRanges.map((r) => [r.Name, "integer", `${r.MinValue} … ${r.MaxValue}`, r.ScalingType]),
    ...ranges.ContinuousParameterRanges.map((r) => [r.Name, "continuous", `${r.MinValue} … ${r.MaxValue}`, r.ScalingType]),
  ].sort((a, b) => ((a[0] ?? "") < (b[0] ?? "") ? -1 : 1));
  const statics = Object.entries(request.TrainingJobDefinition.StaticHyperParameters).map(([k, v]) => `${k}=${v}`);
  const warm = request.WarmStartConfig;
  return [
    `Tuning job ${branch.index}  ${request.HyperParameterTuningJobName}${covers.length > 0 ? `  (${covers.join("; ")})` : ""}`,
    `  ${n(jobs)} training jobs at most${branch.combinations !== undefined ? ` of ${n(branch.combinations)} combinations` : ""} · ${parallel} at once${config.RandomSeed !== undefined ? ` · RandomSeed ${config.RandomSeed}` : ""}`,
    ...table(
      ["  SEARCHED", "TYPE", "VALUES", "SCALING"],
      rows.map(([name, ...rest]) => [`  ${name}`, ...rest] as string[]),
    ),
    `  Static: ${statics.join(" ")}`,
    ...(warm !== undefined
      ? [
          `  Warm start (${warm.WarmStartType}) from ${warm.ParentHyperParameterTuningJobs.map((p) => p.HyperParameterTuningJobName).join(", ")}`,
        ]
      : plan.warmStart !== undefined
        ? ["  Warm start: none (no parent sends the same hyperparameter names)"]
        : []),
  ];
}
