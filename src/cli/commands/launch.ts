import { UsageError } from "../../errors.js";
import { parseDurationMs } from "../../util/duration.js";
import { parseCommandArgs } from "../args.js";
import { EXIT_INVALID, EXIT_OK } from "../errors.js";
import { countLine, renderDiagnostics } from "../format/diagnostics.js";
import type { Command } from "../io.js";
import { type CampaignDeps, defaultDeps } from "./deps.js";
import type { LaunchFlags } from "./launch-run.js";

const HELP = `Usage: segsweep launch FILE [options]

Launches the sweep file's training jobs on SageMaker, never more in progress than
limits.max_concurrency, follows them to the end and prints the leaderboard. Safe to run
again (after a crash, Ctrl-C, on another machine): it launches only what is missing.

  --yes                     do not ask for confirmation (required without a terminal, e.g. in CI)
  --stack NAME              read the stack outputs with \`pulumi stack output --json --stack NAME\`
  --stack-outputs FILE      ... or from a file written by \`pulumi stack output --json\`
                            (without either: the current Pulumi stack)
  --max-concurrency N       jobs in progress at once (default: limits.max_concurrency)
  --poll-interval D         base status poll interval, e.g. 30s, 200ms (default 30s)
  --launch-rate R           CreateTrainingJob calls per second at most (default 2)
  --dry-run                 print the CreateTrainingJob requests as JSON; call nothing
  --simulate                rehearse against a local SageMaker stand-in, in seconds; costs nothing
  --events FILE             also write every event as NDJSON to FILE
  --detach                  tuning sweeps: create the tuning jobs and return without following them
  --runner R                local (default): this process launches and follows the jobs;
                            stepfunctions: the stack's state machine runs the campaign in the
                            account, with no machine of yours alive (docs/server-side.md). It
                            writes the missing points to S3, starts one execution, prints it
                            and returns; running it again while it runs starts nothing.
                            With --dry-run: the execution's name, input and items, as JSON
  --follow                  with --runner stepfunctions: follow the jobs until the execution ends
  --take-over               with --runner stepfunctions: start although jobs launched locally are
                            in progress (only once no local launch of the campaign runs)

Exit codes: 0 campaign finished, 1 invalid input, failed campaign or past limits.max_failures,
2 usage error, 130 interrupted (Ctrl-C; the jobs keep running on SageMaker).
`;

/** `segsweep launch` with the given outside world. */
export function createLaunchCommand(deps: CampaignDeps = defaultDeps): Command {
  return async (argv, io) => {
    const flags = parseLaunchFlags(argv);
    if (flags === "help") {
      io.stdout.write(HELP);
      return EXIT_OK;
    }
    if (!flags.yes && !flags.dryRun && !flags.simulate && io.confirm === undefined) {
      throw new UsageError(
        "segsweep launch spends money and there is no terminal to confirm on: pass --yes to launch without asking (as in CI).",
      );
    }
    const result = await deps.planSweepFile(flags.file);
    if (!result.ok) {
      io.stderr.write(
        `${renderDiagnostics(result.diagnostics)}\n${flags.file}: invalid, nothing launched (${countLine(result.diagnostics)}).\n`,
      );
      return EXIT_INVALID;
    }
    const { runLaunch } = await import("./launch-run.js");
    return runLaunch(result.plan, flags, io, deps);
  };
}

/** `segsweep launch`. */
export const launch: Command = createLaunchCommand();

/** Parses argv; "help" for --help. Throws UsageError on bad flags. */
export function parseLaunchFlags(argv: readonly string[]): LaunchFlags | "help" {
  const parsed = parseCommandArgs(
    argv,
    {
      yes: { type: "boolean", short: "y" },
      stack: { type: "string" },
      "stack-outputs": { type: "string" },
      "max-concurrency": { type: "string" },
      "poll-interval": { type: "string" },
      "launch-rate": { type: "string" },
      "dry-run": { type: "boolean" },
      simulate: { type: "boolean" },
      events: { type: "string" },
      detach: { type: "boolean" },
      runner: { type: "string" },
      follow: { type: "boolean" },
      "take-over": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    HELP,
  );
  const { values, positionals } = parsed;
  if (values.help) return "help";
  if (positionals.length !== 1 || positionals[0] === undefined) {
    throw new UsageError(
      `segsweep launch takes one sweep file; got ${positionals.length === 0 ? "none" : positionals.join(" ")}.\n\n${HELP}`,
    );
  }
  if (values.stack !== undefined && values["stack-outputs"] !== undefined)
    throw new UsageError("Pass --stack or --stack-outputs, not both.");
  if (values.simulate && (values.stack !== undefined || values["stack-outputs"] !== undefined)) {
    throw new UsageError("--simulate uses made-up stack outputs; drop --stack / --stack-outputs.");
  }
  const runner = parseRunner(values.runner, values.follow === true || values["take-over"] === true, values.simulate === true);
  const maxConcurrency =
    values["max-concurrency"] === undefined ? undefined : positiveInteger(values["max-concurrency"], "--max-concurrency", 1000);
  const pollIntervalMs = values["poll-interval"] === undefined ? undefined : pollInterval(values["poll-interval"]);
  const launchRate = values["launch-rate"] === undefined ? undefined : positiveNumber(values["launch-rate"], "--launch-rate");
  return {
    file: positionals[0],
    yes: values.yes === true,
    stackSource: values["stack-outputs"] !== undefined ? { file: values["stack-outputs"] } : { stack: values.stack },
    dryRun: values["dry-run"] === true,
    simulate: values.simulate === true,
    ...(maxConcurrency !== undefined ? { maxConcurrency } : {}),
    ...(pollIntervalMs !== undefined ? { pollIntervalMs } : {}),
    ...(launchRate !== undefined ? { launchRate } : {}),
    ...(values.events !== undefined ? { eventsFile: values.events } : {}),
    ...(values.detach === true ? { detach: true } : {}),
    ...(runner === "stepfunctions" ? { runner, follow: values.follow === true, takeOver: values["take-over"] === true } : {}),
  };
}

/** --runner: local (default) or stepfunctions; --follow and --take-over belong to stepfunctions, which --simulate cannot run. */
function parseRunner(text: string | undefined, serverSideFlags: boolean, simulate: boolean): "local" | "stepfunctions" {
  const runner = text ?? "local";
  if (runner !== "local" && runner !== "stepfunctions") throw new UsageError(`--runner must be local or stepfunctions; got "${text}".`);
  if (runner === "local" && serverSideFlags) throw new UsageError("--follow and --take-over go with --runner stepfunctions.");
  if (runner === "stepfunctions" && simulate) {
    throw new UsageError(
      "--simulate rehearses the local runner; the stand-in has no Step Functions. Drop --simulate or --runner stepfunctions.",
    );
  }
  return runner;
}

function positiveInteger(text: string, flag: string, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > max)
    throw new UsageError(`${flag} must be a whole number from 1 to ${max}; got "${text}".`);
  return value;
}

function positiveNumber(text: string, flag: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value <= 0) throw new UsageError(`${flag} must be a number above 0; got "${text}".`);
  return value;
}

function pollInterval(text: string): number {
  const ms = parseDurationMs(text);
  if (ms === undefined || ms < 1) throw new UsageError(`--poll-interval must be a duration such as 30s, 2m or 200ms; got "${text}".`);
  return ms;
}
