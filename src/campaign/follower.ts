import { classifyAwsError, isRetryable } from "../backend/classify.js";
import type { Clock } from "../backend/clock.js";
import type { JobEventSource } from "../backend/sqs-events.js";
import { isTerminal, type JobSnapshot, type TrainingBackend, type TrainingJobStatus } from "../backend/types.js";

/**
 * Follows the campaign's running jobs with as few SageMaker calls as possible: one listing pass
 * per tick for the whole campaign, never a describe per running job. A pass asks only for the
 * campaign's jobs whose status changed since the last pass (ListTrainingJobs LastModifiedTimeAfter,
 * from the latest change time SageMaker showed, less a margin): a page a tick however large the
 * campaign (docs/sources.md#campaign: LastModifiedTime moves on at each status change). Every quarter
 * of an hour (two hours with events) a full pass (the jobs created since the oldest one watched)
 * catches whatever a narrow pass could have missed. With an events queue, the state-change events tell
 * the changes, and the same passes run rarer and rarer as a safety net for lost events. Every
 * wait is on the injected clock.
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
  /** A watched job changed: status, secondary status, or ended. */
  readonly onChange: (snapshot: JobSnapshot) => void;
  /**
   * Whether points wait for a slot: then an end seen sooner is a slot refilled sooner, so ticks
   * stay at the base interval. Otherwise (only the last jobs left) they stretch, up to 4x.
   */
  readonly pointsWaiting?: () => boolean;
  /** The latest server creation time already seen (the reconcile listing's), a lower bound for new jobs. */
  readonly createdWatermark?: number;
  /**
   * Called once when a listing finds ends the events queue never told and the queue has told
   * nothing at all (a misrouted rule): the follower then lists at the poll interval, as without events.
   */
  readonly onEventsSilent?: () => void;
}

/** Listing passes so far, and the most ListTrainingJobs calls one pass needed. */
export interface FollowerStats {
  readonly ticks: number;
  readonly maxListCallsPerTick: number;
}

interface Watch {
  readonly name: string;
  /** A server time at or before the job's creation, when one is known. */
  lowerBound: number | undefined;
  status: TrainingJobStatus;
  secondaryStatus: string | undefined;
  readonly resolve: (ended: JobSnapshot | undefined) => void;
}

/** Margin under a creation time, for timestamps rounded by the service. */
const CREATED_MARGIN_MS = 1000;

/** Margin under the latest change time, for changes a listing did not show yet. */
const MODIFIED_MARGIN_MS = 60_000;

/**
 * At most this long between full passes (every job created since the oldest one watched): a
 * quarter of an hour when listings are the news, two hours when the events are and listings only
 * their safety net.
 */
const FULL_PASS_EVERY_MS = 15 * 60_000;
const FULL_PASS_WITH_EVENTS_EVERY_MS = 2 * 3_600_000;

/** Ends kept for jobs not watched yet (a job adopted at reconcile that ended while it waited for a slot). */
const MAX_EARLY_ENDS = 1000;

/** The follower of one campaign; nothing is called until `run` and a first `watch`. */
export class Follower {
  readonly #options: FollowerOptions;
  readonly #watches = new Map<string, Watch>();
  readonly #endedEarly = new Map<string, JobSnapshot>();
  readonly #stats = { ticks: 0, maxListCallsPerTick: 0 };
  /** Events received so far, and whether the queue was found silent (then listing is the news). */
  #eventsReceived = 0;
  #eventsSilent = false;
  /** A listing found a watched job ended more than a minute before: its event should have come by then. */
  #untoldEnd = false;
  /** The latest server creation time seen: new jobs are created after it. */
  #created: number | undefined;
  /** The latest server change time a full-enough pass showed: the next narrow pass starts from it. */
  #modified: number | undefined;
  #lastFullPass = Number.NEGATIVE_INFINITY;
  #wakeIdle: (() => void) | undefined;
  #stopped = false;
  #interval: number;
  #slowdown = 1;

  constructor(options: FollowerOptions) {
    this.#options = options;
    this.#interval = options.pollIntervalMs;
    this.#created = options.createdWatermark;
  }

  get stats(): FollowerStats {
    return { ...this.#stats };
  }

  /** Resolves with the job's end, or undefined when following stops first. `createdAt`: its server creation time, when known. */
  watch(name: string, createdAt?: number): Promise<JobSnapshot | undefined> {
    const ended = this.#endedEarly.get(name);
    if (ended !== undefined) {
      this.#endedEarly.delete(name);
      return Promise.resolve(ended);
    }
    if (this.#stopped) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const lowerBound = createdAt !== undefined && createdAt > 0 ? createdAt : this.#created;
      this.#watches.set(name, { name, lowerBound, status: "InProgress", secondaryStatus: undefined, resolve });
      this.#wakeIdle?.();
    });
  }

  /** The loop; returns when `signal` aborts, rejects on an error that is not worth going on after. */
  async run(signal: AbortSignal): Promise<void> {
    const stop = (): void => {
      this.#stopped = true;
      for (const watch of this.#watches.values()) watch.resolve(undefined);
      this.#watches.clear();
      this.#wakeIdle?.();
    };
    signal.addEventListener("abort", stop, { once: true });
    try {
      if (this.#options.events !== undefined) await this.#followEvents(signal);
      else await this.#poll(signal);
    } catch (error) {
      if (!signal.aborted) throw error;
    } finally {
      signal.removeEventListener("abort", stop);
      stop();
    }
  }

  async #idle(): Promise<void> {
    await new Promise<void>((resolve) => (this.#wakeIdle = resolve));
    this.#wakeIdle = undefined;
  }

  async #poll(signal: AbortSignal): Promise<void> {
    const { clock, pollIntervalMs, pointsWaiting } = this.#options;
    while (!signal.aborted) {
      if (this.#watches.size === 0) {
        await this.#idle();
        continue;
      }
      await clock.sleep(this.#interval * this.#slowdown, signal);
      await this.#listOnce(signal);
      // Adaptive: the base interval while a seen end frees a slot for a waiting point; slower otherwise.
      this.#interval = pointsWaiting?.() !== false ? pollIntervalMs : Math.min(this.#interval * 1.25, 4 * pollIntervalMs);
    }
  }

  async #followEvents(signal: AbortSignal): Promise<void> {
    const { clock, reconcileIntervalMs, pollIntervalMs } = this.#options;
    const events = this.#options.events as NonNullable<FollowerOptions["events"]>;
    const maxListingEvery = Math.max(reconcileIntervalMs, this.#options.maxReconcileIntervalMs ?? 30 * 60_000);
    let lastListing = clock.now();
    let listingEvery = reconcileIntervalMs;
    while (!signal.aborted) {
      if (this.#watches.size === 0) {
        await this.#idle();
        continue;
      }
      const received = await this.#receiveOnce(signal);
      if (clock.now() - lastListing >= listingEvery) {
        lastListing = clock.now();
        // Found an end the events missed: list often again; else trust the events more.
        const missed = await this.#listOnce(signal);
        listingEvery = missed ? reconcileIntervalMs : Math.min(2 * listingEvery, maxListingEvery);
        if ((missed || this.#untoldEnd) && this.#eventsReceived === 0 && !this.#eventsSilent) {
          this.#eventsSilent = true;
          this.#options.onEventsSilent?.();
        }
        if (this.#eventsSilent) listingEvery = pollIntervalMs;
      }
      if (received === 0 && !events.waitsForEvents) await clock.sleep(pollIntervalMs, signal);
    }
  }

  /** Tells a watched job's news; resolves its watch when it ended. */
  #settle(snapshot: JobSnapshot): void {
    const watch = this.#watches.get(snapshot.name);
    if (watch === undefined) {
      if (!isTerminal(snapshot.status)) return;
      this.#endedEarly.set(snapshot.name, snapshot);
      // Duplicated events of ends already told land here too: keep only the most recent few.
      if (this.#endedEarly.size > MAX_EARLY_ENDS) this.#endedEarly.delete(this.#endedEarly.keys().next().value as string);
      return;
    }
    if (isTerminal(snapshot.status)) {
      this.#watches.delete(snapshot.name);
      this.#options.onChange(snapshot);
      watch.resolve(snapshot);
    } else if (snapshot.status !== watch.status || snapshot.secondaryStatus !== watch.secondaryStatus) {
      watch.status = snapshot.status;
      watch.secondaryStatus = snapshot.secondaryStatus;
      this.#options.onChange(snapshot);
    }
  }

  /** The narrowing of this pass: jobs changed since the last one, or (every few passes, or first) jobs created since the oldest watched. */
  #narrowing(): { readonly createdAfter?: number; readonly modifiedAfter?: number } {
    const now = this.#options.clock.now();
    const every = this.#options.events !== undefined ? FULL_PASS_WITH_EVENTS_EVERY_MS : FULL_PASS_EVERY_MS;
    if (this.#modified !== undefined && now - this.#lastFullPass < every) {
      return { modifiedAfter: this.#modified - MODIFIED_MARGIN_MS };
    }
    this.#lastFullPass = now;
    let oldest = Number.POSITIVE_INFINITY;
    for (const watch of this.#watches.values()) {
      if (watch.lowerBound === undefined) return {};
      oldest = Math.min(oldest, watch.lowerBound);
    }
    return Number.isFinite(oldest) ? { createdAfter: oldest - CREATED_MARGIN_MS } : {};
  }

  /** One listing pass; true when it found an end that had happened well before it. */
  async #listOnce(signal: AbortSignal): Promise<boolean> {
    const { backend, namePrefix } = this.#options;
    const before = backend.calls.ListTrainingJobs ?? 0;
    const narrowing = this.#narrowing();
    let listed: JobSnapshot[];
    try {
      listed = await backend.listJobs(namePrefix, { ...narrowing, signal });
    } catch (error) {
      if (signal.aborted) return false;
      const classified = classifyAwsError(error);
      if (!isRetryable(classified.kind)) throw classified;
      this.#slowdown = Math.min(8, this.#slowdown * 2); // still throttled after the backend's retries: the account's budget is shared
      return false;
    } finally {
      this.#stats.ticks++;
      this.#stats.maxListCallsPerTick = Math.max(this.#stats.maxListCallsPerTick, (backend.calls.ListTrainingJobs ?? 0) - before);
    }
    this.#slowdown = Math.max(1, this.#slowdown / 2);
    const ended: JobSnapshot[] = [];
    for (const snapshot of listed) {
      this.#created = Math.max(this.#created ?? snapshot.createdAt, snapshot.createdAt);
      this.#modified = Math.max(this.#modified ?? 0, snapshot.lastModifiedAt ?? snapshot.createdAt);
      const watch = this.#watches.get(snapshot.name);
      if (watch !== undefined) watch.lowerBound = snapshot.createdAt;
      if (watch !== undefined && isTerminal(snapshot.status)) ended.push(snapshot);
      if (
        watch !== undefined &&
        isTerminal(snapshot.status) &&
        this.#options.clock.now() - (snapshot.lastModifiedAt ?? Number.POSITIVE_INFINITY) > 60_000
      ) {
        this.#untoldEnd = true;
      }
      this.#settle(snapshot);
    }
    // An end the events should long have told (not one whose event is merely on its way): events are being lost.
    const latest = this.#modified ?? 0;
    return ended.some((snapshot) => latest - (snapshot.lastModifiedAt ?? latest) > MODIFIED_MARGIN_MS);
  }

  async #receiveOnce(signal: AbortSignal): Promise<number> {
    const source = this.#options.events;
    if (source === undefined) return 0;
    try {
      const events = await source.receive(signal);
      this.#eventsReceived += events.length;
      for (const event of events) {
        const watch = this.#watches.get(event.name);
        this.#settle({
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
}
