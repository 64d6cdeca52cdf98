import { readCampaignJobs } from "../../campaign/read.js";
import { UsageError } from "../../errors.js";
import { REPORT_FORMATS, type ReportFormat, renderReport } from "../../report/render.js";
import { summarizeCampaign } from "../../report/summarize.js";
import { parseCommandArgs } from "../args.js";
import { EXIT_OK } from "../errors.js";
import type { Command } from "../io.js";
import { loadPlan, openBackend, STACK_HELP, STACK_OPTIONS, sweepFileArgument, withSageMaker } from "./campaign-context.js";
import { type CampaignDeps, defaultDeps } from "./deps.js";

const HELP = `Usage: segsweep report FILE [--format table|json|csv] [--stack NAME | --stack-outputs FILE]

The campaign's leaderboard by its objective metric (FinalMetricDataList; higher is better), the
best job's hyperparameters as a sweep-file snippet, counts per state, failure reasons, billable
hours and cost. A retried point counts once, by its latest attempt; cost counts every attempt.
One Search call per 100 jobs (full records with metrics and tags).

  --format table|json|csv   output format (default: table); csv is the leaderboard alone
${STACK_HELP}
`;

/** `segsweep report` with its outside world injected. */
export function createReportCommand(deps: CampaignDeps = defaultDeps): Command {
  return async (argv, io) => {
    const { values, positionals } = parseFlags(argv);
    if (values.help) {
      io.stdout.write(HELP);
      return EXIT_OK;
    }
    const file = sweepFileArgument(positionals, "report", HELP);
    const format = values.format ?? "table";
    if (!isReportFormat(format)) throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(", ")}; got "${format}".`);

    const plan = await loadPlan(file, deps);
    const backend = await openBackend(values, io, deps, plan.campaign);
    // Every attempt matters here: failed ones for their reasons, all of them for the cost. One Search call per 100 jobs.
    const jobs = await withSageMaker("read the campaign's jobs", () => readCampaignJobs(backend, plan.campaign, io.signal));
    io.stdout.write(renderReport(summarizeCampaign(plan, jobs), format));
    return EXIT_OK;
  };
}

/** `segsweep report`. */
export const report: Command = createReportCommand();

function isReportFormat(format: string): format is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(format);
}

function parseFlags(argv: readonly string[]) {
  return parseCommandArgs(argv, { format: { type: "string" }, ...STACK_OPTIONS, help: { type: "boolean", short: "h" } }, HELP);
}
