/**
 * A stopping rule, the way Optuna keeps its pruners: a small interface, one rule per file, pure.
 * The rule judges one job after one epoch from that job's own objective values and from what the
 * jobs that reached the same epoch earlier left there; it never calls anything or keeps state.
 * The objective is maximised. replay.ts decides which job is judged when, and with which peers.
 */

/** What the rule is told when it judges a job after `epoch`. */
export interface Judgement {
  readonly epoch: number;
  /** The job's objective after epochs 1..epoch, oldest first. */
  readonly values: readonly number[];
  /** What each job that reached `epoch` earlier left there (see `mark`), sorted ascending. */
  readonly peers: readonly number[];
}

/** Continue, or stop with a reason a user can read. */
export type Verdict = { readonly stop: false } | { readonly stop: true; readonly reason: string };

export interface StoppingRule {
  /** A short description, e.g. "ASHA (rungs at min_epochs 3 × 3^k)". */
  readonly label: string;
  /** Whether the rule judges jobs after `epoch` (and so whether jobs leave a mark there). */
  judgesAt(epoch: number): boolean;
  /** What a job that reached an epoch leaves there for the jobs judged after it (its value, its running average...). */
  mark(values: readonly number[]): number;
  judge(judgement: Judgement): Verdict;
}

/** The value at quantile q of ascending `sorted`, interpolated linearly between ranks (numpy's default). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const low = sorted[below] ?? Number.NaN;
  const high = sorted[Math.min(sorted.length - 1, below + 1)] ?? low;
  return low + (high - low) * (position - below);
}

/** Formats an objective value for a reason: 4 decimals. */
export function shown(value: number): string {
  return value.toFixed(4);
}
