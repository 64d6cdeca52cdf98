/**
 * The one price function of the project: every dollar figure segsweep shows (plan's bound, the
 * budget check, the live progress line, status and report) is instance-hours × instance count ×
 * the hourly price, computed here, so two screens never disagree about the same job.
 */

/** Dollars for `seconds` of `instanceCount` instances at `usdPerHour` each (billing is per second). */
export function instanceCostUsd(seconds: number, instanceCount: number, usdPerHour: number): number {
  return (seconds / 3600) * instanceCount * usdPerHour;
}

/** Like instanceCostUsd, but null when the price or the time is unknown: unknown stays unknown, never $0. */
export function knownCostUsd(
  seconds: number | null | undefined,
  instanceCount: number,
  usdPerHour: number | null | undefined,
): number | null {
  if (seconds === null || seconds === undefined || usdPerHour === null || usdPerHour === undefined) return null;
  return instanceCostUsd(seconds, instanceCount, usdPerHour);
}

/** An hourly price as the catalog has it, without rounding ($3.825/h, $15.30/h): a rate rounded to cents would not multiply out. */
export function formatHourlyPrice(usdPerHour: number): string {
  const cents = Math.round(usdPerHour * 100) / 100;
  const text =
    cents === usdPerHour
      ? usdPerHour.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })
      : usdPerHour.toLocaleString("en-US", { minimumFractionDigits: 3, maximumFractionDigits: 6 });
  return `$${text}/h`;
}
