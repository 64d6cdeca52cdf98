import type { Clock } from "../backend/clock.js";
import type { LaunchRate } from "./policy.js";

/**
 * A token bucket for CreateTrainingJob: SageMaker throttles bursts of creates even from a few
 * parallel clients (docs/sources.md#quotas: AWS's advice is about 1-2 requests per second), so the
 * launcher spends tokens at `perSecond` with bursts up to `burst`. Takers are served in order.
 */
export interface TokenBucket {
  /** Resolves when a token is taken; rejects when `signal` aborts first. */
  take(signal?: AbortSignal): Promise<void>;
}

/** Creates a bucket that starts full. */
export function createTokenBucket(rate: LaunchRate, clock: Clock): TokenBucket {
  let tokens = rate.burst;
  let updatedAt = clock.now();
  let queue: Promise<void> = Promise.resolve();

  const refill = (): void => {
    const now = clock.now();
    tokens = Math.min(rate.burst, tokens + ((now - updatedAt) * rate.perSecond) / 1000);
    updatedAt = now;
  };

  const takeInTurn = async (signal?: AbortSignal): Promise<void> => {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      refill();
      if (tokens >= 1) {
        tokens -= 1;
        return;
      }
      await clock.sleep(Math.ceil(((1 - tokens) * 1000) / rate.perSecond), signal);
    }
  };

  return {
    take(signal) {
      const turn = queue.then(() => takeInTurn(signal));
      // The next taker waits for this one whether it got a token or was aborted.
      queue = turn.catch(() => undefined);
      return turn;
    },
  };
}
