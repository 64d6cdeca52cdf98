import type { Engine, JobsPlan, LaunchPlan } from "../../plan/types.js";
import { tuningReportPlan } from "../tuning-read.js";
import { jobsEngine } from "./jobs.js";
import { tuningEngine } from "./tuning.js";
import type { CampaignEngine, LaunchOutcome } from "./types.js";

export type { CampaignEngine, LaunchOutcome, LaunchSetup, PreparedLaunch } from "./types.js";

/** Every engine, by the name a plan gives it. Adding an engine: a plan member, a module, a line here. */
const ENGINES: { readonly [E in Engine]: CampaignEngine<Extract<LaunchPlan, { readonly engine: E }>> } = {
  jobs: jobsEngine,
  tuning: tuningEngine,
};

/** The engine that runs `plan`. */
export function engineFor<P extends LaunchPlan>(plan: P): CampaignEngine<P> {
  return ENGINES[plan.engine] as unknown as CampaignEngine<P>;
}

/** The plan the report ranks a launch's jobs by: the engine's own view (tuning: AMT's jobs as points), else the plan. */
export function reportPlanOf(plan: LaunchPlan, outcome: Pick<LaunchOutcome, "reportPlan">): JobsPlan {
  if (outcome.reportPlan !== undefined) return outcome.reportPlan;
  return plan.engine === "jobs" ? plan : tuningReportPlan(plan, []);
}
