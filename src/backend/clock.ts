/**
 * Time as the launcher and the backend see it. Passed in, so tests and the stand-in share one
 * fake clock and nothing ever waits for real (`sleep` advances the fake clock).
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock: Date.now and setTimeout. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};

/**
 * Exponential backoff with "equal jitter" (AWS Architecture Blog, "Exponential Backoff And Jitter"):
 * a random delay in [c/2, c) with c = min(cap, base * 2^attempt), so retries spread out but never
 * come back at once. `attempt` counts from 0.
 */
export function backoffMs(attempt: number, options: { baseMs: number; capMs: number; random: () => number }): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(ceiling / 2 + (options.random() * ceiling) / 2);
}
