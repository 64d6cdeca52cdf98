import { adviseOn } from "../../backend/advice.js";
import { simulatedStateDir } from "../../campaign/simulated-state.js";
import type { World } from "../../campaign/world.js";
import { UsageError, UserError } from "../../errors.js";
import type { LaunchPlan } from "../../plan/types.js";
import type { StackOutputsSource } from "../../stack/read.js";
import { countLine, renderDiagnostics } from "../format/diagnostics.js";
import type { CliIO } from "../io.js";
import type { CampaignDeps } from "./deps.js";

/**
 * What `status`, `stop` and `report` share on the CLI side: the sweep file argument, its plan
 * (for the campaign's job names), the region, and SageMaker's refusals turned into advice. The
 * outside world comes through CampaignDeps (deps.ts).
 */

/** parseArgs options for choosing the stack, shared by the three commands. */
export const STACK_OPTIONS = {
  stack: { type: "string" },
  "stack-outputs": { type: "string" },
  simulate: { type: "boolean" },
} as const;

export const STACK_HELP = `  --stack NAME              read the region from this Pulumi stack's outputs
  --stack-outputs FILE      ... or from a file written by \`pulumi stack output --json\`
                            (without either: AWS_REGION or AWS_DEFAULT_REGION)
  --simulate                the rehearsal \`launch FILE --simulate\` keeps in .segsweep/ (no AWS)`;

/** Plans the sweep file; an invalid file is a UserError listing every problem. */
export async function loadPlan(file: string, deps: Pick<CampaignDeps, "planSweepFile">): Promise<LaunchPlan> {
  const result = await deps.planSweepFile(file);
  if (result.ok) return result.plan;
  throw new UserError(
    `${renderDiagnostics(result.diagnostics)}\n${file}: cannot be planned, so its campaign cannot be looked up (${countLine(result.diagnostics)}).`,
  );
}

/** The one positional argument, the sweep file. */
export function sweepFileArgument(positionals: readonly string[], command: string, help: string): string {
  if (positionals.length !== 1 || positionals[0] === undefined) {
    throw new UsageError(
      `segsweep ${command} takes one sweep file; got ${positionals.length === 0 ? "none" : positionals.length}.\n\n${help}`,
    );
  }
  return positionals[0];
}

/** The stack the flags name (--stack NAME or --stack-outputs FILE), undefined for neither; a UsageError for both. */
export function flaggedStackSource(flags: {
  readonly stack?: string | undefined;
  readonly "stack-outputs"?: string | undefined;
}): StackOutputsSource | undefined {
  if (flags.stack !== undefined && flags["stack-outputs"] !== undefined) throw new UsageError("Pass --stack or --stack-outputs, not both.");
  if (flags["stack-outputs"] !== undefined) return { file: flags["stack-outputs"] };
  return flags.stack !== undefined ? { stack: flags.stack } : undefined;
}

/** The stack's region (--stack / --stack-outputs), else AWS_REGION / AWS_DEFAULT_REGION; a UserError without one. */
async function campaignRegion(
  flags: { readonly stack?: string | undefined; readonly "stack-outputs"?: string | undefined },
  io: CliIO,
  deps: CampaignDeps,
): Promise<string> {
  const source = flaggedStackSource(flags);
  const region =
    source !== undefined
      ? (await deps.readStackOutputs(source, { cwd: io.cwd, env: io.env })).region
      : (nonEmpty(io.env.AWS_REGION) ?? nonEmpty(io.env.AWS_DEFAULT_REGION));
  if (region === undefined) {
    throw new UserError(
      "No AWS region: pass --stack NAME (or --stack-outputs FILE) to use the stack's region, or set one, e.g.\n  export AWS_REGION=us-east-1",
    );
  }
  return region;
}

/**
 * The world a command reads the campaign in: the rehearsal kept on disk with --simulate (its
 * stand-in restarted from its saved calls; close it when done), else SageMaker in the stack's
 * region (--stack / --stack-outputs) or AWS_REGION / AWS_DEFAULT_REGION, with CloudWatch's metrics.
 */
export async function openCampaignWorld(
  flags: { readonly stack?: string | undefined; readonly "stack-outputs"?: string | undefined; readonly simulate?: boolean | undefined },
  io: CliIO,
  deps: CampaignDeps,
  plan: LaunchPlan,
): Promise<World> {
  if (flags.simulate === true) {
    if (flags.stack !== undefined || flags["stack-outputs"] !== undefined)
      throw new UsageError("--simulate reads the rehearsal kept here: no stack.");
    const region = nonEmpty(io.env.AWS_REGION) ?? "us-east-1";
    return deps.simulate(plan, {
      region,
      maxConcurrency: plan.limits.maxConcurrency,
      // Beside the journal: at the sweep file's git root, wherever the command runs from.
      stateDir: simulatedStateDir((await deps.sweepFileLocation(plan.sweepFile, io.cwd)).home, plan.campaign),
      existingOnly: true,
    });
  }
  return deps.connect({ region: await campaignRegion(flags, io, deps), env: io.env, clock: deps.clock, campaign: plan.campaign });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

/** Runs a step that talks to SageMaker, turning its errors into messages that say what to do. */
export async function withSageMaker<T>(what: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw adviseOn(error, { what });
  }
}
