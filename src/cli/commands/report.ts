import { readTermination } from "../../campaign/early-termination-setup.js";
import { readCampaignJobs } from "../../campaign/read.js";
import { UsageError } from "../../errors.js";
import { withEarlyTermination } from "../../report/early-termination-report.js";
import { isReportFormat, REPORT_FORMATS, renderReport } from "../../report/render/index.js";
import { summarizeCampaign } from "../../report/summarize.js";
import { parseCommandArgs } from "../args.js";
import { EXIT_OK } from "../errors.js";
import type { Command } from "../io.js";
import { loadPlan, openCampaignWorld, STACK_HELP, STACK_OPTIONS, sweepFileArgument, withSageMaker } from "./campaign-context.js";
import { type CampaignDeps, defaultDeps } from "./deps.js";
import { writeReportFile } from "./report-output.js";
import { campaignExecutionsIfAny, withStackCache, writeExecutionLines } from "./server-side.js";
import { tuningReport } from "./tuning-campaign.js";

const HELP = `Usage: segsweep report FILE [--format table|json|csv|html] [-o OUT] [--stack NAME | --stack-outputs FILE]

The campaign's leaderboard by its objective metric (FinalMetricDataList; higher is better), the
best job's hyperparameters as a sweep-file snippet, counts per state, failure reasons, billable
hours and cost. A retried point counts once, by its latest attempt; cost counts every attempt.
One Search call per 100 jobs (full records with metrics and tags).

  --format FORMAT           table (default), json, csv (the leaderboard alone) or html (one
                            self-contained page with charts; needs -o on a terminal)
  -o, --output OUT          write the report to OUT instead of standard output
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
    if (format === "html" && values.output === undefined && io.stdout.isTTY === true) {
      throw new UsageError("--format html writes a whole web page: give a file, e.g. -o report.html (or redirect the output).");
    }

    const plan = await loadPlan(file, deps);
    if (plan.engine === "tuning") {
      const tuningText = await tuningReport(plan, { ...values, format }, io, deps);
      if (values.output === undefined) io.stdout.write(tuningText);
      else io.stderr.write(`${await writeReportFile(io.cwd, values.output, tuningText)}\n`);
      return EXIT_OK;
    }
    const world = await openCampaignWorld(values, io, withStackCache(deps), plan);
    let text: string;
    try {
      // Every attempt matters here: failed ones for their reasons, all of them for the cost. One Search call per 100 jobs.
      const jobs = await withSageMaker("read the campaign's jobs", () => readCampaignJobs(world.backend, plan.campaign, io.signal));
      // With an early_termination block: the curves and the rule's stops, re-derived from CloudWatch.
      const facts = await withSageMaker("read the jobs' metrics from CloudWatch", () => readTermination(plan, world, jobs, io.signal));
      const summary = summarizeCampaign(plan, jobs, {
        simulated: world.simulated,
        ...(facts !== undefined ? { terminated: facts.terminated } : {}),
      });
      text = renderReport(withEarlyTermination(summary, plan, jobs, facts), format);
    } finally {
      await world.close();
    }
    if (values.output === undefined) io.stdout.write(text);
    else io.stderr.write(`${await writeReportFile(io.cwd, values.output, text)}\n`);
    // The table adds the campaign's Step Functions execution when the stack ran it server-side (server-side.ts).
    if (format === "table")
      writeExecutionLines(
        values.output === undefined ? io : { ...io, stdout: io.stderr },
        await campaignExecutionsIfAny(values, io, deps, plan.campaign),
      );
    return EXIT_OK;
  };
}

/** `segsweep report`. */
export const report: Command = createReportCommand();

function parseFlags(argv: readonly string[]) {
  return parseCommandArgs(
    argv,
    { format: { type: "string" }, output: { type: "string", short: "o" }, ...STACK_OPTIONS, help: { type: "boolean", short: "h" } },
    HELP,
  );
}
