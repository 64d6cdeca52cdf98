import { classifyAwsError, isRetryable } from "./classify.js";
import type { Clock } from "./clock.js";
import type { RetryListener } from "./types.js";

/**
 * Retry in one place (style.md item 10): every AWS call of the SageMaker and SQS backends goes
 * through a retrier, which repeats throttled and transient failures with exponential backoff and
 * jitter on the injected clock, up to a number of attempts, and counts every call. Nothing above
 * the backends retries these errors again: a call that still fails has failed.
 */

/** Exponential backoff: the first wait's ceiling and the largest ceiling, in ms. */
export interface Backoff {
  readonly baseMs: number;
  readonly capMs: number;
}

/** How a backend retries: attempts per call (the first included) and the backoff between them. */
export interface RetryPolicy extends Backoff {
  readonly maxAttempts: number;
}

/** SageMaker: 8 attempts, 0.5 s to 20 s between them (docs/sources.md#quotas). */
export const SAGEMAKER_RETRY: RetryPolicy = { maxAttempts: 8, baseMs: 500, capMs: 20_000 };

/** SQS: 6 attempts, 0.2 s to 5 s. */
export const SQS_RETRY: RetryPolicy = { maxAttempts: 6, baseMs: 200, capMs: 5000 };

/**
 * Exponential backoff with "equal jitter" (AWS Architecture Blog, "Exponential Backoff And Jitter"):
 * a random delay in [c/2, c) with c = min(cap, base * 2^attempt), so retries spread out but never
 * come back at once. `attempt` counts from 0.
 */
export function backoffMs(attempt: number, backoff: Backoff, random: () => number): number {
  const ceiling = Math.min(backoff.capMs, backoff.baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(ceiling / 2 + (random() * ceiling) / 2);
}

export interface Retrier {
  /**
   * Calls `send` until it answers, fails with an error not worth retrying, or runs out of
   * attempts; rejects with a BackendError. An aborted `signal` ends the waiting at once.
   */
  run<T>(operation: string, send: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Calls made so far by operation, retries included. */
  readonly calls: Readonly<Record<string, number>>;
  /** Tells `listener` about every retry from now on; returns the function that stops it. */
  onRetry(listener: RetryListener): () => void;
}

export interface RetrierOptions {
  readonly clock: Clock;
  readonly policy: RetryPolicy;
  readonly random?: () => number;
}

/** A retrier with its own call counts. */
export function createRetrier(options: RetrierOptions): Retrier {
  const { clock, policy } = options;
  const random = options.random ?? Math.random;
  const calls: Record<string, number> = {};
  const listeners = new Set<RetryListener>();
  return {
    calls,
    onRetry(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async run(operation, send, signal) {
      for (let attempt = 0; ; attempt++) {
        calls[operation] = (calls[operation] ?? 0) + 1;
        try {
          return await send();
        } catch (error) {
          const classified = classifyAwsError(error);
          if (!isRetryable(classified.kind) || attempt + 1 >= policy.maxAttempts || signal?.aborted) throw classified;
          const waitMs = backoffMs(attempt, policy, random);
          for (const listener of listeners) listener({ operation, retry: attempt + 1, waitMs, code: classified.code });
          await clock.sleep(waitMs, signal);
        }
      }
    },
  };
}
