import { GPU_TRAINING_INSTANCES } from "../catalog/instances.js";
import { instanceCostUsd } from "../catalog/price.js";
import type { Limits, Resources } from "../sweep/definition.js";
import type { CostBound } from "./types.js";

/** The worst case: every job runs for max_runtime at the on-demand price (billing is per second × instance count). */
export function costBound(resources: Resources, limits: Limits, jobs: number): CostBound {
  const usdPerHour = GPU_TRAINING_INSTANCES.get(resources.instanceType)?.usdPerHour ?? null;
  const perJob = usdPerHour === null ? null : instanceCostUsd(resources.maxRuntimeSeconds, resources.instanceCount, usdPerHour);
  const perJobUsd = perJob === null ? null : cents(perJob);
  // From the unrounded figure, so the total does not carry a per-job rounding error times the job count.
  const totalUsd = perJob === null ? null : cents(perJob * jobs);
  return {
    instanceType: resources.instanceType,
    instanceCount: resources.instanceCount,
    usdPerHour,
    maxRuntimeSeconds: resources.maxRuntimeSeconds,
    perJobUsd,
    totalUsd,
    spot: resources.spot,
    ...(limits.budgetUsd !== undefined ? { budgetUsd: limits.budgetUsd } : {}),
    ...(limits.budgetUsd !== undefined && totalUsd !== null ? { withinBudget: totalUsd <= limits.budgetUsd } : {}),
  };
}

function cents(usd: number): number {
  return Math.round(usd * 100) / 100;
}
