/**
 * "Did you mean" suggestions for a near-miss key or value, e.g. `Adam` -> `adam`,
 * `resnet50` -> `resnet-50`, `learning_rte` -> `learning_rate`, `"true"` -> `True`.
 *
 * Both sides are first normalised (lower case, letters and digits only), so a difference of case
 * or punctuation alone always finds its candidate. Otherwise the candidate at the smallest edit
 * distance (Damerau's optimal string alignment: insert, delete, substitute, swap two neighbours)
 * is suggested, if that distance is small for the word's length. Beyond one edit, a candidate
 * that wholly contains a longer input (`batch_size` in `mini_batch_size`) is preferred.
 */

/** Lower case, letters and digits only: what a reader would not call a different word. */
export function normalizeForSuggestion(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** Inputs shorter than this (normalised) are not matched by containment: `lr` is in too many names. */
const MIN_CONTAINED_LENGTH = 5;

/**
 * The candidate `given` most likely meant, or undefined when none is close enough.
 * Ties go to the earlier candidate, so callers list candidates in their preferred order.
 */
export function didYouMean(given: string, candidates: readonly string[]): string | undefined {
  const wanted = normalizeForSuggestion(given);
  if (wanted === "") return undefined;
  const normals = candidates.map(normalizeForSuggestion);
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  normals.forEach((normal, i) => {
    const limit = allowedDistance(Math.max(wanted.length, normal.length));
    const distance = editDistance(wanted, normal, Math.min(limit, bestDistance - 1));
    if (distance < bestDistance && distance <= limit) {
      best = candidates[i];
      bestDistance = distance;
    }
  });
  // A one-letter slip wins; otherwise a name that contains the input (`batch_size` -> `mini_batch_size`)
  // is likelier than a different word at a larger distance (`base_size`).
  if (bestDistance <= 1) return best;
  if (wanted.length >= MIN_CONTAINED_LENGTH) {
    let shortest: string | undefined;
    normals.forEach((normal, i) => {
      const candidate = candidates[i];
      if (candidate !== undefined && normal.includes(wanted) && (shortest === undefined || candidate.length < shortest.length))
        shortest = candidate;
    });
    if (shortest !== undefined) return shortest;
  }
  return best;
}

/** About one edit per three characters, at least one and at most three: `sdg` -> `sgd`, not `nag` -> `adam`. */
function allowedDistance(length: number): number {
  return Math.min(3, Math.max(1, Math.floor(length / 3)));
}

/**
 * Optimal-string-alignment distance between a and b, or `cap + 1` as soon as it must exceed
 * `cap` (the caller only cares whether it is within its limit).
 */
export function editDistance(a: string, b: string, cap = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  // Three rolling rows: the transposition case looks two rows back.
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, (before[j - 2] ?? 0) + 1);
      }
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > cap) return cap + 1;
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length] ?? 0;
}
