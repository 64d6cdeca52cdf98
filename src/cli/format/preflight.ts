import type { CheckName, CheckResult, ListingProgress, PreflightReport } from "../../preflight/index.js";

/**
 * `segsweep preflight` as text: one line per result (status, check, what was found with its
 * numbers), the first offending names and the fix indented under it, a summary line last.
 */

const LABELS: Readonly<Record<CheckName, string>> = {
  identity: "who and where",
  "instance-type": "instance type",
  "max-runtime": "max runtime",
  "max-wait": "max wait",
  "data-location": "data location",
  prefix: "prefix",
  listing: "listing",
  images: "images",
  annotations: "annotations",
  pairs: "pairs",
  samples: "samples",
  "label-map": "label map",
  manifest: "manifest",
  quota: "quota",
};

const LABEL_WIDTH = 15;
const INDENT = " ".repeat(6 + LABEL_WIDTH);

function line(check: CheckResult): string {
  const head = `${check.status.padEnd(4)}  ${LABELS[check.check].padEnd(LABEL_WIDTH)}`;
  // Messages name what they checked, except for S3 locations, which are long: those lead the line.
  const subject = check.subject.startsWith("s3://") ? `${check.subject}: ` : "";
  const lines = [`${head}${subject}${check.message}`];
  if (check.examples) lines.push(`${INDENT}e.g. ${check.examples.join(", ")}`);
  if (check.fix && check.status !== "pass") lines.push(`${INDENT}fix: ${check.fix}`);
  return lines.join("\n");
}

/** The whole report as lines. */
export function renderPreflight(report: PreflightReport): string {
  const { pass, warn, fail } = report.counts;
  const summary =
    `${report.sweepFile}: ${pass} passed, ${warn} ${warn === 1 ? "warning" : "warnings"}, ${fail} failed` +
    (fail > 0 ? ": `segsweep launch` would refuse to start; fix the failures above." : ": ready to launch.");
  return `${report.checks.map(line).join("\n")}\n${summary}\n`;
}

/** Listing progress on stderr: nothing for small prefixes, then every 10 pages (in place on a terminal). */
export function progressPrinter(stderr: { write(text: string): unknown; readonly isTTY?: boolean }): (progress: ListingProgress) => void {
  const EVERY = 10;
  const active = new Map<string, ListingProgress>();
  const tty = stderr.isTTY === true;
  return (progress) => {
    if (progress.pages < EVERY) return;
    const count = progress.listed.toLocaleString("en-US");
    if (progress.done) {
      active.delete(progress.uri);
      stderr.write(`${tty ? "\r\u001b[K" : ""}listed ${progress.uri}: ${count} objects in ${progress.pages} pages\n`);
      return;
    }
    if (progress.pages % EVERY !== 0) return;
    active.set(progress.uri, progress);
    if (tty) {
      const parts = [...active.values()].map((p) => `${p.uri} ${p.listed.toLocaleString("en-US")}`);
      stderr.write(`\r\u001b[Klisting ${parts.join(" · ")} objects...`);
    } else stderr.write(`listing ${progress.uri}: ${count} objects (${progress.pages} pages)...\n`);
  };
}
