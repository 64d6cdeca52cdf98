import type { Identity } from "../../backend/identity.js";
import { UserError } from "../../errors.js";
import type { JobsPlan, LaunchPlan } from "../../plan/types.js";
import type { CallerIdentity, CheckResult, PreflightReport } from "../../preflight/index.js";
import { runPreflight } from "../../preflight/index.js";
import type { StackOutputs } from "../../stack/outputs.js";
import type { StackOutputsSource } from "../../stack/read.js";
import { EXIT_INTERRUPTED } from "../errors.js";
import { type HintContext, hintCommand } from "../format/hint.js";
import { progressPrinter, renderPreflight } from "../format/preflight.js";
import type { CliIO } from "../io.js";
import type { CampaignDeps } from "./deps.js";
import { launchHintContext } from "./hints.js";

/**
 * `segsweep preflight`'s checks at the start of `launch`, before the first CreateTrainingJob:
 * a failed check refuses the launch (nothing created), as `segsweep preflight` would have said;
 * warnings are printed and the launch goes on. `--skip-preflight` skips them, loudly; a rehearsal
 * (`--simulate`) says which checks it cannot make instead of pretending they passed.
 */

/** What the gate needs: the plan, the stack the jobs will use, who asks, and how to reach AWS. */
export interface LaunchPreflightRequest {
  readonly plan: JobsPlan;
  readonly stack: StackOutputs;
  readonly identity: Identity;
  readonly io: CliIO;
  readonly deps: Pick<CampaignDeps, "openPreflightClients">;
  /** The user passed --skip-preflight. */
  readonly skip: boolean;
  /** How the commands suggested are written (format/hint.ts). */
  readonly hints?: HintContext;
}

/** The lines `launch --simulate` prints in place of the checks: what a rehearsal cannot check. */
export function simulatedPreflightNote(sweepFile: string): string {
  return (
    "[simulated] preflight not run: the stand-in has no S3 (so no data checks), no Service Quotas (no capacity check) and " +
    `made-up stack outputs (no guardrail check); before the real launch, run: segsweep preflight ${sweepFile} --stack NAME\n`
  );
}

/** Preflight's checks read a jobs-engine plan; a tuning sweep launches without them, and says so. */
export function tuningPreflightNote(sweepFile: string): string {
  return `preflight not run: ${sweepFile} runs on the tuning engine, and preflight checks only jobs-engine campaigns so far (docs/preflight.md).\n`;
}

/** The loud warning of --skip-preflight. */
export function skippedPreflightNote(): string {
  return (
    "WARNING: --skip-preflight: the data in S3, the stack's guardrails (instance types, maximum run time) and the " +
    "account's training quotas were NOT checked. A missing or malformed dataset fails every job only after its " +
    "instance has started, and each such job is billed.\n"
  );
}

function callerOf(identity: Identity): CallerIdentity {
  return {
    account: identity.account,
    region: identity.region,
    ...(identity.arn !== undefined ? { arn: identity.arn } : {}),
    ...(identity.endpoint !== undefined ? { endpoint: identity.endpoint } : {}),
  };
}

/** The checks that did not pass, as `segsweep preflight` prints them. */
function notPassed(report: PreflightReport): string {
  const shown: CheckResult[] = report.checks.filter((check) => check.status !== "pass");
  return renderPreflight({ ...report, checks: shown })
    .split("\n")
    .slice(0, -2)
    .map((line) => `${line}\n`)
    .join("");
}

/** The verdict as lines on stderr; "" for nothing to say beyond the summary. */
export function preflightVerdict(report: PreflightReport): string {
  const { pass, warn, fail } = report.counts;
  const counts = `${pass} passed, ${warn} ${warn === 1 ? "warning" : "warnings"}, ${fail} failed`;
  return `${notPassed(report)}Preflight of ${report.sweepFile}: ${counts}.\n`;
}

/**
 * Runs the checks (printing the verdict on stderr). Resolves with the report, "skipped", or
 * "interrupted" (Ctrl-C while listing); throws a UserError listing every failed check when any failed.
 */
export async function preflightBeforeLaunch(request: LaunchPreflightRequest): Promise<PreflightReport | "skipped" | "interrupted"> {
  const { plan, stack, io, deps } = request;
  if (request.skip) {
    io.stderr.write(skippedPreflightNote());
    return "skipped";
  }
  const { clients, endpoints } = await deps.openPreflightClients(stack.region);
  let report: PreflightReport;
  try {
    report = await runPreflight(plan, stack, clients, {
      identity: callerOf(request.identity),
      endpoints,
      onProgress: progressPrinter(io.stderr),
      signal: io.signal,
    });
  } catch (error) {
    if (io.signal.aborted) return "interrupted";
    throw error;
  }
  if (!report.ok) {
    throw new UserError(
      `${notPassed(report)}${plan.sweepFile}: preflight found ${report.counts.fail} failed ${report.counts.fail === 1 ? "check" : "checks"}; nothing launched.\n` +
        `Fix them and launch again (\`${hintCommand(request.hints ?? { program: "segsweep", flags: [] }, "preflight", plan.sweepFile)}\` ` +
        "checks again without launching; --skip-preflight launches anyway).",
    );
  }
  io.stderr.write(preflightVerdict(report));
  return report;
}

/** The gate as `launch` calls it: undefined to go on, or the exit code to return with. */
export async function launchPreflightGate(
  request: Omit<LaunchPreflightRequest, "plan"> & { readonly plan: LaunchPlan; readonly simulated: boolean },
): Promise<number | undefined> {
  const { plan } = request;
  if (request.simulated) {
    request.io.stderr.write(simulatedPreflightNote(plan.sweepFile));
    return undefined;
  }
  if (plan.engine === "tuning") {
    request.io.stderr.write(tuningPreflightNote(plan.sweepFile));
    return undefined;
  }
  const verdict = await preflightBeforeLaunch({ ...request, plan });
  if (verdict !== "interrupted") return undefined;
  request.io.stderr.write("Interrupted during preflight; nothing launched.\n");
  return EXIT_INTERRUPTED;
}

/** The gate from `launch`'s own facts: its plan, flags, IO and deps, the stack in use and who asks. */
export function gateLaunch(
  launch: {
    readonly plan: LaunchPlan;
    readonly io: CliIO;
    readonly deps: Pick<CampaignDeps, "openPreflightClients">;
    readonly flags: { readonly skipPreflight?: boolean; readonly stackSource: StackOutputsSource; readonly simulate: boolean };
  },
  stack: StackOutputs,
  identity: Identity,
  simulated: boolean,
): Promise<number | undefined> {
  const { plan, io, deps, flags } = launch;
  const skip = flags.skipPreflight === true;
  return launchPreflightGate({ plan, stack, identity, io, deps, skip, simulated, hints: launchHintContext(io, flags) });
}
