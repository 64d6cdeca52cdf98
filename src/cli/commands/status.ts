import type { TrainingBackend } from "../../backend/types.js";
import { runningCurvesReader } from "../../campaign/early-termination-setup.js";
import type { CampaignExecutions } from "../../campaign/engines/stepfunctions/campaign-executions.js";
import { readCampaignJobs } from "../../campaign/read.js";
import type { World } from "../../campaign/world.js";
import { UsageError } from "../../errors.js";
import type { JobsPlan } from "../../plan/types.js";
import { withLatestEpochs } from "../../report/status-epochs.js";
import { renderStatus, type StatusView, summarizeStatus } from "../../report/status-view.js";
import { plural } from "../../report/table.js";
import { parseDurationMs } from "../../util/duration.js";
import { parseCommandArgs } from "../args.js";
import { EXIT_OK } from "../errors.js";
import type { CliIO, Command } from "../io.js";
import { loadPlan, openCampaignWorld, STACK_HELP, STACK_OPTIONS, sweepFileArgument, withSageMaker } from "./campaign-context.js";
import { type CampaignDeps, defaultDeps } from "./deps.js";
import { campaignExecutionsIfAny, withStackCache, writeExecutionLines } from "./server-side.js";
import { tuningStatus } from "./tuning-campaign.js";

const HELP = `Usage: segsweep status FILE [--watch] [--json] [--interval D] [--stack NAME | --stack-outputs FILE]

Shows each planned training job of the sweep file's campaign: its state on SageMaker (or "not
started"), secondary status, elapsed and billable time, and the objective metric once known.
One Search call per 100 jobs (full records with metrics), whatever their states. When the
stack (--stack / --stack-outputs) has a state machine that ran the campaign, also its latest
Step Functions execution and Map Run counts (docs/server-side.md).

  --watch                   refresh until every job has ended (Ctrl-C leaves; the jobs keep running)
  --interval D              time between refreshes with --watch, e.g. 30s, 2m (default: 30s)
  --json                    print one JSON object (with --watch: one per line, per refresh)
${STACK_HELP}
`;

const DEFAULT_INTERVAL_MS = 30_000;
/** ANSI: cursor home, clear screen; used only on a terminal, to redraw in place. */
const CLEAR_SCREEN = "\u001b[H\u001b[2J";

/** `segsweep status` with its outside world injected (tests pass a fake backend and clock). */
export function createStatusCommand(deps: CampaignDeps = defaultDeps): Command {
  return async (argv, io) => {
    const { values, positionals } = parseFlags(argv);
    if (values.help) {
      io.stdout.write(HELP);
      return EXIT_OK;
    }
    const file = sweepFileArgument(positionals, "status", HELP);
    const intervalMs = values.interval === undefined ? DEFAULT_INTERVAL_MS : parseDurationMs(values.interval);
    if (intervalMs === undefined || intervalMs <= 0)
      throw new UsageError(`--interval must be a duration such as 30s or 2m; got "${values.interval}".`);

    const plan = await loadPlan(file, deps);
    if (plan.engine === "tuning")
      return tuningStatus(plan, { ...values, json: values.json === true, watch: values.watch === true, intervalMs }, io, deps);
    const world = await openCampaignWorld(values, io, withStackCache(deps), plan);
    try {
      return await watch(plan, world, values, { file, intervalMs, io, deps });
    } finally {
      await world.close();
    }
  };
}

/** The refreshes: once, or until the campaign ends with --watch. */
async function watch(
  plan: JobsPlan,
  world: World,
  values: Parameters<typeof campaignExecutionsIfAny>[0] & { readonly json?: boolean | undefined; readonly watch?: boolean | undefined },
  context: { readonly file: string; readonly intervalMs: number; readonly io: CliIO; readonly deps: CampaignDeps },
): Promise<number> {
  const { file, intervalMs, io } = context;
  // On a rehearsal, the rehearsal's own (simulated) clock.
  const deps = { ...context.deps, clock: world.clock };
  const backend = world.backend;
  const epochs = runningCurvesReader(plan, world);
  const printer = createPrinter(io, { json: values.json === true, watch: values.watch === true });
  let idleRefreshes = 0;
  for (;;) {
    const read = await withSageMaker("read the campaign's jobs", () => refresh(plan, backend, deps, io.signal));
    const view = await withEpochs(read, epochs, world.simulated, io);
    // With a stack whose state machine ran the campaign: the execution and its Map Run (server-side.ts).
    const executions = world.simulated ? undefined : await campaignExecutionsIfAny(values, io, context.deps, plan.campaign);
    printer.print(view, executions);
    if (values.watch !== true || view.finished || io.signal.aborted) break;
    // Nothing running and points left: no launcher is at work (it refills a slot at once).
    idleRefreshes = view.counts.inProgress + view.counts.stopping === 0 && !executions?.running ? idleRefreshes + 1 : 0;
    if (idleRefreshes >= 2) {
      io.stderr.write(
        `Nothing is running and ${plural(view.counts.notStarted, "point")} not started: \`segsweep launch ${file}\` launches them.\n`,
      );
      break;
    }
    try {
      await deps.clock.sleep(intervalMs, io.signal);
    } catch {
      break; // Ctrl-C while waiting
    }
  }
  printer.finish();
  return EXIT_OK;
}

/** Each running job's last epoch (one batched CloudWatch call); without it when CloudWatch refuses (said once per refresh). */
async function withEpochs(
  view: StatusView,
  read: ReturnType<typeof runningCurvesReader>,
  simulated: boolean,
  io: CliIO,
): Promise<StatusView> {
  const marked = simulated ? { ...view, simulated: true } : view;
  if (read === undefined || marked.counts.inProgress === 0) return marked;
  const running = marked.jobs.flatMap((row) =>
    row.job !== null && row.state === "in-progress" && row.createdAt !== null
      ? [{ name: row.job, status: "InProgress" as const, createdAt: Date.parse(row.createdAt) }]
      : [],
  );
  try {
    return withLatestEpochs(marked, await read(running, io.signal));
  } catch (error) {
    io.stderr.write(
      `Could not read the running jobs' epochs from CloudWatch (${error instanceof Error ? error.message : String(error)}).\n`,
    );
    return marked;
  }
}

/** `segsweep status`. */
export const status: Command = createStatusCommand();

/** One refresh: the campaign's jobs as full records (one Search call per 100), summarised. */
async function refresh(plan: JobsPlan, backend: TrainingBackend, deps: CampaignDeps, signal: AbortSignal): Promise<StatusView> {
  const jobs = await readCampaignJobs(backend, plan.campaign, signal);
  return summarizeStatus(plan, jobs, new Map(jobs.map((job) => [job.name, job])), deps.clock.now());
}

/**
 * Where views go. JSON: one object (one line per refresh when watching). Table: on a terminal,
 * redrawn in place; elsewhere (CI logs), the first table, then one line per change, then the
 * final table.
 */
function createPrinter(io: CliIO, options: { json: boolean; watch: boolean }) {
  const tty = io.stdout.isTTY === true;
  let previous: Map<string, string> | undefined;
  let last: StatusView | undefined;
  let lastExecutions: CampaignExecutions | undefined;
  let refreshes = 0;
  return {
    print(view: StatusView, executions?: CampaignExecutions): void {
      last = view;
      lastExecutions = executions;
      refreshes++;
      if (options.json) {
        const shown = executions !== undefined ? { ...view, stepFunctions: executions } : view;
        io.stdout.write(options.watch ? `${JSON.stringify(shown)}\n` : `${JSON.stringify(shown, null, 2)}\n`);
        return;
      }
      const rows = new Map(
        view.jobs.map((row) => [
          row.plannedJob,
          `${row.job ?? row.plannedJob} ${row.state}${row.secondaryStatus ? ` (${row.secondaryStatus})` : ""}${row.objective !== null ? ` ${view.objective} ${row.objective.toFixed(4)}` : ""}`,
        ]),
      );
      if (previous === undefined || !options.watch || tty) {
        io.stdout.write(`${tty && options.watch ? CLEAR_SCREEN : ""}${renderStatus(view)}`);
        writeExecutionLines(io, executions);
      } else {
        for (const [point, line] of rows) if (previous.get(point) !== line) io.stdout.write(`${view.at} ${line}\n`);
      }
      previous = rows;
    },
    /** Off a terminal, a watch ends with the whole table again. */
    finish(): void {
      if (!options.json && options.watch && !tty && last !== undefined && refreshes > 1) {
        io.stdout.write(`\n${renderStatus(last)}`);
        writeExecutionLines(io, lastExecutions);
      }
    },
  };
}

function parseFlags(argv: readonly string[]) {
  return parseCommandArgs(
    argv,
    {
      watch: { type: "boolean" },
      json: { type: "boolean" },
      interval: { type: "string" },
      ...STACK_OPTIONS,
      help: { type: "boolean", short: "h" },
    },
    HELP,
  );
}
