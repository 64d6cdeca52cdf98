import type { Clock } from "../../backend/clock.js";
import type { LaunchWorld } from "../../launch/world.js";
import type { PlanResult } from "../../plan/plan-file.js";
import type { LaunchPlan } from "../../plan/types.js";
import type { StackOutputs } from "../../stack/outputs.js";
import type { StackOutputsSource } from "../../stack/read.js";
import type { CliIO } from "../io.js";

/** What `segsweep launch` is asked to do (cli/commands/launch.ts parses it) and what it runs on. */

/** What the command needs from the outside world; tests pass fakes. */
export interface LaunchDeps {
  planSweepFile(file: string): Promise<PlanResult>;
  readStackOutputs(source: StackOutputsSource, options: { readonly cwd: string; readonly env: CliIO["env"] }): Promise<StackOutputs>;
  /** SageMaker itself (or AWS_ENDPOINT_URL_SAGEMAKER). */
  connect(stack: StackOutputs, env: CliIO["env"], clock: Clock, campaign: string): Promise<LaunchWorld>;
  /** The stand-in, started in this process (loaded only with --simulate). */
  simulate(plan: LaunchPlan, options: { readonly region: string; readonly maxConcurrency: number }): Promise<LaunchWorld>;
  gitCommit(file: string, cwd: string): Promise<string | undefined>;
  readonly clock: Clock;
}

/** Parsed and checked flags. */
export interface LaunchFlags {
  readonly file: string;
  readonly yes: boolean;
  readonly stackSource: StackOutputsSource;
  readonly maxConcurrency?: number;
  readonly pollIntervalMs?: number;
  readonly launchRate?: number;
  readonly dryRun: boolean;
  readonly simulate: boolean;
  readonly eventsFile?: string;
}
