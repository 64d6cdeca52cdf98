import { classifyAwsError, isRetryable } from "../backend/classify.js";
import type { Clock } from "../backend/clock.js";
import type { JobEventSource } from "../backend/sqs-events.js";
import { isTerminal, type JobSnapshot, type TrainingBackend } from "../backend/types.js";

/**
 * Follows the campaign's running jobs with as few SageMaker calls as possible: one
 * ListTrainingJobs pass per tick for the whole campaign (pages of 100, narrowed by creation time),
 * never a DescribeTrainingJob per running job; or, with an events queue, the state-change events,
 * with a slow listing as a safety net for lost events. Every wait is on the injected clock.
 */
export interface FollowerOptions {
  readonly backend: TrainingBackend;
  /** `<campaign>-`: every job of the campaign starts with it. */
  readonly namePrefix: string;
  readonly clock: Clock;
  /** The base poll interval; ticks stretch to 4x when no point waits for a slot, and to 8x while throttled. */
  readonly pollIntervalMs: number;
  readonly events?: JobEventSource & { readonly waitsForEvents: boolean };
  /**
   * With events: how soon to list anyway, for events that never came. The interval doubles each
   * time a listing finds nothing the events had not said, up to `maxReconcileIntervalMs`.
   */
  readonly reconcileIntervalMs: number;
  readonly maxReconcileIntervalMs?: number;
  /** A watched job changed state (secondary status, or ended). */
  readonly onChange: (snapshot: JobSnapshot) => void;
  /**
   * Whether points wait for a slot: then an end seen sooner is a slot refilled sooner, so ticks
   * stay at the base interval. Otherwise (only the last jobs left) they stretch, up to 4x.
   */
  readonly pointsWaiting?: () => boolean;
  /** The latest server creation time already seen (from the reconcile listing), if any. */
  readonly createdWatermark?: number;
}

export interface Follower {
  /** Resolves with the job's terminal snapshot, or undefined when following stops first. */
  watch(name: string, createdAt?: number): Promise<JobSnapshot | undefined>;
  /** The loop; returns when `signal` aborts, rejects on an error that is not worth retrying. */
  run(signal: AbortSignal): Promise<void>;
  /** Listing passes so far and the most ListTrainingJobs calls one pass needed. */
  readonly stats: { readonly ticks: number; readonly maxListCallsPerTick: number };
}

interface Watch {
  readonly name: string;
  /** A server time at or before the job's creation, when one is known. */
  lowerBound: number | undefined;
  secondaryStatus: string | undefined;
  readonly resolve: (snapshot: JobSnapshot | undefined) => void;
}

/** Margin under the oldest creation time, for timestamps rounded by the service. */
const CREATED_MARGIN_MS = 1000;

/** Creates a follower; nothing is called until `run` and a first `watch`. */
export function createFollower(options: FollowerOptions): Follower {
  const { backend, clock, namePrefix } = options;
  const watches = new Map<string, Watch>();
  const endedSeen = new Map<string, JobSnapshot>();
  let watermark = options.createdWatermark;
  let wakeIdle: (() => void) | undefined;
  let stopped = false;
  let interval = options.pollIntervalMs;
  let slowdown = 1;
  const stats = { ticks: 0, maxListCallsPerTick: 0 };

  function settle(snapshot: JobSnapshot): void {
    const watch = watches.get(snapshot.name);
    if (isTerminal(snapshot.status)) endedSeen.set(snapshot.name, snapshot);
    if (watch === undefined) return;
    if (isTerminal(snapshot.status)) {
      watches.delete(snapshot.name);
      options.onChange(snapshot);
      watch.resolve(snapshot);
    } else if (snapshot.secondaryStatus !== watch.secondaryStatus) {
      watch.secondaryStatus = snapshot.secondaryStatus;
      options.onChange(snapshot);
    }
  }

  /** Jobs created after this server time include every watched one. */
  function createdAfter(): number | undefined {
    let oldest = Number.POSITIVE_INFINITY;
    for (const watch of watches.values()) {
      if (watch.lowerBound === undefined) return undefined;
      oldest = Math.min(oldest, watch.lowerBound);
    }
    return Number.isFinite(oldest) ? oldest - CREATED_MARGIN_MS : undefined;
  }

  async function listOnce(signal: AbortSignal): Promise<boolean> {
    const before = backend.calls.ListTrainingJobs ?? 0;
    const after = createdAfter();
    let snapshots: JobSnapshot[];
    try {
      snapshots = await backend.listJobs(namePrefix, { ...(after !== undefined ? { createdAfter: after } : {}), signal });
    } catch (error) {
      if (signal.aborted) return false;
      const classified = classifyAwsError(error);
      if (!isRetryable(classified.kind)) throw classified;
      slowdown = Math.min(8, slowdown * 2); // the account's API budget is shared: back off
      return false;
    } finally {
      stats.ticks++;
      stats.maxListCallsPerTick = Math.max(stats.maxListCallsPerTick, (backend.calls.ListTrainingJobs ?? 0) - before);
    }
    slowdown = Math.max(1, slowdown / 2);
    const endedBefore = endedSeen.size;
    for (const snapshot of snapshots) {
      watermark = Math.max(watermark ?? snapshot.createdAt, snapshot.createdAt);
      const watch = watches.get(snapshot.name);
      if (watch !== undefined) watch.lowerBound = snapshot.createdAt;
      settle(snapshot);
    }
    return endedSeen.size > endedBefore;
  }

  async function receiveOnce(signal: AbortSignal): Promise<number> {
    const source = options.events;
    if (source === undefined) return 0;
    try {
      const events = await source.receive(signal);
      for (const event of events) {
        const watch = watches.get(event.name);
        settle({
          name: event.name,
          status: event.status,
          createdAt: watch?.lowerBound ?? 0,
          ...(event.secondaryStatus !== undefined ? { secondaryStatus: event.secondaryStatus } : {}),
        });
      }
      return events.length;
    } catch (error) {
      if (signal.aborted) return 0;
      const classified = classifyAwsError(error);
      if (!isRetryable(classified.kind)) throw classified;
      return 0;
    }
  }

  async function run(signal: AbortSignal): Promise<void> {
    const stop = (): void => {
      stopped = true;
      for (const watch of watches.values()) watch.resolve(undefined);
      watches.clear();
      wakeIdle?.();
    };
    signal.addEventListener("abort", stop, { once: true });
    let lastListing = clock.now();
    let listingEvery = options.reconcileIntervalMs;
    const maxListingEvery = Math.max(options.reconcileIntervalMs, options.maxReconcileIntervalMs ?? 30 * 60_000);
    try {
      while (!signal.aborted) {
        if (watches.size === 0) {
          await new Promise<void>((resolve) => (wakeIdle = resolve));
          wakeIdle = undefined;
          continue;
        }
        if (options.events !== undefined) {
          const received = await receiveOnce(signal);
          if (clock.now() - lastListing >= listingEvery) {
            lastListing = clock.now();
            // Found an end the events missed: list often again; else trust the events more.
            listingEvery = (await listOnce(signal)) ? options.reconcileIntervalMs : Math.min(2 * listingEvery, maxListingEvery);
          }
          if (received === 0 && !options.events.waitsForEvents) await clock.sleep(options.pollIntervalMs, signal);
          continue;
        }
        await clock.sleep(interval * slowdown, signal);
        await listOnce(signal);
        // Adaptive: the base interval while a seen end frees a slot for a waiting point; slower otherwise.
        interval = options.pointsWaiting?.() !== false ? options.pollIntervalMs : Math.min(interval * 1.25, 4 * options.pollIntervalMs);
      }
    } catch (error) {
      if (!signal.aborted) throw error;
    } finally {
      signal.removeEventListener("abort", stop);
      stop();
    }
  }

  return {
    stats,
    run,
    watch(name, createdAt) {
      const ended = endedSeen.get(name);
      if (ended !== undefined) return Promise.resolve(ended);
      if (stopped) return Promise.resolve(undefined);
      return new Promise((resolve) => {
        watches.set(name, { name, lowerBound: createdAt ?? watermark, secondaryStatus: undefined, resolve });
        wakeIdle?.();
      });
    },
  };
}
