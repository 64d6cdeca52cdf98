import type { StoppingRule } from "./rule.js";

/**
 * Plays the campaign's curves through a rule in the order the epochs were reported, which is what
 * makes decisions derivable from the metrics alone: a job is judged after an epoch against the
 * jobs that reported that epoch before it did (by report time, then name), whatever the order in
 * which anyone looked. A job the rule stops leaves marks only up to the epoch it was stopped at,
 * so how long the stop took to land changes nothing. Replaying the same curves, all at once or
 * tick by tick, gives the same stops.
 */

/** One job as the replay sees it. */
export interface ReplayJob {
  readonly name: string;
  /** The epochs it trains: it is never judged after its last one (stopping then saves nothing). */
  readonly totalEpochs: number;
  /** Its objective after epochs 1, 2, ... and when each was reported (epoch ms), oldest first. */
  readonly epochs: readonly { readonly at: number; readonly value: number }[];
}

/** The rule's stop of one job. */
export interface RuleStop {
  readonly name: string;
  readonly epoch: number;
  /** When the epoch it was stopped after was reported (epoch ms). */
  readonly at: number;
  readonly reason: string;
}

interface Event {
  readonly job: ReplayJob;
  readonly epoch: number;
  readonly at: number;
}

function byReport(a: Event, b: Event): number {
  return a.at - b.at || (a.job.name < b.job.name ? -1 : a.job.name > b.job.name ? 1 : 0) || a.epoch - b.epoch;
}

/** Replay state that moves forward in time; `advance` says when data arrived too late to keep it. */
export class Replay {
  /** Events reported before this (epoch ms) have been played. */
  private horizon = Number.NEGATIVE_INFINITY;
  private readonly played = new Map<string, number>();
  private readonly marks = new Map<number, number[]>();
  private readonly stopped = new Map<string, RuleStop>();

  constructor(private readonly rule: StoppingRule) {}

  /** The stops so far, by job name. */
  get stops(): ReadonlyMap<string, RuleStop> {
    return this.stopped;
  }

  /**
   * Plays every epoch reported before `horizon` not played yet. Returns false, playing nothing,
   * when one of them was reported before the previous horizon (it arrived late): the caller then
   * replays from scratch, so the result stays that of a replay in report order.
   */
  advance(jobs: readonly ReplayJob[], horizon: number): boolean {
    const events: Event[] = [];
    for (const job of jobs) {
      for (let index = this.played.get(job.name) ?? 0; index < job.epochs.length; index++) {
        const at = job.epochs[index]?.at ?? Number.POSITIVE_INFINITY;
        if (at >= horizon) break;
        if (at < this.horizon) return false;
        events.push({ job, epoch: index + 1, at });
      }
    }
    events.sort(byReport);
    for (const event of events) this.play(event);
    this.horizon = Math.max(this.horizon, horizon);
    return true;
  }

  private play({ job, epoch, at }: Event): void {
    this.played.set(job.name, epoch);
    if (this.stopped.has(job.name) || !this.rule.judgesAt(epoch)) return;
    const values = job.epochs.slice(0, epoch).map((e) => e.value);
    const peers = this.marks.get(epoch) ?? [];
    if (epoch < job.totalEpochs) {
      const verdict = this.rule.judge({ epoch, values, peers });
      if (verdict.stop) this.stopped.set(job.name, { name: job.name, epoch, at, reason: verdict.reason });
    }
    insertSorted(peers, this.rule.mark(values));
    this.marks.set(epoch, peers);
  }
}

/** Inserts `value` into ascending `sorted` in place (binary search). */
function insertSorted(sorted: number[], value: number): void {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] ?? 0) <= value) low = middle + 1;
    else high = middle;
  }
  sorted.splice(low, 0, value);
}

/** The rule's stops over `jobs`, from every epoch reported before `horizon`: a replay from scratch. */
export function replayStops(rule: StoppingRule, jobs: readonly ReplayJob[], horizon: number): ReadonlyMap<string, RuleStop> {
  const replay = new Replay(rule);
  replay.advance(jobs, horizon);
  return replay.stops;
}
