import type { EndCause } from "../backend/classify.js";
import type { TrainingJobStatus } from "../backend/types.js";
import type { ProgressFigures } from "./progress-figures.js";
import type { PointCounts } from "./state.js";
import type { JobState } from "./states.js";

/**
 * What happens during a launch, as data: the CLI renders it as the progress line for people and
 * writes it as NDJSON (`--events FILE`) for machines (style.md item 13).
 */
export type LaunchEvent =
  | { readonly type: "created"; readonly name: string; readonly attempt: number; readonly existed: boolean }
  | { readonly type: "status"; readonly name: string; readonly status: TrainingJobStatus; readonly secondaryStatus?: string }
  | {
      readonly type: "ended";
      readonly name: string;
      readonly state: JobState;
      readonly cause?: EndCause;
      readonly failureReason?: string;
      readonly stopReason?: string;
      readonly metric?: number;
      readonly billableSeconds?: number;
    }
  | { readonly type: "retry"; readonly name: string; readonly previous: string; readonly cause: EndCause }
  | { readonly type: "terminating"; readonly name: string; readonly reason: string }
  | {
      readonly type: "quota";
      readonly quota?: string;
      readonly quotaLimit?: number;
      readonly concurrency: number;
      readonly maxConcurrency: number;
      readonly message: string;
    }
  | { readonly type: "concurrency"; readonly concurrency: number }
  /** A call is being retried; `code` is why (ThrottlingException, ECONNREFUSED...). */
  | { readonly type: "throttled"; readonly operation: string; readonly waitMs: number; readonly code?: string }
  /** Something went wrong that the campaign survives (a journal write, a describe, the observer). */
  | { readonly type: "warning"; readonly message: string }
  | { readonly type: "failure-limit"; readonly failures: number; readonly maxFailures: number }
  | { readonly type: "stopped-launching"; readonly reason: StopReason; readonly running: number };

/** Why a campaign stopped launching before every point ended. */
export type StopReason = "interrupted" | "failure-limit" | "error";

/** The campaign as it stands when an event happens. */
export interface CampaignView {
  readonly counts: PointCounts;
  /** Billable time × price of the jobs ended so far; null without a price. */
  readonly costUsd: number | null;
  /** Jobs allowed in progress now (steps down when a quota is full). */
  readonly concurrency: number;
  readonly elapsedMs: number;
  /** Cost so far with running jobs, the worst case left and an estimate of the time left (progress-figures.ts). */
  readonly figures?: ProgressFigures;
}

/** Receives every event with the view after it. */
export type LaunchObserver = (event: LaunchEvent, view: CampaignView) => void;
