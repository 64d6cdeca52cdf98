// A launcher process for the SIGKILL test: `segsweep launch` exactly as the CLI runs it (real
// signals, stdio, env, journal in the working directory), with a plan built from the fixtures so
// the test does not depend on a sweep file. Usage: kill-child.ts JOBS CAMPAIGN MAX_CONCURRENCY -- ARGS...
import { defaultDeps } from "../../../src/cli/commands/deps.js";
import { createLaunchCommand } from "../../../src/cli/commands/launch.js";
import { exitCodeOf } from "../../../src/cli/errors.js";
import { processIO } from "../../../src/cli/main.js";
import { UserError } from "../../../src/errors.js";
import { makePlan } from "../../campaign/fixtures.js";

const [jobs = "10", campaign = "seg-kill", maxConcurrency = "3", separator, ...args] = process.argv.slice(2);
if (separator !== "--") throw new Error("usage: kill-child.ts JOBS CAMPAIGN MAX_CONCURRENCY -- ARGS...");
const plan = makePlan({ jobs: Number(jobs), campaign, maxConcurrency: Number(maxConcurrency) });
const launch = createLaunchCommand({ ...defaultDeps, planSweepFile: async () => ({ ok: true, plan }) });
try {
  process.exitCode = await launch(args, processIO());
} catch (error) {
  if (!(error instanceof UserError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = exitCodeOf(error);
}
