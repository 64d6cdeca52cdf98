import { classifyAwsError, isRetryable } from "./classify.js";
import type { Clock } from "./clock.js";
import type { RetryListener } from "./types.js";

/**
 * Retry in one place (style.md item 10): every AWS call of the backends (SageMaker, SQS, STS,
 * CloudWatch, the tuning API) goes through `callWithRetry`, most of them through a retrier, which
 * repeats throttled and transient failures with exponential backoff and jitter on the injected
 * clock, up to a number of attempts, and counts every call. Nothing above the backends retries
 * these errors again: a call that still fails has failed.
 */

/** Exponential backoff: the first wait's ceiling and the largest ceiling, in ms. */
export interface Backoff {
  readonly baseMs: number;
  readonly capMs: number;
}

/** How many times a backend tries a call (the first included) and the backoff between tries. */
export interface RetryLimits extends Backoff {
  readonly maxAttempts: number;
}

/** SageMaker: 8 attempts, 0.5 s to 20 s between them (docs/sources.md#quotas). */
export const SAGEMAKER_RETRY: RetryLimits = { maxAttempts: 8, baseMs: 500, capMs: 20_000 };

/** SQS: 6 attempts, 0.2 s to 5 s. */
export const SQS_RETRY: RetryLimits = { maxAttempts: 6, baseMs: 200, capMs: 5000 };

/** The limits with the clock and the jitter's source: everything one call's retries need. */
export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly backoff: Backoff;
  readonly clock: Clock;
  readonly random: () => number;
}

interface SendMetadata {
  readonly $metadata?: { readonly attempts?: number };
}

/**
 * The one retry loop: runs `send` until it answers, fails with an error not worth retrying, or
 * runs out of attempts (then rejects with the classified BackendError). Counts every attempt the
 * SDK made under `calls[operation]`, and tells `onRetry` of each retry before its wait.
 */
export async function callWithRetry<T>(
  operation: string,
  calls: Record<string, number>,
  policy: RetryPolicy,
  send: () => Promise<T>,
  signal?: AbortSignal,
  onRetry?: RetryListener,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      const output = await send();
      calls[operation] = (calls[operation] ?? 0) + ((output as SendMetadata | undefined)?.$metadata?.attempts ?? 1);
      return output;
    } catch (error) {
      calls[operation] = (calls[operation] ?? 0) + ((error as SendMetadata | undefined)?.$metadata?.attempts ?? 1);
      const classified = classifyAwsError(error);
      if (!isRetryable(classified.kind) || attempt + 1 >= policy.maxAttempts || signal?.aborted) throw classified;
      const waitMs = backoffMs(attempt, policy.backoff, policy.random);
      onRetry?.({ operation, retry: attempt + 1, waitMs, code: systemErrorCode(error) ?? classified.code });
      await policy.clock.sleep(waitMs, signal);
    }
  }
}

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
  readonly policy: RetryLimits;
  readonly random?: () => number;
}

/** A retrier with its own call counts. */
export function createRetrier(options: RetrierOptions): Retrier {
  const { clock, policy } = options;
  const random = options.random ?? Math.random;
  const calls: Record<string, number> = {};
  const listeners = new Set<RetryListener>();
  const retryPolicy: RetryPolicy = { maxAttempts: policy.maxAttempts, backoff: policy, clock, random };
  return {
    calls,
    onRetry(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    run(operation, send, signal) {
      const notify: RetryListener = (notice) => {
        for (const listener of listeners) listener(notice);
      };
      return callWithRetry(operation, calls, retryPolicy, send, signal, notify);
    },
  };
}

/** ECONNREFUSED, ENOTFOUND...: what a network failure was, where the SDK's error name says only "Error". */
function systemErrorCode(error: unknown): string | undefined {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" && /^E[A-Z_]+$/.test(code) ? code : undefined;
}
