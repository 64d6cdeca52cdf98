import { instanceCostUsd } from "../catalog/price.js";
import type { JobRecord } from "./records.js";
import { holdsSlot, JOB_STATES, type JobState } from "./states.js";

/**
 * The launcher's whole state: one record per job name in one Map (style.md item 2), with running
 * totals kept as records change, so that telling the counts after an event costs O(1) however
 * large the campaign: points per state (by their latest attempt), jobs holding a slot, and the
 * billable instance-seconds of the jobs ended so far.
 */

/** Points per state, each point counted once by its latest attempt, as the progress line shows them. */
export interface PointCounts {
  readonly total: number;
  /** Completed. */
  readonly done: number;
  /** In progress or stopping: holding an instance. */
  readonly running: number;
  /** Not created yet. */
  readonly queued: number;
  readonly failed: number;
  /** Stopped by a user or at max_runtime (or being deleted). */
  readonly stopped: number;
  /** Stopped by the campaign's own rule. */
  readonly terminated: number;
}

export class CampaignState {
  readonly #records = new Map<string, JobRecord>();
  readonly #latest = new Map<string, JobRecord>();
  readonly #byState = new Map<JobState, number>(JOB_STATES.map((state) => [state, 0]));
  /** Names of the jobs holding an instance. */
  readonly #holding = new Set<string>();
  #billableInstanceSeconds = 0;
  /** Wall time (creation to end) of the completed jobs that tell both, for the progress line's estimate. */
  #completedWallMs = 0;
  #completedTimed = 0;

  constructor(records: Iterable<JobRecord> = []) {
    for (const record of records) this.put(record);
  }

  /** Adds or replaces the record of `record.name`, updating every total. */
  put(record: JobRecord): void {
    const old = this.#records.get(record.name);
    this.#records.set(record.name, record);
    if (holdsSlot(record.state)) this.#holding.add(record.name);
    else this.#holding.delete(record.name);
    this.#billableInstanceSeconds += billable(record) - (old !== undefined ? billable(old) : 0);
    this.#completedWallMs += wallMs(record) - (old !== undefined ? wallMs(old) : 0);
    this.#completedTimed += (wallMs(record) > 0 ? 1 : 0) - (old !== undefined && wallMs(old) > 0 ? 1 : 0);
    const latest = this.#latest.get(record.plannedName);
    if (latest !== undefined && record.attempt < latest.attempt) return;
    if (latest !== undefined) this.#count(latest.state, -1);
    this.#count(record.state, 1);
    this.#latest.set(record.plannedName, record);
  }

  #count(state: JobState, delta: number): void {
    this.#byState.set(state, (this.#byState.get(state) ?? 0) + delta);
  }

  get(name: string): JobRecord | undefined {
    return this.#records.get(name);
  }

  /** The latest attempt of a planned job. */
  latest(plannedName: string): JobRecord | undefined {
    return this.#latest.get(plannedName);
  }

  /** Every record, in the order they were first put. */
  records(): IterableIterator<JobRecord> {
    return this.#records.values();
  }

  /** The latest attempt of every planned job that has a record. */
  latestAttempts(): IterableIterator<JobRecord> {
    return this.#latest.values();
  }

  /** Points whose latest attempt is in `state`. */
  points(state: JobState): number {
    return this.#byState.get(state) ?? 0;
  }

  /** Jobs holding an instance (in progress or stopping), every attempt counted. */
  get holding(): number {
    return this.#holding.size;
  }

  /** The records of the jobs holding an instance. */
  *holdingJobs(): IterableIterator<JobRecord> {
    for (const name of this.#holding) {
      const record = this.#records.get(name);
      if (record !== undefined) yield record;
    }
  }

  /** Billable seconds × instance count over every ended job so far. */
  get billableInstanceSeconds(): number {
    return this.#billableInstanceSeconds;
  }

  /** Mean wall time (creation to end) of the completed jobs so far; undefined before the first. */
  get meanCompletedMs(): number | undefined {
    return this.#completedTimed > 0 ? this.#completedWallMs / this.#completedTimed : undefined;
  }

  /** The progress line's counts. */
  counts(): PointCounts {
    const points = (state: JobState): number => this.points(state);
    return {
      total: this.#latest.size,
      done: points("completed"),
      running: points("in-progress") + points("stopping"),
      queued: points("not-started"),
      failed: points("failed"),
      stopped: points("stopped") + points("deleting"),
      terminated: points("terminated"),
    };
  }

  /** Dollars spent by the jobs ended so far; null without a price. */
  costUsd(usdPerHour: number | null): number | null {
    return usdPerHour === null ? null : instanceCostUsd(this.#billableInstanceSeconds, 1, usdPerHour);
  }
}

function billable(record: JobRecord): number {
  const details = record.details;
  return details?.billableSeconds !== undefined ? details.billableSeconds * (details.instanceCount ?? 1) : 0;
}

function wallMs(record: JobRecord): number {
  const end = record.details?.endedAt;
  if (record.state !== "completed" || end === undefined || record.createdAt === undefined) return 0;
  return Math.max(0, end - record.createdAt);
}
