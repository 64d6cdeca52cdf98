import pLimit from "p-limit";
import { type Clock, systemClock } from "../../backend/clock.js";
import { BackendError, isTerminal, type JobDetails, type JobSnapshot, type TrainingBackend } from "../../backend/types.js";
import { UsageError, UserError } from "../../errors.js";
import type { PlanResult } from "../../plan/plan-file.js";
import type { LaunchPlan } from "../../plan/types.js";
import type { StackOutputs } from "../../stack/outputs.js";
import type { StackOutputsSource } from "../../stack/read.js";
import { countLine, renderDiagnostics } from "../format/diagnostics.js";
import type { CliIO } from "../io.js";

/**
 * What `status`, `stop` and `report` share: plan the sweep file (for the campaign's job names),
 * find the region, open the backend, list the campaign's jobs and describe the ended ones.
 * The outside world (backend, stack outputs, journal, clock) comes through `CampaignDeps`, so
 * command tests pass an in-memory backend and a fake clock.
 */
export interface CampaignDeps {
  /** Plans the sweep file (plan/plan-file.ts); reads only the file, calls no AWS. */
  planSweepFile(file: string): Promise<PlanResult>;
  createBackend(options: { readonly region: string; readonly endpoint?: string }): TrainingBackend | Promise<TrainingBackend>;
  readStackOutputs(source: StackOutputsSource, options: { readonly cwd: string; readonly env: CliIO["env"] }): Promise<StackOutputs>;
  /** Details the launcher's journal (.segsweep/<campaign>/) already holds for ended jobs, by name. */
  loadEndedDetails(cwd: string, campaign: string): Promise<ReadonlyMap<string, JobDetails>>;
  readonly clock: Clock;
}

/** The real world: SageMaker through the AWS SDK (loaded only when needed), Pulumi, the file journal. */
export const defaultCampaignDeps: CampaignDeps = {
  planSweepFile: async (file) => (await import("../../plan/plan-file.js")).planSweepFile(file),
  createBackend: async (options) => (await import("../../backend/sagemaker.js")).createSageMakerBackend(options),
  readStackOutputs: async (source, options) => (await import("../../stack/read.js")).readStackOutputs(source, options),
  loadEndedDetails: async (cwd, campaign) => {
    const { fileJournal } = await import("../../launch/journal.js");
    const ended = new Map<string, JobDetails>();
    for (const entry of await fileJournal(cwd, campaign).load()) {
      // Parsed from JSON, so optional fields are absent rather than undefined: the cast is sound.
      if (entry.type === "ended") ended.set(entry.name, entry.details as JobDetails);
    }
    return ended;
  },
  clock: systemClock,
};

/** parseArgs options for choosing the stack, shared by the three commands. */
export const STACK_OPTIONS = {
  stack: { type: "string" },
  "stack-outputs": { type: "string" },
} as const;

export const STACK_HELP = `  --stack NAME              read the region from this Pulumi stack's outputs
  --stack-outputs FILE      ... or from a file written by \`pulumi stack output --json\`
                            (without either: AWS_REGION or AWS_DEFAULT_REGION)`;

/** Plans the sweep file; an invalid file is a UserError listing every problem. */
export async function loadPlan(file: string, deps: CampaignDeps): Promise<LaunchPlan> {
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

/**
 * Opens the backend in the stack's region (--stack / --stack-outputs), else AWS_REGION /
 * AWS_DEFAULT_REGION. AWS_ENDPOINT_URL_SAGEMAKER points it at a VPC endpoint or the stand-in.
 */
export async function openBackend(
  flags: { readonly stack?: string | undefined; readonly "stack-outputs"?: string | undefined },
  io: CliIO,
  deps: CampaignDeps,
): Promise<TrainingBackend> {
  if (flags.stack !== undefined && flags["stack-outputs"] !== undefined) throw new UsageError("Pass --stack or --stack-outputs, not both.");
  let region: string | undefined;
  if (flags["stack-outputs"] !== undefined)
    region = (await deps.readStackOutputs({ file: flags["stack-outputs"] }, { cwd: io.cwd, env: io.env })).region;
  else if (flags.stack !== undefined) region = (await deps.readStackOutputs({ stack: flags.stack }, { cwd: io.cwd, env: io.env })).region;
  else region = nonEmpty(io.env.AWS_REGION) ?? nonEmpty(io.env.AWS_DEFAULT_REGION);
  if (region === undefined) {
    throw new UserError(
      "No AWS region: pass --stack NAME (or --stack-outputs FILE) to use the stack's region, or set one, e.g.\n  export AWS_REGION=us-east-1",
    );
  }
  const endpoint = nonEmpty(io.env.AWS_ENDPOINT_URL_SAGEMAKER);
  return deps.createBackend({ region, ...(endpoint !== undefined ? { endpoint } : {}) });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

/** Every job named `<campaign>-…`: one ListTrainingJobs call per 100 jobs. */
export function listCampaignJobs(backend: TrainingBackend, plan: LaunchPlan, signal?: AbortSignal): Promise<JobSnapshot[]> {
  return backend.listJobs(`${plan.campaign}-`, signal !== undefined ? { signal } : {});
}

/** Describes at most this many jobs at once: SageMaker's API is rate-limited per account. */
const DESCRIBE_PARALLELISM = 4;

/**
 * Adds the details of the given ended jobs to `known` (name -> details), describing only those
 * not known yet with that status. A job deleted meanwhile (ResourceNotFound) is skipped.
 */
export async function describeEnded(backend: TrainingBackend, jobs: readonly JobSnapshot[], known: Map<string, JobDetails>): Promise<void> {
  const limit = pLimit(DESCRIBE_PARALLELISM);
  const missing = jobs.filter((job) => isTerminal(job.status) && job.status !== "Deleting" && known.get(job.name)?.status !== job.status);
  await Promise.all(
    missing.map((job) =>
      limit(async () => {
        try {
          known.set(job.name, await backend.describeJob(job.name));
        } catch (error) {
          if (error instanceof BackendError && error.kind === "not-found") return;
          throw error;
        }
      }),
    ),
  );
}

/** Runs a step that talks to SageMaker, turning its errors into messages that say what to do. */
export async function withSageMaker<T>(what: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof BackendError)) throw error;
    const hint =
      error.kind === "access-denied"
        ? "\nCheck the AWS credentials (AWS_PROFILE) and that they carry the stack's operator policy (stack output operatorPolicyArn)."
        : error.kind === "throttled" || error.kind === "transient"
          ? "\nSageMaker kept refusing or failing; try again in a minute."
          : "";
    throw new UserError(`Could not ${what}: SageMaker said ${error.code}: ${error.message}${hint}`);
  }
}
