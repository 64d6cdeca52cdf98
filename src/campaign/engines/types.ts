import type { RequestContext } from "../../backend/request.js";
import type { JobDetails } from "../../backend/types.js";
import type { JobsPlan, LaunchPlan } from "../../plan/types.js";
import type { StackOutputs } from "../../stack/outputs.js";
import type { LaunchObserver, StopReason } from "../events.js";
import type { Journal } from "../journal.js";
import type { CampaignObserver } from "../observer.js";
import type { CampaignPolicy } from "../policy.js";
import type { PointCounts } from "../state.js";
import type { World } from "../world.js";

/**
 * The engine seam: what runs a campaign. The plan names its engine (`plan.engine`); each engine
 * is one module in this folder implementing CampaignEngine for its member of the plan union, and
 * is registered in index.ts. The CLI only ever talks to this interface: it prints what `requests`
 * gives for --dry-run, shows what `prepare` found before asking to launch, then runs.
 */
export interface CampaignEngine<P extends LaunchPlan> {
  readonly engine: P["engine"];
  /** The exact requests a launch would send, as JSON (`launch --dry-run`). Pure. */
  requests(plan: P, stack: StackOutputs, context: RequestContext): readonly unknown[];
  /** Looks up what already exists of the campaign; nothing is created. */
  prepare(plan: P, setup: LaunchSetup): Promise<PreparedLaunch>;
}

/** What an engine launches with. */
export interface LaunchSetup {
  readonly world: World;
  readonly stack: StackOutputs;
  readonly journal: Journal;
  readonly policy: CampaignPolicy;
  readonly context: RequestContext;
  readonly pollIntervalMs: number;
  /** Watches running jobs and may stop some (early termination). */
  readonly observer?: CampaignObserver;
  readonly signal: AbortSignal;
  /** `launch --detach`: create what is missing and return at once, without following (the tuning engine). */
  readonly detach?: boolean;
}

/** A campaign looked up and ready to launch. */
export interface PreparedLaunch {
  /** The points as they stand before anything is launched. */
  readonly before: PointCounts;
  /** Jobs named like the campaign's that the plan does not have (the sweep file changed). */
  readonly unplanned: readonly string[];
  /** Ended jobs that could not be read (their results are missing, not the campaign). */
  readonly unreadable: readonly string[];
  /** Launches what is missing and follows the campaign until it ends, stops, or Ctrl-C. Never throws. */
  run(observe: LaunchObserver): Promise<LaunchOutcome>;
}

/** How a launch ended, as data. */
export interface LaunchOutcome {
  readonly outcome: "finished" | StopReason;
  /** Why it stopped, when outcome is "error" (a BackendError, or a bug). */
  readonly error?: unknown;
  readonly counts: PointCounts;
  /** Jobs still holding an instance (in progress or stopping) when it returned. */
  readonly running: number;
  /** Every job of the campaign as known at the end, for the report. */
  readonly jobs: readonly JobDetails[];
  /** Jobs the campaign's own rule stopped, and why. */
  readonly terminated: ReadonlyMap<string, string>;
  /** Listing passes and their calls, for the figures printed at the end. */
  readonly follower?: { readonly ticks: number; readonly maxListCallsPerTick: number };
  /** The plan the report ranks the jobs by, when it is not the launched plan (tuning: the jobs AMT launched, as points). */
  readonly reportPlan?: JobsPlan;
  /** What the engine wants said when it returns (the tuning engine: its tuning jobs keep running on SageMaker). */
  readonly note?: string;
}
