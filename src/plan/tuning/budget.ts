/**
 * How a campaign's budget is divided between its tuning jobs (docs/tuning.md, "The budget"):
 * `samples` (training jobs) and `max_concurrency` (jobs at once) are split as evenly as possible,
 * the remainder going one by one to the first branches; a branch that cannot use its share (a
 * grid branch with fewer combinations) keeps what it can use and the rest is spread over the
 * others. Each branch is an equally plausible part of the space, so none is favoured.
 */

/**
 * `total` split over `caps.length` parts, part i at most caps[i], as evenly as possible, earlier
 * parts first for the remainder (water filling: every part gets min(cap, level), the level as high
 * as the total allows, and what is left goes one each to the first parts with room). The parts sum
 * to min(total, Σ caps).
 */
export function splitEvenly(total: number, caps: readonly number[]): number[] {
  const filled = (level: number) => caps.reduce((sum, cap) => sum + Math.min(cap, level), 0);
  let low = 0;
  let high = Math.max(0, total);
  // The highest level whose filling fits in the total.
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (filled(mid) <= total) low = mid;
    else high = mid - 1;
  }
  const shares = caps.map((cap) => Math.min(cap, low));
  let left = total - filled(low);
  for (let i = 0; i < shares.length && left > 0; i++) {
    if ((shares[i] ?? 0) < (caps[i] ?? 0)) {
      shares[i] = (shares[i] ?? 0) + 1;
      left--;
    }
  }
  return shares;
}
