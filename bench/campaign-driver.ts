/**
 * A deliberately small campaign loop for bench/early-termination.ts, standing in for the launcher
 * until the launcher calls a CampaignObserver itself (the "house" work). On a virtual clock that
 * only moves when the loop says so, once per tick it:
 *   1. lists the campaign's jobs (ListTrainingJobs by the campaign prefix: one call per 100 jobs);
 *   2. creates planned jobs, in the given order, while fewer than `concurrency` are InProgress or
 *      Stopping (a Stopping job still holds its instance);
 *   3. asks the observer which running jobs to stop, and stops them (StopTrainingJob);
 *   4. moves the clock on by one tick.
 * No retries of failed jobs, no journal, no resume: the benchmark's stand-in has no failures.
 */
import type { Clock } from "../src/backend/clock.js";
import { buildCreateTrainingJobRequest } from "../src/backend/request.js";
import type { JobSnapshot, TrainingBackend } from "../src/backend/types.js";
import type { CampaignObserver, StopDecision } from "../src/campaign/observer.js";
import type { LaunchPlan, PlannedJob } from "../src/plan/types.js";
import type { StackOutputs } from "../src/stack/outputs.js";

/** A clock that moves only when told; `sleep` (backoff) moves it too, so nothing waits for real. */
export interface VirtualClock extends Clock {
  advance(ms: number): void;
}

export function virtualClock(start: number): VirtualClock {
  let now = start;
  return {
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
    sleep: async (ms) => {
      now += ms;
    },
  };
}

export interface DriveOptions {
  readonly plan: LaunchPlan;
  /** The planned jobs in the order they are created. */
  readonly order: readonly PlannedJob[];
  readonly backend: TrainingBackend;
  readonly stack: StackOutputs;
  readonly clock: VirtualClock;
  readonly concurrency: number;
  readonly tickMs: number;
  readonly observer?: CampaignObserver;
  /** Each tick's listing, for the observer's view of the campaign. */
  readonly onListing?: (jobs: readonly JobSnapshot[]) => void;
}

export interface DriveResult {
  /** Ticks until the last job ended. */
  readonly ticks: number;
  /** Ticks at which the observer was asked, and the running jobs it was shown, summed over them. */
  readonly observations: number;
  readonly runningJobObservations: number;
  /** The most running jobs shown to the observer at once. */
  readonly maxRunning: number;
  readonly stops: readonly StopDecision[];
}

/** Runs the plan's jobs to the end against the backend. */
export async function driveCampaign(options: DriveOptions): Promise<DriveResult> {
  const { backend, clock, observer } = options;
  const prefix = `${options.plan.campaign}-`;
  const pending = [...options.order];
  const signal = new AbortController().signal;
  const stops: StopDecision[] = [];
  let ticks = 0;
  let observations = 0;
  let runningJobObservations = 0;
  let maxRunning = 0;
  for (;;) {
    const listed = await backend.listJobs(prefix);
    options.onListing?.(listed);
    let busy = listed.filter((job) => job.status === "InProgress" || job.status === "Stopping").length;
    while (busy < options.concurrency && pending.length > 0) {
      const job = pending.shift() as PlannedJob;
      await backend.createJob(buildCreateTrainingJobRequest(options.plan, job, 0, options.stack));
      busy += 1;
    }
    if (busy === 0 && pending.length === 0) break;
    const running = listed.filter((job) => job.status === "InProgress");
    if (observer !== undefined && running.length > 0) {
      observations += 1;
      runningJobObservations += running.length;
      maxRunning = Math.max(maxRunning, running.length);
      const shown = running.map((job) => ({ name: job.name, plannedName: job.name, attempt: 0, createdAt: job.createdAt }));
      for (const decision of await observer.observe(shown, signal)) {
        await backend.stopJob(decision.name);
        stops.push(decision);
      }
    }
    clock.advance(options.tickMs);
    ticks += 1;
  }
  return { ticks, observations, runningJobObservations, maxRunning, stops };
}
