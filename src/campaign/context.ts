import type { CreateTrainingJobRequest } from "@aws-sdk/client-sagemaker";
import type { Clock } from "../backend/clock.js";
import type { TrainingBackend } from "../backend/types.js";
import type { JobsPlan, PlannedJob } from "../plan/types.js";
import type { ConcurrencyGate } from "./concurrency.js";
import type { Describer } from "./describe.js";
import type { LaunchEvent, StopReason } from "./events.js";
import type { JournalEntry } from "./journal.js";
import type { CampaignObserver } from "./observer.js";
import type { CampaignPolicy } from "./policy.js";
import type { TokenBucket } from "./rate.js";
import type { CampaignState } from "./state.js";

/**
 * What the launcher's parts share while a campaign runs (create.ts, settle.ts, observation.ts,
 * wired by launcher.ts): the plan, the policy, the state, the outside world, and the two ways to
 * change course (stop launching; ask for a job's stop). Nothing else is shared.
 */
export interface RunContext {
  readonly plan: JobsPlan;
  /** Planned jobs by name. */
  readonly jobs: ReadonlyMap<string, PlannedJob>;
  readonly policy: CampaignPolicy;
  readonly state: CampaignState;
  readonly backend: TrainingBackend;
  readonly clock: Clock;
  readonly random: () => number;
  readonly describer: Describer;
  readonly gate: ConcurrencyGate;
  readonly bucket: TokenBucket;
  readonly buildRequest: (job: PlannedJob, attempt: number) => CreateTrainingJobRequest;
  readonly observer?: CampaignObserver;
  /** Aborted once launching stops (Ctrl-C, the failure limit, an error). */
  readonly halt: AbortSignal;
  /** Jobs the campaign asked SageMaker to stop, and why: a job is never asked twice. */
  readonly terminating: Map<string, string>;
  emit(event: LaunchEvent): void;
  /** Appends to the journal; a failed write is a warning, never the campaign's end (SageMaker stays the truth). */
  record(entry: JournalEntry): Promise<void>;
  /** Stops launching (the first reason wins); jobs in progress keep running. */
  stopLaunching(reason: StopReason, error?: unknown): void;
}
