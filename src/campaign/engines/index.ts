import type { Engine, LaunchPlan } from "../../plan/types.js";
import { jobsEngine } from "./jobs.js";
import type { CampaignEngine } from "./types.js";

export type { CampaignEngine, LaunchOutcome, LaunchSetup, PreparedLaunch } from "./types.js";

/** Every engine, by the name a plan gives it. Adding an engine: a plan member, a module, a line here. */
const ENGINES: { readonly [E in Engine]: CampaignEngine<Extract<LaunchPlan, { readonly engine: E }>> } = {
  jobs: jobsEngine,
};

/** The engine that runs `plan`. */
export function engineFor<P extends LaunchPlan>(plan: P): CampaignEngine<P> {
  return ENGINES[plan.engine] as unknown as CampaignEngine<P>;
}
