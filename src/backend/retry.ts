import { classifyAwsError, isRetryable } from "./classify.js";
import { backoffMs, type Clock } from "./clock.js";

/**
 * One SageMaker call with the project's retry rule (classify.ts decides what is retried):
 * throttled and transient errors are retried with equal-jitter backoff on the injected clock;
 * anything else, or the last attempt, rejects with a classified BackendError. Every attempt the
 * SDK made is counted under the operation's name.
 */

/** How calls are retried. */
export interface RetryPolicy {
  /** Attempts per call, the first one included. */
  readonly maxAttempts: number;
  readonly backoff: { readonly baseMs: number; readonly capMs: number };
  readonly clock: Clock;
  readonly random: () => number;
}

interface SendMetadata {
  readonly $metadata?: { readonly attempts?: number };
}

/** Runs `send` under `policy`, counting attempts in `calls[operation]`. */
export async function callWithRetry<T>(
  operation: string,
  calls: Record<string, number>,
  policy: RetryPolicy,
  send: () => Promise<T>,
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
