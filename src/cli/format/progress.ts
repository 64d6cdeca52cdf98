/**
 * Progress of a long check or listing on stderr (`validate` and `plan` of huge sweeps): on a
 * terminal one line redrawn in place, cleared before anything else is printed; off a terminal one
 * line per report. Reports come every million points (about two seconds), so a quick run prints none.
 */
export interface ProgressLine {
  /** Reports `done` of `total` `unit` (e.g. "points checked"). */
  report(done: number, total: number, unit: string): void;
  /** Clears the live line, if any, before other output. */
  clear(): void;
}

export function progressLine(stderr: { write(text: string): unknown; readonly isTTY?: boolean }, label: string): ProgressLine {
  const tty = stderr.isTTY === true;
  let live = false;
  return {
    report(done, total, unit) {
      const share = total > 0 ? ` (${Math.min(100, Math.floor((done / total) * 100))}%)` : "";
      const text = `${label}: ${n(done)} of ${n(total)} ${unit}${share}`;
      if (tty) {
        stderr.write(`\r\x1b[2K${text}`);
        live = true;
      } else stderr.write(`${text}\n`);
    },
    clear() {
      if (!live) return;
      stderr.write("\r\x1b[2K");
      live = false;
    },
  };
}

function n(value: number): string {
  return value.toLocaleString("en-US");
}
