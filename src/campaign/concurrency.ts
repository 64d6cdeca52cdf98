import pLimit, { type LimitFunction } from "p-limit";
import { quotaFromMessage } from "../backend/classify.js";
import type { Clock } from "../backend/clock.js";
import type { LaunchEvent } from "./events.js";
import { type CampaignPolicy, creepUp, quotaWaitMs, stepDown } from "./policy.js";

/**
 * The slots: p-limit around "create, then wait until the job ends", so the limit counts training
 * jobs in progress, not API calls (style.md item 9). The concurrency steps down to what a full
 * quota allows and creeps back up after a quiet spell (policy.ts); points refused for quota wait
 * for one of the campaign's jobs to end.
 */
export class ConcurrencyGate {
  readonly #limit: LimitFunction;
  readonly #policy: CampaignPolicy;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #emit: (event: LaunchEvent) => void;
  readonly #quotaWaiters: (() => void)[] = [];
  #lastQuotaAt = Number.NEGATIVE_INFINITY;

  constructor(policy: CampaignPolicy, clock: Clock, random: () => number, emit: (event: LaunchEvent) => void) {
    this.#limit = pLimit({ concurrency: policy.maxConcurrency, rejectOnClear: true });
    this.#policy = policy;
    this.#clock = clock;
    this.#random = random;
    this.#emit = emit;
  }

  /** Jobs allowed in progress now. */
  get concurrency(): number {
    return this.#limit.concurrency;
  }

  /** Whether a point waits for a slot or for the quota. */
  get pointsWaiting(): boolean {
    return this.#limit.pendingCount > 0 || this.#quotaWaiters.length > 0;
  }

  /** Runs `occupy` in a slot; the slot is held until it settles. */
  run<T>(occupy: () => Promise<T>): Promise<T> {
    return this.#limit(occupy);
  }

  /** Drops every point still waiting for a slot (they reject). */
  clear(): void {
    this.#limit.clearQueue();
  }

  /** ResourceLimitExceeded: step the concurrency down to what the account allows, and say which quota. */
  quotaFull(message: string, holding: number): void {
    this.#lastQuotaAt = this.#clock.now();
    const target = stepDown(this.#limit.concurrency, holding);
    if (target === this.#limit.concurrency) return;
    this.#limit.concurrency = target;
    const quota = quotaFromMessage(message);
    const max = this.#policy.maxConcurrency;
    const named =
      quota.name !== undefined
        ? `SageMaker quota '${quota.name}'${quota.limit !== undefined ? ` (${quota.limit} instances)` : ""}`
        : "A SageMaker quota";
    this.#emit({
      type: "quota",
      ...(quota.name !== undefined ? { quota: quota.name } : {}),
      ...(quota.limit !== undefined ? { quotaLimit: quota.limit } : {}),
      concurrency: target,
      maxConcurrency: max,
      message:
        `${named} is full: running at most ${target} job${target === 1 ? "" : "s"} at once instead of ${max}; ` +
        `the other points wait for a job to end. To run more, ask for a higher quota in Service Quotas${quota.name !== undefined ? ` ('${quota.name}')` : ""}.`,
    });
  }

  /** A job ended: one quota waiter may try again, and after a quiet spell the concurrency creeps back up. */
  jobEnded(): void {
    this.#quotaWaiters.shift()?.();
    const next = creepUp(this.#policy, this.#limit.concurrency, this.#clock.now() - this.#lastQuotaAt);
    if (next === this.#limit.concurrency) return;
    this.#limit.concurrency = next;
    this.#emit({ type: "concurrency", concurrency: next });
  }

  /** Waits for a job to end or, when none of ours runs, for a growing pause; false when `halt` aborted. */
  async waitForQuota(round: number, halt: AbortSignal): Promise<boolean> {
    const wake = new AbortController();
    const signal = AbortSignal.any([halt, wake.signal]);
    const waiter = (): void => wake.abort();
    this.#quotaWaiters.push(waiter);
    try {
      await this.#clock.sleep(quotaWaitMs(this.#policy, round, this.#random), signal);
    } catch {
      // Woken by a job's end, or halted.
    } finally {
      const index = this.#quotaWaiters.indexOf(waiter);
      if (index >= 0) this.#quotaWaiters.splice(index, 1);
    }
    return !halt.aborted;
  }
}
