import type { Clock } from "../../src/backend/clock.js";

/**
 * A discrete-event clock for tests: `sleep` queues a timer and time jumps to the earliest one,
 * one timer per turn of the event loop (so the code woken runs before time moves on). Nothing
 * waits for real; the stand-in and the fakes read the same `now`.
 */
export interface FakeClock extends Clock {
  /** Timers still queued. */
  readonly pending: number;
}

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly resolve: () => void;
}

export function createFakeClock(start = Date.UTC(2030, 0, 1)): FakeClock {
  let now = start;
  let seq = 0;
  let scheduled = false;
  const timers: Timer[] = [];

  const fireNext = (): void => {
    scheduled = false;
    timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const timer = timers.shift();
    if (timer === undefined) return;
    now = Math.max(now, timer.at);
    timer.resolve();
    schedule();
  };
  const schedule = (): void => {
    if (scheduled || timers.length === 0) return;
    scheduled = true;
    setImmediate(fireNext);
  };

  return {
    now: () => now,
    get pending() {
      return timers.length;
    },
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const timer: Timer = {
          at: now + Math.max(0, ms),
          seq: seq++,
          resolve: () => {
            signal?.removeEventListener("abort", onAbort);
            resolve();
          },
        };
        const onAbort = (): void => {
          const index = timers.indexOf(timer);
          if (index >= 0) timers.splice(index, 1);
          reject(signal?.reason);
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        timers.push(timer);
        schedule();
      });
    },
  };
}
