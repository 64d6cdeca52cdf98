/**
 * One campaign of early termination through the real launcher (src/campaign/engines/jobs.ts: the
 * engine `segsweep launch` runs), against the in-memory SageMaker on a discrete-event clock (as
 * bench/launch/logic.ts), with the stand-in's learning curves served as CloudWatch would serve
 * them (src/standin/in-memory-metrics.ts). Used by bench/early-termination.ts and by the
 * launcher's restart test; `interruptAfterStops` aborts the launch after that many stop decisions
 * and launches again on the same SageMaker (a launcher killed and started again).
 */
import type { JobDetails } from "../../src/backend/types.js";
import { earlyTerminationFor } from "../../src/campaign/early-termination-setup.js";
import { engineFor } from "../../src/campaign/engines/index.js";
import type { LaunchOutcome } from "../../src/campaign/engines/types.js";
import { memoryJournal } from "../../src/campaign/journal.js";
import { campaignPolicy } from "../../src/campaign/policy.js";
import { simulatedStackOutputs } from "../../src/campaign/simulate.js";
import type { World } from "../../src/campaign/world.js";
import { campaignPrefix } from "../../src/plan/job-name.js";
import type { JobsPlan } from "../../src/plan/types.js";
import { createFakeClock } from "../../src/standin/event-clock.js";
import { InMemorySageMaker } from "../../src/standin/in-memory.js";
import { inMemoryMetricSource } from "../../src/standin/in-memory-metrics.js";
import { learningCurve } from "../../src/standin/index.js";

export interface RehearsalOptions {
  /** The plan, its jobs in launch order; `earlyTermination` absent for the full grid. */
  readonly plan: JobsPlan;
  readonly concurrency: number;
  /** SageMaker milliseconds a planned job runs from creation to completion, had nothing stopped it. */
  readonly durationMs: (plannedName: string) => number;
  /** The observer's interval and settle time (default: the observer's, 60 s and 3 min). */
  readonly intervalMs?: number;
  readonly settleMs?: number;
  /** Seconds from an epoch's end to its datapoint in GetMetricData (default 60). */
  readonly metricDelaySeconds?: number;
  readonly interruptAfterStops?: number;
}

export interface Rehearsal {
  readonly outcome: LaunchOutcome;
  /** Every job as SageMaker tells it at the end; completed ones with their last epoch's metrics. */
  readonly jobs: readonly JobDetails[];
  /** Names passed to StopTrainingJob, in order (over both launches when interrupted). */
  readonly stopRequests: readonly string[];
  /** Every stop decision, in order: [job, reason]. */
  readonly decisions: readonly (readonly [string, string])[];
  readonly getMetricDataCalls: number;
  readonly observeTicks: number;
  /** Jobs in progress summed over the observation ticks. */
  readonly runningJobObservations: number;
  readonly makespanMs: number;
  readonly launches: number;
}

const START = Date.UTC(2030, 0, 1);
const POLL_MS = 30_000;
/** The Starting phase's share of a job's natural run in the stand-in (src/standin/lifecycle.ts): not billed. */
const STARTING_SHARE = 0.06;
/** The stand-in's Stopping phase (src/standin/lifecycle.ts), within StopTrainingJob's 120 s grace (docs/sources.md#early-stopping). */
const STOPPING_MS = 60_000;

/** Runs the campaign (twice, when interrupted) to its end. */
export async function rehearse(options: RehearsalOptions): Promise<Rehearsal> {
  const { plan } = options;
  const clock = createFakeClock({ start: START });
  const backend = new InMemorySageMaker({
    clock,
    stopDelayMs: STOPPING_MS,
    durationMs: (name) => options.durationMs(name.replace(/-r\d+$/, "")),
  });
  const source = inMemoryMetricSource(backend.jobs, {
    objective: plan.objective,
    clock,
    ...(options.metricDelaySeconds !== undefined ? { delaySeconds: options.metricDelaySeconds } : {}),
  });
  const world: World = { backend, clock, simulated: true, metricSource: () => source, close: async () => undefined };
  const decisions: [string, string][] = [];
  let observeTicks = 0;
  let runningJobObservations = 0;
  let launches = 0;
  let outcome: LaunchOutcome | undefined;
  do {
    launches += 1;
    outcome = await launchOnce(options, world, launches === 1 ? options.interruptAfterStops : undefined, {
      decided: (name, reason) => decisions.push([name, reason]),
      ticked: (running) => {
        observeTicks += 1;
        runningJobObservations += running;
      },
    });
  } while (outcome.outcome === "interrupted" && launches < 2);
  const jobs = [...backend.jobs.values()].map((job) => {
    const details = jobDetails(backend, job.name);
    // Billed from the end of Starting (6% of the natural run), as the HTTP stand-in bills (TrainingStartTime on).
    const billedFrom = job.createdAt + STARTING_SHARE * (job.endsAt - job.createdAt);
    const billableSeconds = Math.max(1, Math.round(((details.endedAt ?? clock.now()) - billedFrom) / 1000));
    const last = learningCurve(details.hyperparameters).epochs.at(-1);
    const metrics =
      details.status === "Completed" && last !== undefined
        ? { "validation:mIOU": last.mIOU, "validation:pixel_accuracy": last.pixelAccuracy }
        : {};
    return { ...details, billableSeconds, metrics };
  });
  return {
    outcome,
    jobs,
    stopRequests: [...backend.stopRequests],
    decisions,
    getMetricDataCalls: source.calls.GetMetricData ?? 0,
    observeTicks,
    runningJobObservations,
    makespanMs: Math.max(...jobs.map((job) => job.endedAt ?? clock.now())) - START,
    launches,
  };
}

function jobDetails(backend: InMemorySageMaker, name: string): JobDetails {
  const details = backend.jobAt(name, Number.POSITIVE_INFINITY);
  if (details === undefined) throw new Error(`${name}: not in the in-memory SageMaker`);
  return details;
}

interface Hooks {
  decided(name: string, reason: string): void;
  ticked(running: number): void;
}

/** One launch, as `segsweep launch` runs it: prepare (reconcile what SageMaker has), then run. */
async function launchOnce(options: RehearsalOptions, world: World, interruptAfterStops: number | undefined, hooks: Hooks) {
  const { plan } = options;
  const abort = new AbortController();
  const inner = earlyTerminationFor(plan, world, {
    ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
    ...(options.settleMs !== undefined ? { settleMs: options.settleMs } : {}),
  });
  const observer =
    inner === undefined
      ? undefined
      : {
          intervalMs: inner.intervalMs,
          explainStop: inner.explainStop,
          observe: async (running: Parameters<typeof inner.observe>[0], signal: AbortSignal) => {
            hooks.ticked(running.length);
            return inner.observe(running, signal);
          },
        };
  const backend = world.backend as InMemorySageMaker;
  let stops = 0;
  const prepared = await engineFor(plan).prepare(plan, {
    world: { ...world, events: backend.eventSource(campaignPrefix(plan.campaign)) },
    stack: simulatedStackOutputs("us-east-1"),
    journal: memoryJournal(),
    policy: campaignPolicy({ maxConcurrency: options.concurrency, maxFailures: plan.limits.maxFailures, pollIntervalMs: POLL_MS }),
    context: {},
    pollIntervalMs: POLL_MS,
    signal: abort.signal,
    ...(observer !== undefined ? { observer } : {}),
  });
  return prepared.run((event) => {
    if (event.type !== "terminating") return;
    hooks.decided(event.name, event.reason);
    stops += 1;
    if (interruptAfterStops !== undefined && stops >= interruptAfterStops) abort.abort();
  });
}
