import type { JobCurve, MetricSource } from "../../backend/metric-source.js";
import type { EarlyTermination } from "../../sweep/early-termination.js";
import type { CampaignObserver, RunningJob, StopDecision } from "../observer.js";
import { ashaRule } from "./asha.js";
import { medianRule } from "./median.js";
import { Replay, type ReplayJob } from "./replay.js";
import type { StoppingRule } from "./rule.js";

/**
 * The campaign's early termination: a CampaignObserver that reads every job's curve from a
 * MetricSource and plays the curves through the sweep's stopping rule (replay.ts). Decisions are a
 * function of the metrics alone: a launcher killed and started again makes the same ones, and
 * `explainStop` re-derives them. Only periods that ended `settleMs` ago are read, so a datapoint
 * CloudWatch has not ingested yet cannot change a decision later (docs/early-termination.md).
 */

/** One attempt of the campaign, running or ended, as SageMaker lists it. */
export interface CampaignJob {
  readonly name: string;
  /** The planned job (point) it is an attempt of: its `epochs` come from the plan. */
  readonly plannedName: string;
  /** Epoch ms. */
  readonly createdAt: number;
  /** Epoch ms, once Completed, Failed or Stopped. */
  readonly endedAt?: number;
}

export interface EarlyTerminationOptions {
  readonly config: EarlyTermination;
  /** The campaign's objective (maximised), one the algorithm reports every epoch. */
  readonly objective: string;
  readonly source: MetricSource;
  /** The `epochs` a planned job trains (its hyperparameter as sent), by planned job name. */
  readonly epochsOf: (plannedName: string) => number;
  /**
   * Every attempt of the campaign so far, ended ones included (a restarted launcher learns them
   * from SageMaker: ListTrainingJobs by the campaign's prefix). Their curves are the rule's peers.
   */
  readonly campaignJobs: (signal: AbortSignal) => Promise<readonly CampaignJob[]>;
  readonly clock: { now(): number };
  /** How often the launcher should observe (default 60 s: CloudWatch's period). */
  readonly intervalMs?: number;
  /** How long after a one-minute period ends its datapoints count as final (default 3 min). */
  readonly settleMs?: number;
}

/** The observer, and what the benchmark and `status` read from it. */
export interface EarlyTerminationObserver extends CampaignObserver {
  /** The rule as configured. */
  readonly rule: StoppingRule;
  /** Every job's curve as last read. */
  curves(): ReadonlyMap<string, JobCurve>;
}

const MINUTE = 60_000;

/** The rule a sweep's `early_termination:` block names, judging on `metric`. */
export function stoppingRule(config: EarlyTermination, metric: string): StoppingRule {
  return config.rule === "asha"
    ? ashaRule({
        minEpochs: config.minEpochs,
        reductionFactor: config.reductionFactor,
        metric,
        ...(config.cutoff !== undefined ? { cutoff: config.cutoff } : {}),
      })
    : medianRule({ minEpochs: config.minEpochs, metric });
}

/** Creates the observer. It calls nothing until the launcher asks. */
export function createEarlyTermination(options: EarlyTerminationOptions): EarlyTerminationObserver {
  const rule = stoppingRule(options.config, options.objective);
  const settleMs = options.settleMs ?? 3 * MINUTE;
  /** Curves of jobs that ended before the last horizon: they will not change. */
  const final = new Map<string, JobCurve>();
  let latest = new Map<string, JobCurve>();
  let jobs: readonly CampaignJob[] = [];
  let replay = new Replay(rule);
  const decided = new Set<string>();

  const replayJob = (job: CampaignJob): ReplayJob => ({
    name: job.name,
    totalEpochs: options.epochsOf(job.plannedName),
    epochs: (latest.get(job.name)?.epochs ?? []).flatMap((epoch) => {
      const value = epoch.values[options.objective];
      return value === undefined ? [] : [{ at: epoch.at, value }];
    }),
  });

  /** Reads the curves up to the settled horizon and plays them. */
  async function refresh(running: readonly RunningJob[], signal: AbortSignal): Promise<void> {
    const listed = await options.campaignJobs(signal);
    const known = new Set(listed.map((job) => job.name));
    // A job the launcher just created may not be listed yet.
    const extra = running
      .filter((job) => !known.has(job.name))
      .map((job) => ({ name: job.name, plannedName: job.plannedName, createdAt: job.createdAt ?? options.clock.now() }));
    jobs = [...listed, ...extra];
    const horizon = Math.floor((options.clock.now() - settleMs) / MINUTE) * MINUTE;
    const stale = jobs.filter((job) => !final.has(job.name));
    const read = await options.source.curves(
      stale.map((job) => ({ name: job.name, from: job.createdAt })),
      horizon,
      signal,
    );
    latest = new Map(final);
    for (const job of stale) {
      const curve = read.get(job.name) ?? { name: job.name, epochs: [] };
      latest.set(job.name, curve);
      // Its last period ended and settled before the horizon: nothing it reports will change.
      if (job.endedAt !== undefined && job.endedAt + MINUTE <= horizon) final.set(job.name, curve);
    }
    const played = jobs.map(replayJob);
    if (!replay.advance(played, horizon)) {
      replay = new Replay(rule);
      replay.advance(played, horizon);
    }
  }

  return {
    rule,
    intervalMs: options.intervalMs ?? MINUTE,
    curves: () => latest,
    async observe(running, signal) {
      await refresh(running, signal);
      const decisions: StopDecision[] = [];
      for (const job of running) {
        const stop = replay.stops.get(job.name);
        if (stop === undefined || decided.has(job.name)) continue;
        decided.add(job.name);
        decisions.push({ name: job.name, reason: stop.reason });
      }
      return decisions;
    },
    async explainStop(name, signal) {
      if (!jobs.some((job) => job.name === name)) await refresh([], signal);
      const stop = replay.stops.get(name);
      // The rule stopped it only if it was still training when the rule said stop.
      const reached = latest.get(name)?.epochs.length ?? 0;
      return stop !== undefined && reached >= stop.epoch ? { name, reason: stop.reason } : undefined;
    },
  };
}
