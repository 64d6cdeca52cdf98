import type { EndCause } from "../backend/classify.js";
import type { TrainingJobStatus } from "../backend/types.js";
import type { JobStatus, PointCounts } from "./records.js";

/**
 * What happens during a launch, as data: the progress line renders it for people, `--events FILE`
 * writes it as NDJSON for machines (style.md item 13).
 */
export type LaunchEvent =
  | {
      readonly type: "reconciled";
      readonly existing: number;
      readonly running: number;
      readonly toLaunch: number;
      readonly unplanned: number;
    }
  | { readonly type: "created"; readonly name: string; readonly attempt: number; readonly existed: boolean }
  | { readonly type: "status"; readonly name: string; readonly status: TrainingJobStatus; readonly secondaryStatus?: string }
  | {
      readonly type: "ended";
      readonly name: string;
      readonly status: JobStatus;
      readonly cause?: EndCause;
      readonly failureReason?: string;
      readonly metric?: number;
      readonly billableSeconds?: number;
    }
  | { readonly type: "retry"; readonly name: string; readonly previous: string; readonly cause: EndCause }
  | {
      readonly type: "quota";
      readonly quota?: string;
      readonly quotaLimit?: number;
      readonly concurrency: number;
      readonly message: string;
    }
  | { readonly type: "concurrency"; readonly concurrency: number }
  | { readonly type: "throttled"; readonly operation: string; readonly waitMs: number }
  | { readonly type: "failure-limit"; readonly failures: number; readonly maxFailures: number }
  | { readonly type: "stopped-launching"; readonly reason: "interrupted" | "failure-limit" | "error"; readonly running: number };

/** The campaign as it stands when an event happens. */
export interface CampaignView {
  readonly counts: PointCounts;
  /** Billable time × price of the jobs ended so far; null without a price. */
  readonly costUsd: number | null;
  /** Jobs allowed in progress now (steps down when a quota is full). */
  readonly concurrency: number;
  readonly elapsedMs: number;
}

/** Receives every event with the view after it. */
export type LaunchObserver = (event: LaunchEvent, view: CampaignView) => void;
