import { createInterface } from "node:readline/promises";
import { UserError } from "../errors.js";
import { EXIT_INTERRUPTED, EXIT_INVALID, EXIT_USAGE, exitCodeOf } from "./errors.js";
import { interruptedBy, STOP_SIGNALS } from "./interrupt.js";
import type { CliIO, Command } from "./io.js";
import { nodeNotice } from "./node-notice.js";

/** Commands that never look at io.signal (pure CPU and output): a signal ends them at the next turn of the event loop. */
const IGNORES_SIGNAL = new Set(["validate", "plan"]);

/** Commands load lazily, so `segsweep plan` never pays for the AWS SDK. */
const COMMANDS: Readonly<Record<string, { summary: string; load: () => Promise<Command> }>> = {
  validate: {
    summary: "check sweep files against the algorithm's contract",
    load: async () => (await import("./commands/validate.js")).validate,
  },
  plan: {
    summary: "show the training jobs a sweep file would launch (no AWS)",
    load: async () => (await import("./commands/plan.js")).plan,
  },
  launch: {
    summary: "launch a campaign's training jobs on SageMaker and follow them",
    load: async () => (await import("./commands/launch.js")).launch,
  },
  preflight: {
    summary: "check the stack, the data and the quotas before a campaign",
    load: async () => (await import("./commands/preflight.js")).preflight,
  },
  status: { summary: "show the state of a campaign's training jobs", load: async () => (await import("./commands/status.js")).status },
  stop: { summary: "stop every in-progress training job of a campaign", load: async () => (await import("./commands/stop.js")).stop },
  report: {
    summary: "leaderboard, best hyperparameters, failures and cost of a campaign",
    load: async () => (await import("./commands/report.js")).report,
  },
};

export const USAGE = `Usage: segsweep <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, { summary }]) => `  ${name.padEnd(9)} ${summary}`)
  .join("\n")}

Run 'segsweep <command> --help' for a command's options; 'segsweep --version' prints the version.
`;

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(USAGE);
    return name === undefined ? EXIT_USAGE : 0;
  }
  if (name === "--version" || name === "-V") {
    io.stdout.write(`${await (await import("./version.js")).segsweepVersion()}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.stderr.write(`segsweep: unknown command "${name}".\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  try {
    const run = (await command.load())(rest, io);
    const code = IGNORES_SIGNAL.has(name) ? await Promise.race([run, aborted(io.signal)]) : await run;
    if (!io.signal.aborted) return code;
    // launch and preflight say it themselves, with what still runs; the others are told here.
    if (code !== EXIT_INTERRUPTED || IGNORES_SIGNAL.has(name)) io.stderr.write(`${interruptedBy(io.signal)}\n`);
    return EXIT_INTERRUPTED;
  } catch (error) {
    // A call cut short by the signal fails with the SDK's AbortError: that is the interrupt, not a refusal.
    if (io.signal.aborted) {
      io.stderr.write(`${interruptedBy(io.signal)}\n`);
      return EXIT_INTERRUPTED;
    }
    if (error instanceof UserError) {
      io.stderr.write(`${error.message.trimEnd()}\n`);
      return exitCodeOf(error);
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr.write(`segsweep: internal error (a bug; please report it with this output):\n${detail}\n`);
    return EXIT_INVALID;
  }
}

/** Resolves EXIT_INTERRUPTED once `signal` aborts (never, when it does not). */
function aborted(signal: AbortSignal): Promise<number> {
  if (signal.aborted) return Promise.resolve(EXIT_INTERRUPTED);
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(EXIT_INTERRUPTED), { once: true }));
}

/** The real process: stdio, env, SIGINT/SIGTERM wired to an AbortSignal (its reason names the signal), a TTY prompt when there is one. */
export function processIO(): CliIO {
  const controller = new AbortController();
  for (const name of STOP_SIGNALS) {
    process.on(name, () => {
      if (controller.signal.aborted) process.exit(130); // a second signal: leave now
      controller.abort(name);
    });
  }
  // segsweep's one line replaces the AWS SDK's nine-line Node version warning (node-notice.ts).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const notice = nodeNotice(process.version, process.env);
  if (notice !== undefined) process.stderr.write(notice);
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    signal: controller.signal,
    ...(interactive
      ? {
          confirm: async (question: string) => {
            const rl = createInterface({ input: process.stdin, output: process.stderr });
            try {
              return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
            } finally {
              rl.close();
            }
          },
        }
      : {}),
  };
}
