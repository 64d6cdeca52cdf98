import { adviseOn } from "../../backend/advice.js";
import { simulatedStackOutputs } from "../../campaign/simulate.js";
import { UserError } from "../../errors.js";
import type { LaunchPlan } from "../../plan/types.js";
import type { StackOutputs } from "../../stack/outputs.js";
import type { StackOutputsSource } from "../../stack/read.js";
import { EXIT_OK } from "../errors.js";
import type { CliIO } from "../io.js";
import type { CampaignDeps } from "./deps.js";
import { gateLaunch, simulatedPreflightNote } from "./launch-preflight.js";

/**
 * Where `launch` gets its stack outputs, and `launch --dry-run`: the requests on stdout, then
 * preflight's verdict on stderr when there are real stack outputs to check against. A dry run
 * with no stack outputs at all (no --stack, no --stack-outputs, and no Pulumi stack to ask)
 * prints the requests with marked placeholders instead of failing.
 */

/** The launch flags this file reads (a part of launch-run.ts's LaunchFlags). */
interface LaunchFlags {
  readonly file: string;
  readonly stackSource: StackOutputsSource;
  readonly dryRun: boolean;
  readonly simulate: boolean;
  readonly skipPreflight?: boolean;
}

/** The stack outputs a launch uses, and whether they are placeholders (a dry run without any). */
export interface LaunchStack {
  readonly stack: StackOutputs;
  readonly placeholders?: string;
}

/** `<stack output NAME>`: what a placeholder looks like in a dry run's requests. */
export function placeholder(name: keyof StackOutputs): string {
  return `<stack output ${name}>`;
}

/** Stack outputs made of placeholders, in `region`. */
export function placeholderStack(region: string): StackOutputs {
  return {
    region,
    bucketName: placeholder("bucketName"),
    datasetsUri: placeholder("datasetsUri"),
    outputsUri: placeholder("outputsUri"),
    checkpointsUri: placeholder("checkpointsUri"),
    campaignsUri: placeholder("campaignsUri"),
    trainingRoleArn: placeholder("trainingRoleArn"),
    operatorPolicyArn: placeholder("operatorPolicyArn"),
    trainingImage: placeholder("trainingImage"),
    instanceTypes: [placeholder("instanceTypes")],
  };
}

/** The stack outputs: made up for --simulate, placeholders for a dry run that has none, else read. */
export async function launchStack(flags: LaunchFlags, io: CliIO, deps: CampaignDeps, region: string): Promise<LaunchStack> {
  if (flags.simulate) return { stack: simulatedStackOutputs(region) };
  const unnamed = "stack" in flags.stackSource && flags.stackSource.stack === undefined;
  try {
    return { stack: await deps.readStackOutputs(flags.stackSource, { cwd: io.cwd, env: io.env }) };
  } catch (error) {
    // Only a dry run that named no stack falls back: a named stack or file that cannot be read is an error.
    if (!(flags.dryRun && unnamed && error instanceof UserError)) throw error;
    return { stack: placeholderStack(region), placeholders: error.message.split("\n")[0] ?? "" };
  }
}

/** What a dry run prints: the requests, then preflight's verdict (or why there is none). */
export async function dryRun(
  launch: { readonly plan: LaunchPlan; readonly flags: LaunchFlags; readonly io: CliIO; readonly deps: CampaignDeps },
  stack: LaunchStack,
  requests: unknown,
): Promise<number> {
  const { plan, flags, io, deps } = launch;
  io.stdout.write(`${JSON.stringify(requests, null, 2)}\n`);
  if (flags.simulate) {
    io.stderr.write(simulatedPreflightNote(plan.sweepFile));
    return EXIT_OK;
  }
  if (stack.placeholders !== undefined) {
    io.stderr.write(
      `No stack outputs (${stack.placeholders}): the requests above show placeholders such as ${placeholder("trainingRoleArn")} ` +
        "where the stack's values go, and preflight was not run. Pass --stack NAME or --stack-outputs FILE for the real requests.\n",
    );
    return EXIT_OK;
  }
  let identity: Awaited<ReturnType<CampaignDeps["identify"]>>;
  try {
    identity = await deps.identify({ region: stack.stack.region, env: io.env, clock: deps.clock });
  } catch (error) {
    throw adviseOn(error, {
      what: "find out which AWS account the credentials reach (for preflight)",
      service: "STS",
      sweepFile: flags.file,
    });
  }
  const gate = await gateLaunch(launch, stack.stack, identity, false);
  return gate ?? EXIT_OK;
}
