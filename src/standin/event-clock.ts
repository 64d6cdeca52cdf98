import type { Clock } from "../backend/clock.js";

/**
 * A discrete-event clock, for simulations in one process (the tests' one fake clock, and the
 * benchmark of the launcher's own cost). `sleep` queues a timer and time jumps to the
 * earliest one, one timer per turn of the event loop (so the code woken runs before time moves
 * on). Nothing waits for real; the stand-in, the in-memory SageMaker and the code under test read
 * the same `now`. A test may also move time itself (`advance`), and hear every sleep (`onSleep`,
 * called when a sleep's time has come, before the sleeper wakes: the place to change the world).
 */
export interface FakeClock extends Clock {
  /** Timers still queued. */
  readonly pending: number;
  /** Every sleep asked for, in ms, in order. */
  readonly sleeps: readonly number[];
  /** Moves time on by `ms` (timers due meanwhile fire on their turn). */
  advance(ms: number): void;
}

export interface FakeClockOptions {
  readonly start?: number;
  readonly onSleep?: (clock: FakeClock) => void | Promise<void>;
}

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fire: () => Promise<void>;
}

/** A fake clock at `start` (default 2030-01-01). */
export function createFakeClock(options: FakeClockOptions | number = {}): FakeClock {
  const { start = Date.UTC(2030, 0, 1), onSleep } = typeof options === "number" ? { start: options } : options;
  let now = start;
  let seq = 0;
  let scheduled = false;
  const timers: Timer[] = [];
  const sleeps: number[] = [];

  const fireNext = async (): Promise<void> => {
    scheduled = false;
    timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const timer = timers.shift();
    if (timer === undefined) return;
    now = Math.max(now, timer.at);
    await timer.fire();
    schedule();
  };
  const schedule = (): void => {
    if (scheduled || timers.length === 0) return;
    scheduled = true;
    setImmediate(() => void fireNext());
  };

  const clock: FakeClock = {
    now: () => now,
    get pending() {
      return timers.length;
    },
    sleeps,
    advance(ms) {
      now += ms;
    },
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        sleeps.push(ms);
        const onAbort = (): void => {
          const index = timers.indexOf(timer);
          if (index >= 0) timers.splice(index, 1);
          reject(signal?.reason);
        };
        const timer: Timer = {
          at: now + Math.max(0, ms),
          seq: seq++,
          fire: async () => {
            await onSleep?.(clock);
            signal?.removeEventListener("abort", onAbort);
            if (signal?.aborted) reject(signal.reason);
            else resolve();
          },
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        timers.push(timer);
        schedule();
      });
    },
  };
  return clock;
}
