import { type Clock, systemClock } from "../../backend/clock.js";
import type { Identity } from "../../backend/identity.js";
import type { ServerSide } from "../../campaign/engines/stepfunctions/runner.js";
import { fileJournal, type Journal } from "../../campaign/journal.js";
import type { ConnectRequest, World } from "../../campaign/world.js";
import type { CampaignPlanResult, LaunchPlan } from "../../plan/types.js";
import type { StackOutputs } from "../../stack/outputs.js";
import type { StackOutputsSource } from "../../stack/read.js";
import type { CliIO } from "../io.js";

/**
 * The one dependency bag of the campaign commands (`launch`, `status`, `stop`, `report`): every
 * way they reach the outside world, so tests pass an in-memory SageMaker, a fake clock and
 * files of their own. The defaults load the AWS SDK, Pulumi and the stand-in only when used.
 */
export interface CampaignDeps {
  /** Plans the sweep file on the engine it names (plan/plan-file.ts); reads only the file, calls no AWS. */
  planSweepFile(file: string): Promise<CampaignPlanResult>;
  readStackOutputs(source: StackOutputsSource, options: { readonly cwd: string; readonly env: CliIO["env"] }): Promise<StackOutputs>;
  /** SageMaker (and the events queue) in a region, endpoints from the environment. */
  connect(request: ConnectRequest): Promise<World>;
  /** The account and region the environment's credentials reach (STS). */
  identify(request: Pick<ConnectRequest, "region" | "env" | "clock">): Promise<Identity>;
  /** The stand-in, started in this process (loaded only with --simulate). */
  simulate(
    plan: LaunchPlan,
    options: {
      readonly region: string;
      readonly maxConcurrency: number;
      /** Where the rehearsal is kept between commands (campaign/simulated-state.ts). */
      readonly stateDir?: string;
      /** Open a kept rehearsal only (status, report, stop). */
      readonly existingOnly?: boolean;
    },
  ): Promise<World>;
  /** The launch journal of a campaign for one identity, under `cwd`. */
  openJournal(cwd: string, campaign: string, identity: Identity): Journal;
  gitCommit(file: string, cwd: string): Promise<string | undefined>;
  readonly clock: Clock;
  /** The stack's state machine and campaign items (server-side campaigns); default: the AWS SDK (server-side.ts). */
  serverSide?(request: ServerSideRequest): Promise<ServerSide>;
}

/** Where the server-side clients connect: the stack's region and state machine, endpoints from the environment. */
export interface ServerSideRequest {
  readonly region: string;
  readonly env: CliIO["env"];
  readonly stateMachineArn: string;
}

/** The real world. */
export const defaultDeps: CampaignDeps = {
  planSweepFile: async (file) => (await import("../../plan/plan-file.js")).planSweepFile(file),
  readStackOutputs: async (source, options) => (await import("../../stack/read.js")).readStackOutputs(source, options),
  connect: async (request) => (await import("../../campaign/world.js")).connectToAws(request),
  identify: async (request) => (await import("../../campaign/world.js")).identifyOnAws(request),
  simulate: async (plan, options) => (await import("../../campaign/simulate.js")).startSimulation(plan, options),
  openJournal: fileJournal,
  gitCommit: async (file, cwd) => (await import("../../campaign/git.js")).sweepFileCommit(file, cwd),
  clock: systemClock,
};
