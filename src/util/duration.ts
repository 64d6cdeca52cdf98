/**
 * Durations as people write them in sweep files and flags: `90s`, `30m`, `6h`, `1h30m`, `2d`, `200ms`.
 * A bare number is seconds.
 */
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;

/** Parses a duration into milliseconds, or returns undefined when it is not one. */
export function parseDurationMs(text: string | number): number | undefined {
  if (typeof text === "number") return Number.isFinite(text) && text >= 0 ? text * 1000 : undefined;
  const compact = text.trim().replace(/\s+/g, "");
  if (/^\d+(?:\.\d+)?$/.test(compact)) return Number(compact) * 1000;
  if (!DURATION.test(compact)) return undefined;
  let total = 0;
  for (const match of compact.matchAll(PART)) total += Number(match[1]) * (UNIT_MS[match[2] ?? "s"] ?? 0);
  return total;
}

/** Formats seconds the way people read them: `6h`, `1h30m`, `45s`. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s === 0) return "0s";
  const parts: string[] = [];
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const secs = s % 60;
  if (days) parts.push(`${days}d`);
  if (hours) parts.push(`${hours}h`);
  if (minutes) parts.push(`${minutes}m`);
  if (secs) parts.push(`${secs}s`);
  return parts.join("");
}
