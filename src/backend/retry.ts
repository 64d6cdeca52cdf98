import { classifyAwsError, isRetryable } from "./classify.js";
import { backoffMs, type Clock } from "./clock.js";

/** How a client retries throttled and transient calls, on an injected clock (so tests never wait). */
export interface RetryPolicy {
  readonly clock: Clock;
  readonly random: () => number;
  /** Attempts per call, the first included. */
  readonly maxAttempts: number;
  readonly backoff: { readonly baseMs: number; readonly capMs: number };
}

interface SendMetadata {
  readonly $metadata?: { readonly attempts?: number };
}

/**
 * Calls `send` until it succeeds, retrying what classify.ts calls retryable with equal-jitter
 * backoff (docs/sources.md#quotas), and counts every attempt in `calls[operation]`. Rejects with
 * the classified BackendError once attempts run out, the error is not retryable or `signal` aborts.
 */
export async function callWithRetries<T>(
  operation: string,
  send: () => Promise<T>,
  policy: RetryPolicy,
  calls: Record<string, number>,
  signal?: AbortSignal,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      const output = await send();
      calls[operation] = (calls[operation] ?? 0) + ((output as SendMetadata).$metadata?.attempts ?? 1);
      return output;
    } catch (error) {
      calls[operation] = (calls[operation] ?? 0) + ((error as SendMetadata).$metadata?.attempts ?? 1);
      const classified = classifyAwsError(error);
      if (!isRetryable(classified.kind) || attempt + 1 >= policy.maxAttempts || signal?.aborted) throw classified;
      await policy.clock.sleep(backoffMs(attempt, { ...policy.backoff, random: policy.random }), signal);
    }
  }
}
