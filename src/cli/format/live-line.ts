import type { CampaignView } from "../../campaign/events.js";
import { formatDuration } from "../../util/duration.js";
import { usd } from "./money.js";

/**
 * The live progress line of `launch` on a terminal. It must never wrap: `\r` and "erase line"
 * (CSI 2K) clear only the cursor's row, so a wrapped line would leave a stale copy on every redraw.
 * It is built from parts with an importance each; when the terminal is too narrow, the least
 * important parts go first, whole, so nothing is cut mid-word.
 */

/** One piece of the line: its text and how much it matters (higher stays longer). */
export interface LinePart {
  readonly text: string;
  readonly rank: number;
}

const SEPARATOR = " · ";

/**
 * The parts joined in their order, leaving out the lowest-ranked ones until the line is shorter
 * than `width` (one column is kept free: a line filling the last column makes some terminals wrap
 * the cursor). The highest-ranked part stays even when nothing fits beside it.
 */
export function fitParts(parts: readonly LinePart[], width: number | undefined): string {
  const kept = [...parts];
  const length = (): number => kept.reduce((sum, part, i) => sum + [...part.text].length + (i > 0 ? SEPARATOR.length : 0), 0);
  while (width !== undefined && kept.length > 1 && length() > width - 1) {
    let lowest = 0;
    for (let i = 1; i < kept.length; i++) if ((kept[i]?.rank ?? 0) < (kept[lowest]?.rank ?? 0)) lowest = i;
    kept.splice(lowest, 1);
  }
  return kept.map((part) => part.text).join(SEPARATOR);
}

/** A duration rounded to minutes once it reaches `minutesFromMs` (a minute by default, as an estimate deserves). */
export function roughDuration(ms: number, minutesFromMs = 60_000): string {
  const seconds = ms / 1000;
  return formatDuration(ms >= minutesFromMs ? Math.round(seconds / 60) * 60 : Math.ceil(seconds));
}

/** The parts of the live line for `view`, most important ranked highest. */
export function liveParts(view: CampaignView): LinePart[] {
  const { counts, figures } = view;
  const spent = figures !== undefined ? figures.spentUsd : view.costUsd;
  const parts: (LinePart | undefined)[] = [
    { text: `Jobs ${counts.done}/${counts.total} done`, rank: 10 },
    { text: `${counts.running} running`, rank: 8 },
    { text: `${counts.queued} queued`, rank: 3 },
    { text: `${counts.failed} failed`, rank: counts.failed > 0 ? 9 : 1 },
    counts.stopped > 0 ? { text: `${counts.stopped} stopped`, rank: 2 } : undefined,
    counts.terminated > 0 ? { text: `${counts.terminated} stopped early`, rank: 2 } : undefined,
    { text: spent === null ? "cost unknown" : `${usd(spent)} so far`, rank: 7 },
    figures?.worstLeftUsd !== null && figures?.worstLeftUsd !== undefined && counts.running + counts.queued > 0
      ? { text: `≤${usd(figures.worstLeftUsd)} more at worst`, rank: 4 }
      : undefined,
    { text: `${roughDuration(view.elapsedMs, 3_600_000)} elapsed`, rank: 5 },
    figures?.etaMs !== undefined && counts.running + counts.queued > 0
      ? { text: `~${roughDuration(figures.etaMs)} left`, rank: 6 }
      : undefined,
  ];
  return parts.filter((part): part is LinePart => part !== undefined);
}

/** The live line, fitted to `width` columns (unbounded when undefined). */
export function liveLine(view: CampaignView, simulated: boolean, width: number | undefined): string {
  const prefix = simulated ? "[simulated] " : "";
  return `${prefix}${fitParts(liveParts(view), width !== undefined ? width - prefix.length : undefined)}`;
}
