import type { JobCurve, MetricSource } from "../backend/metric-source.js";
import type { JobSnapshot, TrainingBackend } from "../backend/types.js";
import { campaignPrefix, isCampaignJobName, parseJobName } from "../plan/job-name.js";
import type { LaunchPlan } from "../plan/types.js";
import { type CampaignJob, createEarlyTermination, type EarlyTerminationObserver } from "./stopping/early-termination.js";
import type { World } from "./world.js";

/**
 * The launcher's early termination, built from the plan's `early_termination:` block and the
 * world it runs in: curves from the world's metric source (CloudWatch on AWS, the stand-in's
 * CloudWatch with --simulate), the campaign's attempts from SageMaker's own listing (so a launcher
 * started again sees the jobs a killed one created, and replays the same decisions), each job's
 * `epochs` from the plan. docs/early-termination.md.
 */

/** The `epochs` the algorithm trains when a point does not send it (the seed's table). */
const DEFAULT_EPOCHS = 10;

export interface EarlyTerminationSetupOptions {
  /** How often to observe (default: the observer's, 60 s). */
  readonly intervalMs?: number;
  /** How long a CloudWatch period must have ended before it counts (default: the observer's). */
  readonly settleMs?: number;
  /** Another metric source than the world's (the benchmark counts its calls). */
  readonly source?: MetricSource;
}

/**
 * The observer for `plan`, or undefined when the plan has no early_termination block, its engine
 * runs the campaign elsewhere (a tuning job stops its own trials), or the world has no metrics.
 */
export function earlyTerminationFor(
  plan: LaunchPlan,
  world: Pick<World, "backend" | "clock" | "metricSource">,
  options: EarlyTerminationSetupOptions = {},
): EarlyTerminationObserver | undefined {
  if (plan.engine !== "jobs") return undefined;
  const block = plan.earlyTermination;
  if (block === undefined) return undefined;
  const source = options.source ?? world.metricSource?.(plan.objective);
  if (source === undefined) return undefined;
  const epochs = new Map(plan.jobs.map((job) => [job.name, Number(job.hyperparameters.epochs ?? DEFAULT_EPOCHS)]));
  return createEarlyTermination({
    config: block.config,
    objective: plan.objective,
    source,
    epochsOf: (plannedName) => epochs.get(plannedName) ?? DEFAULT_EPOCHS,
    campaignJobs: campaignJobsLister(world.backend, plan.campaign, world.clock),
    clock: world.clock,
    ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
    ...(options.settleMs !== undefined ? { settleMs: options.settleMs } : {}),
  });
}

const MINUTE = 60_000;
/** A full listing this often, as a safety net under the incremental ones (the follower does the same). */
const FULL_LISTING_EVERY_MS = 30 * MINUTE;
/** How far before the newest change seen an incremental listing starts: the listing's lag, and clock skew. */
const LISTING_OVERLAP_MS = 5 * MINUTE;

/**
 * Every attempt of the campaign on SageMaker, ended ones included, as the observer asks each tick.
 * The first call (and one every 30 minutes) lists the whole campaign; the others list only the jobs
 * whose status changed since (ListTrainingJobs' LastModifiedTimeAfter) and merge them into what is
 * known: an observation tick costs about one call, not one per 100 jobs of the campaign.
 */
export function campaignJobsLister(
  backend: TrainingBackend,
  campaign: string,
  clock: { now(): number },
): (signal?: AbortSignal) => Promise<CampaignJob[]> {
  const known = new Map<string, CampaignJob>();
  let lastFullAt: number | undefined;
  let newestChange = 0;
  return async (signal) => {
    const now = clock.now();
    const full = lastFullAt === undefined || now - lastFullAt >= FULL_LISTING_EVERY_MS;
    const listed = await backend.listJobs(campaignPrefix(campaign), {
      ...(full ? {} : { modifiedAfter: newestChange - LISTING_OVERLAP_MS }),
      ...(signal !== undefined ? { signal } : {}),
    });
    if (full) {
      known.clear();
      lastFullAt = now;
    }
    for (const snapshot of listed) {
      newestChange = Math.max(newestChange, snapshot.lastModifiedAt ?? snapshot.createdAt);
      const job = campaignJob(campaign, snapshot);
      if (job !== undefined) known.set(job.name, job);
    }
    return [...known.values()];
  };
}

function campaignJob(campaign: string, job: JobSnapshot): CampaignJob | undefined {
  const parsed = parseJobName(job.name);
  if (parsed === undefined || !isCampaignJobName(campaign, job.name)) return undefined;
  return {
    name: job.name,
    plannedName: parsed.plannedName,
    createdAt: job.createdAt,
    ...(job.endedAt !== undefined ? { endedAt: job.endedAt } : {}),
  };
}

/**
 * A reader of the running jobs' curves for `status`: one batched GetMetricData call per refresh
 * (per 125 running jobs), everything reported so far; undefined when the world has no metrics.
 */
export function runningCurvesReader(
  plan: LaunchPlan,
  world: Pick<World, "clock" | "metricSource">,
): ((jobs: readonly JobSnapshot[], signal?: AbortSignal) => Promise<ReadonlyMap<string, JobCurve>>) | undefined {
  const source = world.metricSource?.(plan.objective);
  if (source === undefined) return undefined;
  return (jobs, signal) => {
    const running = jobs.filter((job) => job.status === "InProgress").map((job) => ({ name: job.name, from: job.createdAt }));
    return running.length === 0 ? Promise.resolve(new Map()) : source.curves(running, world.clock.now(), signal);
  };
}

/**
 * What the campaign's rule did, re-derived from the metrics (`report`): every job's curve, and
 * which Stopped jobs the rule stopped (the replay stops them at an epoch their curve reached;
 * src/campaign/stopping/early-termination.ts). Undefined without an early_termination block or metrics.
 */
export async function readTermination(
  plan: LaunchPlan,
  world: Pick<World, "backend" | "clock" | "metricSource">,
  jobs: readonly JobSnapshot[],
  signal: AbortSignal,
): Promise<{ terminated: ReadonlyMap<string, string>; curves: ReadonlyMap<string, JobCurve> } | undefined> {
  const observer = earlyTerminationFor(plan, world);
  if (observer === undefined) return undefined;
  // Reads every job's curve and replays the rule over them; it stops nothing (no running job is given).
  await observer.observe([], signal);
  const terminated = new Map<string, string>();
  for (const job of jobs) {
    if (job.status !== "Stopped") continue;
    const decision = await observer.explainStop(job.name, signal);
    if (decision !== undefined) terminated.set(job.name, decision.reason);
  }
  return { terminated, curves: observer.curves() };
}
