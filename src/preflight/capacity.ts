import type { QuotaLookup } from "../backend/quotas.js";
import type { RunningJob } from "../backend/training-usage.js";
import type { JobsPlan } from "../plan/types.js";
import { type CheckResult, result } from "./report.js";

/**
 * Capacity: the account's SageMaker training quotas against what the campaign will run at once.
 * Quotas count instances, per instance type and across all training jobs, separately for spot
 * and on-demand (docs/sources.md#quotas); jobs already in progress in the account (other than
 * this campaign's own, which max_concurrency already counts) hold part of them. Pure.
 */

/** The quotas a plan runs against, by the names SageMaker uses. */
export function quotaNames(plan: JobsPlan): { readonly perType: string; readonly total: string } {
  const spot = plan.resources.spot;
  return {
    perType: `${plan.resources.instanceType} for ${spot ? "spot " : ""}training job usage`,
    total: `Number of instances across all ${spot ? "spot " : ""}training jobs`,
  };
}

/** What the usage reader returned, or why it could not. */
export type Usage = { readonly jobs: readonly RunningJob[] } | { readonly error: string };

function fixFor(plan: JobsPlan, perType: boolean, needed: number): string {
  const { instanceType, spot } = plan.resources;
  if (perType) {
    return `Request more: pulumi config set --path 'quotas["${instanceType}"].${spot ? "spot" : "onDemand"}' ${needed} && pulumi up (or the Service Quotas console), or lower limits.max_concurrency`;
  }
  return spot
    ? "Request more in the Service Quotas console (SageMaker), or lower limits.max_concurrency"
    : `Request more: pulumi config set totalTrainingInstancesQuota ${needed} && pulumi up (or the Service Quotas console), or lower limits.max_concurrency`;
}

/** One quota against the campaign's concurrency and the instances other jobs hold now. */
function checkQuota(plan: JobsPlan, name: string, perType: boolean, quotas: QuotaLookup, usage: Usage): CheckResult {
  const { instanceType, instanceCount, spot } = plan.resources;
  const concurrent = Math.min(plan.limits.maxConcurrency, Math.max(plan.counts.jobs, 1));
  const wanted = concurrent * instanceCount;
  const quota = quotas.found.get(name);
  if (quota === undefined) {
    const why = quotas.errors.length > 0 ? quotas.errors.join("; ") : "not listed by Service Quotas";
    return result("quota", name, "warn", `quota "${name}" could not be read (${why}); the campaign runs up to ${wanted} at once`, {
      numbers: { quota: null, wanted, maxConcurrency: plan.limits.maxConcurrency },
      fix: "Grant servicequotas:ListServiceQuotas (the stack's operator policy does), or check the quota in the Service Quotas console",
    });
  }
  // Per type: same type, same purchase option. Across all jobs: whether spot jobs also count
  // against the on-demand total is not documented (docs/sources.md#preflight); counting them is the
  // cautious reading.
  const counts = (job: RunningJob): boolean =>
    !job.name.startsWith(`${plan.campaign}-`) && (perType ? job.spot === spot && job.instanceType === instanceType : !spot || job.spot);
  const others = "jobs" in usage ? usage.jobs.filter(counts) : undefined;
  const inUse = others?.reduce((sum, job) => sum + job.instanceCount, 0);
  const available = quota.value - (inUse ?? 0);
  const numbers = { quota: quota.value, inUse: inUse ?? null, available, wanted, maxConcurrency: plan.limits.maxConcurrency };
  const said = `${quota.value}${quota.applied ? "" : " (AWS default; the applied value could not be listed)"}${quota.code ? ` [${quota.code}]` : ""}`;
  const held =
    inUse === undefined ? ` (jobs in progress not counted: ${"error" in usage ? usage.error : ""})` : `, ${inUse} in use by other jobs`;
  const head = `"${name}" is ${said}${held}; the campaign runs up to ${wanted} at once`;
  const needed = wanted + (inUse ?? 0);
  if (quota.value === 0) {
    return result("quota", name, "fail", `${head}: no ${spot ? "spot " : ""}${instanceType} training job can start in this account`, {
      numbers,
      fix: fixFor(plan, perType, needed),
    });
  }
  if (available < wanted) {
    const pace = available <= 0 ? "nothing can start until other jobs end" : `at most ${available} can run at once`;
    return result("quota", name, "warn", `${head}: ${pace}`, { numbers, fix: fixFor(plan, perType, needed) });
  }
  return result("quota", name, inUse === undefined ? "warn" : "pass", `${head}: ${available} available`, { numbers });
}

/** The per-instance-type quota and the account-wide one. */
export function checkCapacity(plan: JobsPlan, quotas: QuotaLookup, usage: Usage): CheckResult[] {
  const names = quotaNames(plan);
  return [checkQuota(plan, names.perType, true, quotas, usage), checkQuota(plan, names.total, false, quotas, usage)];
}
