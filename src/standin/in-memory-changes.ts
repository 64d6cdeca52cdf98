/**
 * The in-memory SageMaker's log of job changes by time, so that a listing narrowed by change time
 * (and the events of a span of time) costs what changed, not what exists. Kept sorted by time;
 * additions come mostly in time order, so insertion is near the end.
 */
export interface Change {
  readonly at: number;
  readonly name: string;
}

export class ChangeLog {
  readonly #changes: Change[] = [];

  /** Records that `name` changes at `at` (now or later). */
  add(at: number, name: string): void {
    if (!Number.isFinite(at)) return;
    let index = this.#changes.length;
    while (index > 0 && (this.#changes[index - 1] as Change).at > at) index--;
    this.#changes.splice(index, 0, { at, name });
  }

  /** The index of the first change after `time`. */
  #firstAfter(time: number): number {
    let low = 0;
    let high = this.#changes.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.#changes[middle] as Change).at > time) high = middle;
      else low = middle + 1;
    }
    return low;
  }

  /** Changes in (after, upTo], in time order. */
  *between(after: number, upTo: number): IterableIterator<Change> {
    for (let index = this.#firstAfter(after); index < this.#changes.length; index++) {
      const change = this.#changes[index] as Change;
      if (change.at > upTo) return;
      yield change;
    }
  }

  /** The distinct jobs (of `jobs`) that changed in (after, upTo]. */
  *jobsChangedIn<J>(after: number, upTo: number, jobs: ReadonlyMap<string, J>): IterableIterator<J> {
    const seen = new Set<string>();
    for (const change of this.between(after, upTo)) {
      if (seen.has(change.name)) continue;
      seen.add(change.name);
      const job = jobs.get(change.name);
      if (job !== undefined) yield job;
    }
  }
}
