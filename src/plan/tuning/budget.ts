/**
 * How a campaign's budget is divided between its tuning jobs (docs/tuning.md, "The budget"):
 * `samples` (training jobs) and `max_concurrency` (jobs at once) are split as evenly as possible,
 * the remainder going one by one to the first branches; a branch that cannot use its share (a
 * grid branch with fewer combinations) keeps what it can use and the rest is spread over the
 * others. Each branch is an equally plausible part of the space, so none is favoured.
 */

/**
 * `total` split over `caps.length` parts, part i at most caps[i], as evenly as possible, earlier
 * parts first for the remainder. The parts sum to min(total, Σ caps).
 */
export function splitEvenly(total: number, caps: readonly number[]): number[] {
  const shares = caps.map(() => 0);
  let left = total;
  let open = caps.map((_, i) => i);
  while (left > 0 && open.length > 0) {
    const base = Math.floor(left / open.length);
    let extra = left - base * open.length;
    for (const i of open) {
      const want = base + (extra > 0 ? 1 : 0);
      const room = (caps[i] ?? 0) - (shares[i] ?? 0);
      const given = Math.min(want, room);
      if (want > base && given === want) extra--;
      shares[i] = (shares[i] ?? 0) + given;
      left -= given;
    }
    const before = open.length;
    open = open.filter((i) => (shares[i] ?? 0) < (caps[i] ?? 0));
    // Nothing was capped this round and the remainder is spent: done.
    if (open.length === before && left === 0) break;
  }
  return shares;
}
