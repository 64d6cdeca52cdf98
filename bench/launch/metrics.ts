/**
 * The launcher's figures of merit, computed from what the stand-in recorded (each job's creation
 * and end on the shared simulated clock), so they measure what happened on "SageMaker", not what
 * the launcher believes. Pure; times in simulated milliseconds.
 */
export interface JobSpan {
  readonly createdAt: number;
  readonly endedAt: number;
}

/** Slot-seconds: busy = Σ job durations; idle = Σ free slots over time while some point still waited. */
export function slotUsage(
  jobs: readonly JobSpan[],
  concurrency: number,
  campaignStart: number,
): { busySeconds: number; idleWhileWaitingSeconds: number } {
  const busySeconds = jobs.reduce((sum, job) => sum + (job.endedAt - job.createdAt) / 1000, 0);
  // Points wait until the last one is created: integrate the free slots from the start to that moment.
  const lastCreate = Math.max(...jobs.map((job) => job.createdAt));
  const changes: [number, number][] = [];
  for (const job of jobs) {
    changes.push([job.createdAt, 1]);
    if (job.endedAt < lastCreate) changes.push([job.endedAt, -1]);
  }
  changes.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let idleMs = 0;
  let running = 0;
  let at = campaignStart;
  for (const [time, delta] of changes) {
    if (time > lastCreate) break;
    idleMs += Math.max(0, concurrency - running) * (time - at);
    running += delta;
    at = time;
  }
  return { busySeconds, idleWhileWaitingSeconds: idleMs / 1000 };
}

/**
 * Refill latency: the i-th job end (in time order) frees the slot that the (concurrency + i)-th
 * create fills. Only ends before the last create count (after it, nothing waits).
 */
export function refillLatencies(jobs: readonly JobSpan[], concurrency: number): number[] {
  const creates = jobs.map((job) => job.createdAt).sort((a, b) => a - b);
  const lastCreate = creates.at(-1) ?? 0;
  const ends = jobs
    .map((job) => job.endedAt)
    .filter((end) => end <= lastCreate)
    .sort((a, b) => a - b);
  const latencies: number[] = [];
  ends.forEach((end, index) => {
    const refill = creates[concurrency + index];
    if (refill !== undefined) latencies.push(refill - end);
  });
  return latencies;
}

/** The q-quantile (0..1) of `values`, nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

/** Makespan over its lower bound max(total work / concurrency, longest job). */
export function makespanRatio(
  jobs: readonly JobSpan[],
  concurrency: number,
  campaignStart: number,
): { makespanSeconds: number; lowerBoundSeconds: number; ratio: number } {
  const durations = jobs.map((job) => (job.endedAt - job.createdAt) / 1000);
  const lowerBoundSeconds = Math.max(durations.reduce((a, b) => a + b, 0) / concurrency, Math.max(...durations));
  const makespanSeconds = (Math.max(...jobs.map((job) => job.endedAt)) - campaignStart) / 1000;
  return { makespanSeconds, lowerBoundSeconds, ratio: makespanSeconds / lowerBoundSeconds };
}
