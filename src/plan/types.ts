import type { DataChannels, Limits, Objective, Resources } from "../sweep/definition.js";
import type { Diagnostic } from "../sweep/diagnostic.js";
import type { CostBound } from "./cost-bound.js";
import type { EarlyTerminationPlan } from "./early-termination.js";
import type { TuningPlan, TuningPlanResult } from "./tuning/types.js";

/**
 * The plan: everything `segsweep launch` needs to create the campaign's training jobs, and all
 * that `segsweep plan` prints. A pure function of the sweep file (no AWS), JSON-serialisable.
 */

/** One SageMaker training job to run. */
export interface PlannedJob {
  /** Deterministic: `<campaign>-<12 hex of sha256(hyperparameters as sent, resources, data)>`. */
  readonly name: string;
  /** The 12-hex hash alone; tagged on the job so a point can be traced across renames. */
  readonly pointId: string;
  /** Exactly what CreateTrainingJob.HyperParameters receives: every applicable key, defaults filled in. */
  readonly hyperparameters: Readonly<Record<string, string>>;
  /** 1-based indices of the expanded points that are this training (more than one when duplicates merged). */
  readonly points: readonly number[];
}

export interface PlanCounts {
  /** Points produced by the search strategy, before exclude and dedup (grid size or samples, plus include-added). */
  readonly expanded: number;
  /** Points dropped by `exclude`. */
  readonly excluded: number;
  /** Points that were the same training as an earlier point (ignored or normalised parameters). */
  readonly duplicates: number;
  /** Distinct trainings: what would be launched. */
  readonly jobs: number;
}

export type { CostBound } from "./cost-bound.js";

/** What every plan has, whatever runs it. */
export interface PlanBase {
  readonly campaign: string;
  readonly description?: string;
  /** The sweep file as given on the command line (relative paths stay relative). */
  readonly sweepFile: string;
  readonly objective: Objective;
  readonly resources: Resources;
  readonly data: DataChannels;
  readonly limits: Limits;
  readonly counts: PlanCounts;
  readonly cost: CostBound;
  /** The sweep's early_termination block, with the epochs it judges at (absent: every job trains to its end). */
  readonly earlyTermination?: EarlyTerminationPlan;
  readonly warnings: readonly Diagnostic[];
}

/**
 * The jobs engine: segsweep expands the search space itself and launches one training job per
 * distinct point from this machine (src/campaign/engines/jobs.ts).
 */
export interface JobsPlan extends PlanBase {
  readonly engine: "jobs";
  readonly strategy: "grid" | "random";
  readonly jobs: readonly PlannedJob[];
}

/**
 * The plan, a union tagged by the engine that runs the campaign. An engine is added as a new
 * member here and a new module in src/campaign/engines/ (registered in its index.ts); code that
 * needs one engine's fields narrows on `engine`.
 */
export type LaunchPlan = JobsPlan | TuningPlan;

/**
 * The training jobs a plan runs at most: the jobs engine's distinct points, or the tuning
 * engine's MaxNumberOfTrainingJobs over its tuning jobs.
 */
export function plannedTrainingJobs(plan: LaunchPlan): number {
  return plan.engine === "jobs" ? plan.counts.jobs : plan.maxTrainingJobs;
}

/** The engines a plan can name. */
export type Engine = LaunchPlan["engine"];

/** The result of planning a sweep on the jobs engine: the plan, or every problem found (nothing is planned then). */
export type PlanResult =
  | { readonly ok: true; readonly plan: JobsPlan }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/** The result of planning a sweep file on the engine it names (plan/plan-file.ts): its plan, or every problem found. */
export type CampaignPlanResult = PlanResult | TuningPlanResult;

export interface PlanOptions {
  /** Count only, keep no jobs (for huge grids): `plan.jobs` is empty, counts and cost are exact. */
  readonly summaryOnly?: boolean;
  /** Told how many points were checked, of how many, every 1,000,000 points: a long run shows progress. */
  readonly onProgress?: (checked: number, total: number) => void;
}
