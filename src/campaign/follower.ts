import { classifyAwsError, isRetryable } from "../backend/classify.js";
import type { Clock } from "../backend/clock.js";
import type { JobEventSource } from "../backend/sqs-events.js";
import { isTerminal, type JobDetails, type JobSnapshot, type TrainingBackend, type TrainingJobStatus } from "../backend/types.js";
import type { Describer } from "./describe.js";

/**
 * Follows the campaign's running jobs with as few SageMaker calls as possible: one listing pass
 * per tick for the whole campaign, of the jobs in progress only (ListTrainingJobs StatusEquals,
 * pages of 100, so a pass costs `running / 100` calls however long the campaign), never a describe
 * per running job. A watched job missing from the pass has ended (or is stopping): it is described
 * once, which is also the describe its end needs. With an events queue, the state-change events
 * tell the ends and the same pass runs, rarer and rarer, as a safety net for lost events. Every
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
  /** Describes jobs missing from a pass (shared with the rest of the campaign, so bounded). */
  readonly describer: Describer;
  /** A watched job changed: status, secondary status, or ended. */
  readonly onChange: (snapshot: JobSnapshot) => void;
  /**
   * Whether points wait for a slot: then an end seen sooner is a slot refilled sooner, so ticks
   * stay at the base interval. Otherwise (only the last jobs left) they stretch, up to 4x.
   */
  readonly pointsWaiting?: () => boolean;
}

/** A job's end as the follower learnt it: a listing or event snapshot, or its full details when it described it. */
export type EndedJob = JobSnapshot | JobDetails;

/** Listing passes so far, the most ListTrainingJobs calls one pass needed, and the describes of jobs missing from a pass. */
export interface FollowerStats {
  readonly ticks: number;
  readonly maxListCallsPerTick: number;
  readonly absentDescribes: number;
}

interface Watch {
  readonly name: string;
  /** Clock time the watch began: a job created a moment ago may not be listed yet. */
  readonly since: number;
  /** Whether a pass has listed it (then missing from a later pass means it left InProgress). */
  seen: boolean;
  status: TrainingJobStatus;
  secondaryStatus: string | undefined;
  readonly resolve: (ended: EndedJob | undefined) => void;
}

/** A job missing from this many poll intervals' worth of passes since its watch began is looked up. */
const GRACE_INTERVALS = 2;

/** Ends kept for jobs not watched yet. */
const MAX_EARLY_ENDS = 1000;

/** The follower of one campaign; nothing is called until `run` and a first `watch`. */
export class Follower {
  readonly #options: FollowerOptions;
  readonly #watches = new Map<string, Watch>();
  /** Ends seen before their watch began (a job adopted at reconcile that ended while it waited for a slot); bounded. */
  readonly #endedEarly = new Map<string, EndedJob>();
  readonly #stats = { ticks: 0, maxListCallsPerTick: 0, absentDescribes: 0 };
  #wakeIdle: (() => void) | undefined;
  #stopped = false;
  #interval: number;
  #slowdown = 1;

  constructor(options: FollowerOptions) {
    this.#options = options;
    this.#interval = options.pollIntervalMs;
  }

  get stats(): FollowerStats {
    return { ...this.#stats };
  }

  /** Resolves with the job's end, or undefined when following stops first. `seen`: a listing already showed it running. */
  watch(name: string, seen = false): Promise<EndedJob | undefined> {
    const ended = this.#endedEarly.get(name);
    if (ended !== undefined) {
      this.#endedEarly.delete(name);
      return Promise.resolve(ended);
    }
    if (this.#stopped) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.#watches.set(name, {
        name,
        since: this.#options.clock.now(),
        seen,
        status: "InProgress",
        secondaryStatus: undefined,
        resolve,
      });
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
        listingEvery = (await this.#listOnce(signal)) ? reconcileIntervalMs : Math.min(2 * listingEvery, maxListingEvery);
      }
      if (received === 0 && !events.waitsForEvents) await clock.sleep(pollIntervalMs, signal);
    }
  }

  /** Tells a watched job's news; resolves its watch when it ended. */
  #settle(snapshot: EndedJob): void {
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

  /** One pass over the jobs in progress (and stopping, when one of ours is); true when it found an end. */
  async #listOnce(signal: AbortSignal): Promise<boolean> {
    const { backend, namePrefix, clock } = this.#options;
    const before = backend.calls.ListTrainingJobs ?? 0;
    const startedAt = clock.now();
    const stopping = [...this.#watches.values()].some((watch) => watch.status === "Stopping");
    let listed: JobSnapshot[];
    try {
      listed = await backend.listJobs(namePrefix, { status: "InProgress", signal });
      if (stopping) listed.push(...(await backend.listJobs(namePrefix, { status: "Stopping", signal })));
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
    const present = new Set<string>();
    for (const snapshot of listed) {
      present.add(snapshot.name);
      const watch = this.#watches.get(snapshot.name);
      if (watch !== undefined) watch.seen = true;
      this.#settle(snapshot);
    }
    return this.#lookUpMissing(present, startedAt, signal);
  }

  /** Describes the watched jobs a pass did not list (once a pass could have listed them); true when one had ended. */
  async #lookUpMissing(present: ReadonlySet<string>, passStartedAt: number, signal: AbortSignal): Promise<boolean> {
    const grace = GRACE_INTERVALS * this.#options.pollIntervalMs;
    const missing = [...this.#watches.values()].filter(
      (watch) => !present.has(watch.name) && watch.since < passStartedAt && (watch.seen || passStartedAt - watch.since >= grace),
    );
    let ended = false;
    await Promise.all(
      missing.map(async (watch) => {
        this.#stats.absentDescribes++;
        let details: JobDetails | undefined;
        try {
          details = await this.#options.describer.describe(watch.name, signal);
        } catch (error) {
          if (signal.aborted || isRetryable(classifyAwsError(error).kind)) return; // the next pass asks again
          throw error;
        }
        // Gone (deleted) while it ran: it ended, with nothing left to read.
        const snapshot: EndedJob = details ?? { name: watch.name, status: "Deleting", createdAt: 0 };
        if (isTerminal(snapshot.status)) ended = true;
        this.#settle(snapshot);
      }),
    );
    return ended;
  }

  async #receiveOnce(signal: AbortSignal): Promise<number> {
    const source = this.#options.events;
    if (source === undefined) return 0;
    try {
      const events = await source.receive(signal);
      for (const event of events) {
        this.#settle({
          name: event.name,
          status: event.status,
          createdAt: 0,
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
