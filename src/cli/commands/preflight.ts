import { adviseOn } from "../../backend/advice.js";
import { UsageError, UserError } from "../../errors.js";
import type { CampaignPlanResult } from "../../plan/plan-file.js";
import type { CallerIdentity, PreflightClients, PreflightReport } from "../../preflight/index.js";
import { DEFAULT_MAX_OBJECTS, runPreflight } from "../../preflight/index.js";
import type { StackOutputs } from "../../stack/outputs.js";
import type { StackOutputsSource } from "../../stack/read.js";
import { parseCommandArgs } from "../args.js";
import { EXIT_INTERRUPTED, EXIT_INVALID, EXIT_OK } from "../errors.js";
import { progressPrinter, renderPreflight } from "../format/preflight.js";
import type { CliIO, Command } from "../io.js";
import { flaggedStackSource, loadPlan, STACK_OPTIONS, sweepFileArgument } from "./campaign-context.js";

const HELP = `Usage: segsweep preflight FILE (--stack NAME | --stack-outputs FILE) [--json] [--max-objects N]

Checks that the sweep file's campaign can run, before a GPU hour is spent: who and where (account,
region, endpoints), the stack's guardrails (instance type, max_runtime), the data in S3 (each
channel's prefix, JPEG images and PNG annotations paired by name, num_training_samples, label
maps, augmented manifests) and the account's training quotas. Reads only; creates nothing.
One line per check: pass, warn or fail, with the numbers. Exit 0 when nothing failed, 1 otherwise.
Endpoints and credentials come from the AWS SDK's chain (AWS_PROFILE, AWS_ENDPOINT_URL_S3,
AWS_ENDPOINT_URL_SAGEMAKER, AWS_ENDPOINT_URL_SERVICE_QUOTAS, AWS_ENDPOINT_URL_STS, ...).

  --stack NAME              read the stack's outputs with \`pulumi stack output --json\`
  --stack-outputs FILE      ... or from a file written by that command
  --json                    print the report as one JSON object (docs/preflight.md)
  --max-objects N           list at most N objects per prefix (default ${DEFAULT_MAX_OBJECTS.toLocaleString("en-US")});
                            past it, a warning says the checks saw only the first part
`;

/** What the command needs from the outside world; tests pass clients on local servers. */
export interface PreflightDeps {
  planSweepFile(file: string): Promise<CampaignPlanResult>;
  readStackOutputs(source: StackOutputsSource, options: { readonly cwd: string; readonly env: CliIO["env"] }): Promise<StackOutputs>;
  /** The read-only AWS clients in `region`, and the services whose endpoint is not AWS's own. */
  openClients(region: string): Promise<{ readonly clients: PreflightClients; readonly endpoints: Readonly<Record<string, string>> }>;
  /** Who and where (backend/identity.ts: STS GetCallerIdentity, endpoints from the environment). */
  callerIdentity(region: string): Promise<CallerIdentity>;
}

/** The real world: the AWS SDK's clients, loaded only when the command runs. */
export const defaultPreflightDeps: PreflightDeps = {
  planSweepFile: async (file) => (await import("../../plan/plan-file.js")).planSweepFile(file),
  readStackOutputs: async (source, options) => (await import("../../stack/read.js")).readStackOutputs(source, options),
  openClients: async (region) => (await import("./preflight-clients.js")).openPreflightClients(region),
  // The process's environment, as the SDK clients of openClients read it: one account for both.
  callerIdentity: async (region) => (await import("../../backend/identity.js")).callerIdentity({ region, env: process.env }),
};

function parseMaxObjects(value: string | undefined): number {
  if (value === undefined) return DEFAULT_MAX_OBJECTS;
  const n = Number(value.replaceAll(/[_,]/g, ""));
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--max-objects must be a whole number of objects, at least 1; got "${value}".`);
  return n;
}

async function readStack(
  flags: { readonly stack?: string | undefined; readonly "stack-outputs"?: string | undefined },
  io: CliIO,
  deps: PreflightDeps,
): Promise<StackOutputs> {
  const source = flaggedStackSource(flags);
  if (source === undefined) {
    throw new UsageError(`preflight checks a sweep against a stack: pass --stack NAME or --stack-outputs FILE.\n\n${HELP}`);
  }
  return deps.readStackOutputs(source, { cwd: io.cwd, env: io.env });
}

/** Who and where, asked as `launch` asks it (backend/identity.ts), its failure advised on as `launch`'s. */
async function whoAndWhere(region: string, deps: PreflightDeps): Promise<CallerIdentity> {
  try {
    return await deps.callerIdentity(region);
  } catch (error) {
    throw adviseOn(error, { what: "find out which AWS account the credentials reach", service: "STS" });
  }
}

/** `segsweep preflight` with its outside world injected. */
export function createPreflightCommand(deps: PreflightDeps = defaultPreflightDeps): Command {
  return async (argv, io) => {
    const { values, positionals } = parseCommandArgs(
      argv,
      { ...STACK_OPTIONS, json: { type: "boolean" }, "max-objects": { type: "string" }, help: { type: "boolean", short: "h" } },
      HELP,
    );
    if (values.help) {
      io.stdout.write(HELP);
      return EXIT_OK;
    }
    const file = sweepFileArgument(positionals, "preflight", HELP);
    const maxObjects = parseMaxObjects(values["max-objects"]);
    const plan = await loadPlan(file, deps);
    if (plan.engine === "tuning") throw new UserError(tuningPreflightRefusal(file));
    const stack = await readStack(values, io, deps);
    const identity = await whoAndWhere(stack.region, deps);
    const { clients, endpoints } = await deps.openClients(stack.region);
    let report: PreflightReport;
    try {
      report = await runPreflight(plan, stack, clients, {
        identity,
        endpoints,
        maxObjects,
        onProgress: progressPrinter(io.stderr),
        signal: io.signal,
      });
    } catch (error) {
      if (io.signal.aborted) return EXIT_INTERRUPTED;
      throw error;
    }
    io.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : renderPreflight(report));
    return report.ok ? EXIT_OK : EXIT_INVALID;
  };
}

/** `segsweep preflight`. */
export const preflight: Command = createPreflightCommand();

/** Preflight checks the jobs engine's requests; a tuning sweep's are checked by `plan` and, on submission, by AMT. */
function tuningPreflightRefusal(file: string): string {
  return (
    `${file} runs on the tuning engine (SageMaker Automatic Model Tuning); segsweep preflight checks only jobs-engine campaigns so far.\n` +
    `segsweep validate ${file} and segsweep plan ${file} check its tuning job requests offline (docs/tuning.md).`
  );
}
