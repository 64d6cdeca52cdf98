import type { CreateTrainingJobRequest } from "@aws-sdk/client-sagemaker";
import type { Clock } from "../backend/clock.js";
import type { JobEventSource } from "../backend/sqs-events.js";
import type { JobSnapshot, TrainingBackend } from "../backend/types.js";
import { campaignPrefix } from "../plan/job-name.js";
import type { JobsPlan, PlannedJob } from "../plan/types.js";
import { ConcurrencyGate } from "./concurrency.js";
import type { RunContext } from "./context.js";
import { createAttempt } from "./create.js";
import { createDescriber, type Describer } from "./describe.js";
import type { CampaignView, LaunchEvent, LaunchObserver, StopReason } from "./events.js";
import { Follower, type FollowerStats } from "./follower.js";
import type { Journal } from "./journal.js";
import { observeRunning } from "./observation.js";
import type { CampaignObserver } from "./observer.js";
import type { CampaignPolicy } from "./policy.js";
import { type ProgressFigures, progressFigures } from "./progress-figures.js";
import { createTokenBucket } from "./rate.js";
import type { Reconciled } from "./reconcile.js";
import type { JobRecord } from "./records.js";
import { settleEnded } from "./settle.js";
import type { CampaignState } from "./state.js";

/**
 * The launcher, as wiring: each point takes a slot (concurrency.ts), its job is created
 * (create.ts) and followed (follower.ts) until it ends, then settled (settle.ts), which may give
 * the point a new attempt; an observer may stop jobs meanwhile (observation.ts). A slot frees the
 * moment the follower sees its job end, and goes to the next point at once. It never throws: the
 * outcome says how it ended, and the state what runs.
 */
export interface CampaignOptions {
  readonly plan: JobsPlan;
  readonly backend: TrainingBackend;
  readonly buildRequest: (job: PlannedJob, attempt: number) => CreateTrainingJobRequest;
  readonly clock: Clock;
  readonly journal: Journal;
  readonly observe: LaunchObserver;
  readonly policy: CampaignPolicy;
  readonly pollIntervalMs: number;
  /** Aborted on Ctrl-C: stop launching, leave running jobs running. */
  readonly signal: AbortSignal;
  readonly events?: JobEventSource & { readonly waitsForEvents: boolean };
  /** With events: the safety listing's interval (default 10 poll intervals). */
  readonly reconcileIntervalMs?: number;
  /** Watches running jobs and may stop some (early termination). */
  readonly observer?: CampaignObserver;
  /** Shared with reconcile, so describes stay bounded across both. */
  readonly describer?: Describer;
  readonly random?: () => number;
}

export type CampaignOutcome = "finished" | StopReason;

export interface CampaignResult {
  readonly outcome: CampaignOutcome;
  readonly state: CampaignState;
  /** Why the campaign stopped when outcome is "error" (a BackendError, or a bug). */
  readonly error?: unknown;
  readonly concurrency: number;
  readonly follower: FollowerStats;
}

/** Runs the campaign from its reconciled state until every point ended, the failure limit, an error or Ctrl-C. */
export async function runCampaign(options: CampaignOptions, reconciled: Reconciled): Promise<CampaignResult> {
  try {
    return await new CampaignRun(options, reconciled).start();
  } catch (error) {
    // A bug: still an outcome, so the caller can say what runs before it reports the bug.
    return {
      outcome: "error",
      error,
      state: reconciled.state,
      concurrency: 0,
      follower: { ticks: 0, maxListCallsPerTick: 0 },
    };
  }
}

class CampaignRun {
  readonly #options: CampaignOptions;
  readonly #state: CampaignState;
  readonly #halt = new AbortController();
  readonly #startedAt: number;
  readonly #ctx: RunContext;
  readonly #follower: Follower;
  #outcome: CampaignOutcome = "finished";
  #error: unknown;
  #pending = 0;
  #allSettled: () => void = () => undefined;

  constructor(options: CampaignOptions, reconciled: Reconciled) {
    this.#options = options;
    this.#state = reconciled.state;
    this.#startedAt = options.clock.now();
    this.#ctx = this.#context();
    this.#follower = new Follower({
      backend: options.backend,
      clock: options.clock,
      namePrefix: campaignPrefix(options.plan.campaign),
      pollIntervalMs: options.pollIntervalMs,
      reconcileIntervalMs: options.reconcileIntervalMs ?? 10 * options.pollIntervalMs,
      ...(reconciled.createdWatermark !== undefined ? { createdWatermark: reconciled.createdWatermark } : {}),
      ...(options.events !== undefined ? { events: options.events } : {}),
      pointsWaiting: () => this.#ctx.gate.pointsWaiting,
      onChange: (snapshot) => this.#changed(snapshot),
      onEventsSilent: () =>
        this.#ctx.emit({
          type: "warning",
          message:
            "No job state-change event has arrived on the events queue, yet jobs ended: is the EventBridge rule routing to it? Following by listing instead (more API calls, same result).",
        }),
    });
  }

  #context(): RunContext {
    const options = this.#options;
    const random = options.random ?? Math.random;
    const emit = (event: LaunchEvent): void => options.observe(event, this.#view());
    return {
      plan: options.plan,
      jobs: new Map(options.plan.jobs.map((job) => [job.name, job])),
      policy: options.policy,
      state: this.#state,
      backend: options.backend,
      clock: options.clock,
      random,
      describer: options.describer ?? createDescriber(options.backend),
      gate: new ConcurrencyGate(options.policy, options.clock, random, emit),
      bucket: createTokenBucket(options.policy.launchRate, options.clock),
      buildRequest: options.buildRequest,
      ...(options.observer !== undefined ? { observer: options.observer } : {}),
      halt: this.#halt.signal,
      terminating: new Map(),
      emit,
      record: (entry) => this.#record(entry),
      stopLaunching: (reason, error) => this.#stopLaunching(reason, error),
    };
  }

  #view(): CampaignView {
    const now = this.#options.clock.now();
    const concurrency = this.#ctx.gate.concurrency;
    const state = this.#state;
    const cost = this.#options.plan.cost;
    let figures: ProgressFigures | undefined;
    return {
      counts: state.counts(),
      costUsd: state.costUsd(cost.usdPerHour),
      concurrency,
      elapsedMs: now - this.#startedAt,
      // Walks the running jobs: computed when an observer reads it (the live line on a terminal), not on every event.
      get figures() {
        figures ??= progressFigures(state, cost, now, concurrency);
        return figures;
      },
    };
  }

  #journalWarned = false;

  async #record(entry: Parameters<Journal["append"]>[0]): Promise<void> {
    try {
      await this.#options.journal.append(entry);
    } catch (error) {
      if (this.#journalWarned) return;
      this.#journalWarned = true;
      const message = error instanceof Error ? error.message : String(error);
      this.#ctx.emit({
        type: "warning",
        message: `Could not write the local journal (${message}); the campaign goes on, SageMaker keeps the truth.`,
      });
    }
  }

  #stopLaunching(reason: StopReason, error?: unknown): void {
    if (this.#halt.signal.aborted) return;
    this.#outcome = reason;
    if (error !== undefined) this.#error = error;
    this.#halt.abort();
    this.#ctx.gate.clear();
  }

  /** A watched job changed: keep its record current and tell it; an end frees a slot. */
  #changed(snapshot: JobSnapshot): void {
    const record = this.#state.get(snapshot.name);
    if (record !== undefined && isLive(record)) {
      const createdAt = snapshot.createdAt || record.createdAt;
      this.#state.put({
        ...record,
        ...(snapshot.status === "Stopping" ? { state: "stopping" } : {}),
        ...(createdAt !== undefined ? { createdAt } : {}),
        ...(snapshot.secondaryStatus !== undefined ? { secondaryStatus: snapshot.secondaryStatus } : {}),
      });
    }
    const { name, status, secondaryStatus } = snapshot;
    this.#ctx.emit({ type: "status", name, status, ...(secondaryStatus !== undefined ? { secondaryStatus } : {}) });
    if (status === "Completed" || status === "Failed" || status === "Stopped" || status === "Deleting") this.#ctx.gate.jobEnded();
  }

  /** A slot: create the job if it does not exist yet, then follow it to its end. */
  async #occupySlot(record: JobRecord): Promise<JobSnapshot | undefined> {
    if (record.state === "not-started" && !(await createAttempt(this.#ctx, record))) return undefined;
    return this.#follower.watch(record.name, record.createdAt);
  }

  #schedule(record: JobRecord): void {
    this.#pending++;
    this.#ctx.gate
      .run(() => this.#occupySlot(record))
      .then(async (ended) => {
        if (ended === undefined) return;
        const next = await settleEnded(this.#ctx, ended);
        if (next !== undefined && !this.#halt.signal.aborted) this.#schedule(next);
      })
      .catch((error: unknown) => {
        // p-limit rejects the points it drops on clearQueue: that is a halt, not an error.
        if (!this.#halt.signal.aborted) this.#stopLaunching("error", error);
      })
      .finally(() => {
        if (--this.#pending === 0) this.#allSettled();
      });
  }

  async start(): Promise<CampaignResult> {
    if (this.#state.points("failed") > this.#options.policy.maxFailures) {
      this.#outcome = "failure-limit";
      return this.#result();
    }
    const settled = new Promise<void>((resolve) => (this.#allSettled = resolve));
    const onAbort = (): void => this.#stopLaunching("interrupted");
    if (this.#options.signal.aborted) onAbort();
    this.#options.signal.addEventListener("abort", onAbort, { once: true });
    const done = new AbortController();
    const following = this.#follower
      .run(AbortSignal.any([this.#halt.signal, done.signal]))
      .catch((error) => this.#stopLaunching("error", error));
    const observing = observeRunning(this.#ctx, AbortSignal.any([this.#halt.signal, done.signal]));
    const unsubscribe = this.#options.backend.onRetry(({ operation, waitMs, code }) =>
      this.#ctx.emit({ type: "throttled", operation, waitMs, code }),
    );
    // Jobs already running take their slots first; then the points still to launch, in plan order.
    const initial = [...this.#state.records()];
    for (const record of initial) if (isLive(record) && !this.#halt.signal.aborted) this.#schedule(record);
    for (const record of initial) if (record.state === "not-started" && !this.#halt.signal.aborted) this.#schedule(record);
    if (this.#pending === 0) this.#allSettled();
    await settled;
    done.abort();
    await Promise.all([following, observing]);
    unsubscribe();
    this.#options.signal.removeEventListener("abort", onAbort);
    // Said once every create in flight has answered, so the count of jobs left running is exact.
    if (this.#outcome !== "finished") this.#ctx.emit({ type: "stopped-launching", reason: this.#outcome, running: this.#state.holding });
    return this.#result();
  }

  #result(): CampaignResult {
    return {
      outcome: this.#outcome,
      state: this.#state,
      concurrency: this.#ctx.gate.concurrency,
      follower: this.#follower.stats,
      ...(this.#error !== undefined ? { error: this.#error } : {}),
    };
  }
}

function isLive(record: JobRecord): boolean {
  return record.state === "in-progress" || record.state === "stopping";
}
