import { UsageError } from "../../errors.js";
import { planSweepFileOnItsEngine } from "../../plan/plan-file.js";
import { isTuningPlan } from "../../plan/tuning/types.js";
import { parseCommandArgs } from "../args.js";
import { EXIT_INVALID, EXIT_OK } from "../errors.js";
import { countLine, renderDiagnostics } from "../format/diagnostics.js";
import { renderPlanCsv, renderPlanTable } from "../format/plan.js";
import { renderTuningPlanTable } from "../format/tuning-plan.js";
import type { Command } from "../io.js";

const HELP = `Usage: segsweep plan FILE [--format table|json|csv] [--summary]

Shows the SageMaker training jobs the sweep file would launch, each with its name and its
hyperparameters exactly as SageMaker receives them, the counts (expanded, excluded, duplicates
dropped, jobs) and the worst-case cost. For a tuning-engine sweep (docs/tuning.md): its tuning
jobs, their ranges and static hyperparameters as sent, and the worst-case cost. Calls no AWS API.

  --format table|json|csv   output format (default: table)
  --summary                 counts and cost only, for huge grids (keeps no job list in memory)
`;

const FORMATS = ["table", "json", "csv"] as const;

/** `segsweep plan`: exit 0 with the plan, 1 with every problem when the file is invalid. */
export const plan: Command = async (argv, io) => {
  const { values, positionals } = parseFlags(argv);
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError(`segsweep plan takes one sweep file; got ${positionals.length}.\n\n${HELP}`);
  const format = values.format ?? "table";
  if (!(FORMATS as readonly string[]).includes(format))
    throw new UsageError(`--format must be one of ${FORMATS.join(", ")}; got "${format}".`);
  if (values.summary && format === "csv") throw new UsageError("--summary has no CSV form (CSV lists jobs); use --format table or json.");

  const file = positionals[0] ?? "";
  const result = await planSweepFileOnItsEngine(file, { summaryOnly: values.summary === true });
  if (!result.ok) {
    io.stderr.write(`${renderDiagnostics(result.diagnostics)}\n${file}: invalid, nothing planned (${countLine(result.diagnostics)}).\n`);
    return EXIT_INVALID;
  }
  const planned = result.plan;
  if (isTuningPlan(planned)) {
    // A tuning plan lists tuning jobs, not training jobs: there is no CSV of it.
    if (format === "csv")
      throw new UsageError("--format csv lists training jobs; a tuning-engine plan has tuning jobs instead: use --format table or json.");
    io.stdout.write(
      format === "json" ? `${JSON.stringify(planned, null, 2)}\n` : renderTuningPlanTable(planned, { summary: values.summary === true }),
    );
    if (planned.warnings.length > 0 && format !== "json") io.stderr.write(`\n${renderDiagnostics(planned.warnings)}`);
    return EXIT_OK;
  }
  if (format === "json") {
    // A summary plan keeps no jobs: leave the empty list out rather than suggest there are none.
    const { jobs, ...summary } = planned;
    io.stdout.write(`${JSON.stringify(values.summary ? summary : planned, null, 2)}\n`);
  } else if (format === "csv") {
    io.stdout.write(renderPlanCsv(planned));
  } else {
    io.stdout.write(renderPlanTable(planned, { summary: values.summary === true }));
  }
  if (planned.warnings.length > 0 && format !== "json") io.stderr.write(`\n${renderDiagnostics(planned.warnings)}`);
  return EXIT_OK;
};

function parseFlags(argv: readonly string[]) {
  return parseCommandArgs(argv, { format: { type: "string" }, summary: { type: "boolean" }, help: { type: "boolean", short: "h" } }, HELP);
}
