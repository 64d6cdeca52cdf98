import { isTerminal, type JobDetails, type JobSnapshot, type TrainingBackend } from "../backend/types.js";
import { campaignPrefix, isCampaignJobName, parseJobName } from "../plan/job-name.js";
import type { JobsPlan } from "../plan/types.js";
import { type Describer, describeEnded } from "./describe.js";
import type { Journal } from "./journal.js";
import type { CampaignObserver } from "./observer.js";
import { type CampaignPolicy, nextAttempt } from "./policy.js";
import { endedRecord, plannedRecord, runningRecord } from "./records.js";
import { CampaignState } from "./state.js";

/**
 * Before launching anything: what does SageMaker already have of this campaign? One listing
 * (pages of 100) finds every job; ended jobs are described once, unless the journal already holds
 * what SageMaker still says of them (same creation, same status: SageMaker's answer wins). A job
 * found Stopped is asked about: the campaign's own rule may have stopped it ("terminated"). The
 * result says, per planned job, whether it runs, ended, or still needs an attempt.
 */
export interface Reconciled {
  readonly state: CampaignState;
  /** Jobs with the campaign's name shape that this plan does not have (an edited sweep file). */
  readonly unplanned: readonly string[];
  /** Ended jobs that could not be described (still refused after the backend's retries). */
  readonly unreadable: readonly string[];
  /** The latest server creation time listed: the follower's first narrowing. */
  readonly createdWatermark?: number;
}

export interface ReconcileOptions {
  readonly plan: JobsPlan;
  readonly backend: TrainingBackend;
  readonly journal: Journal;
  readonly policy: CampaignPolicy;
  readonly describer: Describer;
  readonly observer?: CampaignObserver;
  readonly signal?: AbortSignal;
}

/** What the journal holds of ended jobs, by name. */
async function journaledDetails(journal: Journal): Promise<Map<string, JobDetails>> {
  const known = new Map<string, JobDetails>();
  for (const entry of await journal.load()) if (entry.type === "ended") known.set(entry.name, entry.details);
  return known;
}

/** Lists the campaign on SageMaker and builds its state, planning a next attempt where one is due. */
export async function reconcile(options: ReconcileOptions): Promise<Reconciled> {
  const { plan, backend, journal, signal } = options;
  const planned = new Set(plan.jobs.map((job) => job.name));
  const known = await journaledDetails(journal);
  const listed = await backend.listJobs(campaignPrefix(plan.campaign), signal !== undefined ? { signal } : {});
  const state = new CampaignState();
  const unplanned: string[] = [];
  const ended: JobSnapshot[] = [];
  let createdWatermark: number | undefined;
  for (const snapshot of listed) {
    createdWatermark = Math.max(createdWatermark ?? snapshot.createdAt, snapshot.createdAt);
    const plannedName = parseJobName(snapshot.name)?.plannedName;
    if (plannedName === undefined || !planned.has(plannedName)) {
      if (isCampaignJobName(plan.campaign, snapshot.name)) unplanned.push(snapshot.name);
    } else if (isTerminal(snapshot.status)) ended.push(snapshot);
    else state.put(runningRecord(snapshot));
  }
  const described = await describeEnded(options.describer, ended, known, signal);
  const gone = new Set(described.gone);
  for (const snapshot of ended) {
    if (gone.has(snapshot.name)) continue; // deleted since the listing: as if never there
    const details = described.details.get(snapshot.name);
    const full = details ?? { ...snapshot, metrics: {}, hyperparameters: {} };
    state.put(endedRecord(full, await explainStop(options, full)));
    if (details !== undefined && details !== known.get(snapshot.name)) {
      // The journal only saves calls: a write that fails costs a describe next time, nothing more.
      await journal.append({ type: "ended", name: snapshot.name, details }).catch(() => undefined);
    }
  }
  planNextAttempts(plan, state, options.policy);
  const unreadable = described.unreadable.map((job) => job.name);
  return { state, unplanned, unreadable, ...(createdWatermark !== undefined ? { createdWatermark } : {}) };
}

/** Why a Stopped job stopped, when the campaign's rule says it did. */
async function explainStop(options: ReconcileOptions, details: JobDetails): Promise<string | undefined> {
  if (details.status !== "Stopped" || options.observer === undefined) return undefined;
  const decision = await options.observer.explainStop(details.name, options.signal ?? new AbortController().signal);
  return decision?.reason;
}

/** Every planned job without a live attempt gets a planned record: its first, or its next after a retryable end. */
function planNextAttempts(plan: JobsPlan, state: CampaignState, policy: CampaignPolicy): void {
  for (const job of plan.jobs) {
    const last = state.latest(job.name);
    if (last === undefined) {
      state.put(plannedRecord(job.name, 0));
      continue;
    }
    const attempt = nextAttempt(policy, last);
    if (attempt !== undefined) state.put(plannedRecord(job.name, attempt));
  }
}
