import { UsageError } from "../../errors.js";
import { validateSweepFile } from "../../plan/plan-file.js";
import { isTuningPlan } from "../../plan/tuning/types.js";
import type { Diagnostic } from "../../sweep/diagnostic.js";
import { parseCommandArgs } from "../args.js";
import { EXIT_INVALID, EXIT_OK } from "../errors.js";
import { countLine, renderDiagnostics } from "../format/diagnostics.js";
import { progressLine } from "../format/progress.js";
import type { Command } from "../io.js";

const HELP = `Usage: segsweep validate FILE... [--json] [--strict]

Checks sweep files: their shape, and every point they expand to against the semantic
segmentation algorithm's hyperparameter contract. Exit 0 when every file is valid, 1 when any
is not, 2 on usage errors. Calls no AWS API.

  --json     print {"files":[{"file","valid","errors":[...],"warnings":[...]}]}
  --strict   warnings are errors (for CI: an over-budget sweep, a prefix without a trailing /, ...)
`;

interface FileReport {
  readonly file: string;
  readonly diagnostics: Diagnostic[];
  readonly jobs: number | undefined;
  readonly campaign: { readonly name: string; readonly line?: number; readonly column?: number } | undefined;
}

/** `segsweep validate`: every file is fully checked (a bad file does not hide the next one's problems). */
export const validate: Command = async (argv, io) => {
  const parsed = parseCommandArgs(
    argv,
    { json: { type: "boolean" }, strict: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    HELP,
  );
  if (parsed.values.help) {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  if (parsed.positionals.length === 0) throw new UsageError(`segsweep validate needs at least one sweep file.\n\n${HELP}`);
  const strict = parsed.values.strict === true;

  const reports: FileReport[] = [];
  for (const file of parsed.positionals) {
    const progress = progressLine(io.stderr, `segsweep validate ${file}`);
    const { result, campaign } = await validateSweepFile(file, {
      summaryOnly: true,
      onProgress: (checked, total) => progress.report(checked, total, "points checked"),
    });
    progress.clear();
    const diagnostics = [...(result.ok ? result.plan.warnings : result.diagnostics)];
    // A tuning plan's jobs are its training jobs at most (the sum of MaxNumberOfTrainingJobs).
    const jobs = !result.ok ? undefined : isTuningPlan(result.plan) ? result.plan.maxTrainingJobs : result.plan.counts.jobs;
    reports.push({ file, diagnostics, jobs, campaign });
  }
  addDuplicateNameWarnings(reports);
  const files = reports.map((report) => verdict(report, strict));
  if (parsed.values.json) {
    io.stdout.write(`${JSON.stringify({ files: files.map(({ diagnostics, ...rest }) => rest) }, null, 2)}\n`);
  } else {
    for (const f of files) {
      if (f.diagnostics.length > 0) io.stderr.write(renderDiagnostics(f.diagnostics));
      const jobs = f.jobs ?? 0;
      const line = f.valid ? `✔ ${f.file}: valid, ${jobs.toLocaleString("en-US")} job${jobs === 1 ? "" : "s"}` : `✖ ${f.file}: invalid`;
      io.stdout.write(
        `${line} (${countLine(f.diagnostics)}${strict && f.promoted > 0 ? `, ${f.promoted} of them warnings made errors by --strict` : ""})\n`,
      );
    }
  }
  return files.every((f) => f.valid) ? EXIT_OK : EXIT_INVALID;
};

/** A file's verdict; under --strict its warnings count as errors. */
function verdict(report: FileReport, strict: boolean) {
  const promoted = strict ? report.diagnostics.filter((d) => d.severity === "warning").length : 0;
  const diagnostics = strict ? report.diagnostics.map((d) => ({ ...d, severity: "error" as const })) : report.diagnostics;
  const valid = report.jobs !== undefined && promoted === 0;
  return {
    file: report.file,
    valid,
    errors: diagnostics.filter((d) => d.severity === "error").map(toJson),
    warnings: diagnostics.filter((d) => d.severity === "warning").map(toJson),
    diagnostics,
    promoted,
    ...(valid ? { jobs: report.jobs } : {}),
  };
}

/**
 * Two files that name the same campaign would share its jobs: `status` and `report` of one would
 * show the other's as its own. Warns on every file after the first that uses a name.
 */
function addDuplicateNameWarnings(reports: readonly FileReport[]): void {
  const firstFile = new Map<string, string>();
  for (const report of reports) {
    if (report.campaign === undefined) continue;
    const { name, line, column } = report.campaign;
    const first = firstFile.get(name);
    if (first === undefined) {
      firstFile.set(name, report.file);
      continue;
    }
    if (first === report.file) continue; // the same file given twice
    report.diagnostics.push({
      severity: "warning",
      file: report.file,
      path: "name",
      message: `campaign name ${JSON.stringify(name)} is also the name of ${first}: their jobs would be one campaign, and status and report of one would show the other's jobs; give each sweep file its own name`,
      ...(line !== undefined ? { line } : {}),
      ...(column !== undefined ? { column } : {}),
    });
  }
}

/** The --json form of a diagnostic: message, path, line, column, point (absent when they do not apply). */
function toJson(d: Diagnostic) {
  return {
    message: d.message,
    ...(d.path !== undefined ? { path: d.path } : {}),
    ...(d.line !== undefined ? { line: d.line } : {}),
    ...(d.column !== undefined ? { column: d.column } : {}),
    ...(d.point !== undefined ? { point: d.point } : {}),
  };
}
