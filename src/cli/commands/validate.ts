import { UsageError } from "../../errors.js";
import { planSweepFileOnItsEngine } from "../../plan/plan-file.js";
import { isTuningPlan } from "../../plan/tuning/types.js";
import type { Diagnostic } from "../../sweep/diagnostic.js";
import { parseCommandArgs } from "../args.js";
import { EXIT_INVALID, EXIT_OK } from "../errors.js";
import { countLine, renderDiagnostics } from "../format/diagnostics.js";
import type { Command } from "../io.js";

const HELP = `Usage: segsweep validate FILE... [--json]

Checks sweep files: their shape, and every point they expand to against the semantic
segmentation algorithm's hyperparameter contract. Exit 0 when every file is valid, 1 when any
is not, 2 on usage errors. Calls no AWS API.

  --json   print {"files":[{"file","valid","errors":[...],"warnings":[...]}]}
`;

/** `segsweep validate`: every file is fully checked (a bad file does not hide the next one's problems). */
export const validate: Command = async (argv, io) => {
  const parsed = parseCommandArgs(argv, { json: { type: "boolean" }, help: { type: "boolean", short: "h" } }, HELP);
  if (parsed.values.help) {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  if (parsed.positionals.length === 0) throw new UsageError(`segsweep validate needs at least one sweep file.\n\n${HELP}`);

  const files = [];
  for (const file of parsed.positionals) {
    const result = await planSweepFileOnItsEngine(file, { summaryOnly: true });
    const diagnostics = result.ok ? result.plan.warnings : result.diagnostics;
    files.push({
      file,
      valid: result.ok,
      errors: diagnostics.filter((d) => d.severity === "error").map(toJson),
      warnings: diagnostics.filter((d) => d.severity === "warning").map(toJson),
      diagnostics,
      ...(result.ok ? { jobs: isTuningPlan(result.plan) ? result.plan.maxTrainingJobs : result.plan.counts.jobs } : {}),
    });
  }
  if (parsed.values.json) {
    io.stdout.write(`${JSON.stringify({ files: files.map(({ diagnostics, ...rest }) => rest) }, null, 2)}\n`);
  } else {
    for (const f of files) {
      if (f.diagnostics.length > 0) io.stderr.write(renderDiagnostics(f.diagnostics));
      const verdict = f.valid ? `✔ ${f.file}: valid, ${f.jobs ?? 0} job${f.jobs === 1 ? "" : "s"}` : `✖ ${f.file}: invalid`;
      io.stdout.write(`${verdict} (${countLine(f.diagnostics)})\n`);
    }
  }
  return files.every((f) => f.valid) ? EXIT_OK : EXIT_INVALID;
};

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
