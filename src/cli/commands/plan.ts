import { UsageError } from "../../errors.js";
import { planSweepFileStreaming, type StreamingPlanResult } from "../../plan/plan-file.js";
import { isTuningPlan, type TuningPlan } from "../../plan/tuning/types.js";
import type { PlannedJob } from "../../plan/types.js";
import { parseCommandArgs } from "../args.js";
import { EXIT_INVALID, EXIT_OK } from "../errors.js";
import { countLine, renderDiagnostics } from "../format/diagnostics.js";
import { type JobList, planCsvChunks, planJsonChunks, renderPlanTable } from "../format/plan.js";
import { type ProgressLine, progressLine } from "../format/progress.js";
import { renderTuningPlanTable } from "../format/tuning-plan.js";
import { writeChunks } from "../format/write.js";
import type { CliIO, Command } from "../io.js";

const HELP = `Usage: segsweep plan FILE [--format table|json|csv] [--json] [--summary]

Shows the SageMaker training jobs the sweep file would launch, each with its name and its
hyperparameters exactly as SageMaker receives them, the counts (expanded, excluded, duplicates
dropped, jobs) and the worst-case cost. For a tuning-engine sweep (docs/tuning.md): its tuning
jobs, their ranges and static hyperparameters as sent, and the worst-case cost. Calls no AWS API.

  --format table|json|csv   output format (default: table; a table shows at most 10,000 jobs)
  --json                    the same as --format json
  --summary                 counts and cost only, no job list (for huge plans)
`;

const FORMATS = ["table", "json", "csv"] as const;
type Format = (typeof FORMATS)[number];

/** Jobs written between two progress reports when the output goes to a file or a pipe. */
const WRITE_PROGRESS_EVERY = 100_000;

/** `segsweep plan`: exit 0 with the plan, 1 with every problem when the file is invalid. */
export const plan: Command = async (argv, io) => {
  const { values, positionals } = parseFlags(argv);
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError(`segsweep plan takes one sweep file; got ${positionals.length}.\n\n${HELP}`);
  const format = chooseFormat(values.format, values.json === true);
  const summary = values.summary === true;
  if (summary && format === "csv") throw new UsageError("--summary has no CSV form (CSV lists jobs); use --format table or json.");

  const file = positionals[0] ?? "";
  const progress = progressLine(io.stderr, `segsweep plan ${file}`);
  const result = await planSweepFileStreaming(file, {
    summaryOnly: summary,
    onProgress: (checked, total) => progress.report(checked, total, "points checked"),
  });
  progress.clear();
  if (!result.ok) {
    io.stderr.write(`${renderDiagnostics(result.diagnostics)}\n${file}: invalid, nothing planned (${countLine(result.diagnostics)}).\n`);
    return EXIT_INVALID;
  }
  if (isTuningPlan(result.plan)) printTuningPlan(result.plan, format, summary, io);
  else await printJobsPlan(result as Extract<StreamingPlanResult, { ok: true }>, { format, summary, file, progress }, io);
  if (result.plan.warnings.length > 0 && format !== "json") io.stderr.write(`\n${renderDiagnostics(result.plan.warnings)}`);
  return EXIT_OK;
};

/** A tuning plan lists tuning jobs, not training jobs: there is no CSV of it. */
function printTuningPlan(planned: TuningPlan, format: Format, summary: boolean, io: CliIO): void {
  if (format === "csv")
    throw new UsageError("--format csv lists training jobs; a tuning-engine plan has tuning jobs instead: use --format table or json.");
  io.stdout.write(format === "json" ? `${JSON.stringify(planned, null, 2)}\n` : renderTuningPlanTable(planned, { summary }));
}

/** The jobs engine's plan, its job list streamed in every format. */
async function printJobsPlan(
  result: Extract<StreamingPlanResult, { ok: true }>,
  how: { format: Format; summary: boolean; file: string; progress: ProgressLine },
  io: CliIO,
): Promise<void> {
  const planned = result.plan;
  const jobs = how.summary ? undefined : withProgress(result.jobs, planned.counts.jobs, io.stdout.isTTY ? undefined : how.progress);
  if (how.format === "json") await writeChunks(io.stdout, planJsonChunks(planned, jobs));
  else if (how.format === "csv" && jobs) await writeChunks(io.stdout, planCsvChunks(result.jobs, jobs));
  else io.stdout.write(renderPlanTable(planned, jobs, { file: how.file }));
  how.progress.clear();
}

function chooseFormat(format: string | undefined, json: boolean): Format {
  if (json && format !== undefined && format !== "json")
    throw new UsageError(`--json is --format json; it cannot go with --format ${format}.`);
  const chosen = json ? "json" : (format ?? "table");
  if (!(FORMATS as readonly string[]).includes(chosen))
    throw new UsageError(`--format must be one of ${FORMATS.join(", ")}; got "${chosen}".`);
  return chosen as Format;
}

/** The job list, reporting every WRITE_PROGRESS_EVERY jobs of its last walk (when the output is not on screen). */
function withProgress(jobs: () => Generator<PlannedJob>, total: number, progress: ProgressLine | undefined): JobList {
  if (progress === undefined || total < WRITE_PROGRESS_EVERY) return jobs;
  return function* () {
    let written = 0;
    for (const job of jobs()) {
      yield job;
      if (++written % WRITE_PROGRESS_EVERY === 0) progress.report(written, total, "jobs listed");
    }
  };
}

function parseFlags(argv: readonly string[]) {
  return parseCommandArgs(
    argv,
    { format: { type: "string" }, json: { type: "boolean" }, summary: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    HELP,
  );
}
