/**
 * A training job's life as a timeline: the moments (SageMaker seconds after creation) when its
 * status or secondary status changes. Decided once at creation (and cut short by a stop), so the
 * state at any instant is a pure function of the clock: no timers. Statuses and their pairing
 * follow the API model and docs/sources.md#describe-list-search: InProgress goes Starting -> Downloading ->
 * Training -> Uploading; Stopping/Stopped after StopTrainingJob or MaxRuntimeInSeconds.
 */

/** DescribeTrainingJob.TrainingJobStatus values the stand-in produces. */
export type PrimaryStatus = "InProgress" | "Completed" | "Failed" | "Stopping" | "Stopped";

/** How a job ends when nobody stops it. */
export type FailureKind = "algorithm" | "capacity" | "internal";

/** A job's natural outcome: it completes, or fails for one of SageMaker's reasons. */
export type Outcome = "completed" | { readonly failure: FailureKind; readonly reason?: string };

/** One change of state. */
export interface Transition {
  /** SageMaker seconds after creation. */
  readonly at: number;
  readonly status: PrimaryStatus;
  readonly secondary: string;
  readonly message: string;
}

/** The whole life of one job. */
export interface Timeline {
  readonly transitions: readonly Transition[];
  /** When the instances were up (end of Starting); absent when it never got there. */
  readonly trainingStartAt?: number;
  /** The terminal transition's time. */
  readonly endAt: number;
  readonly failureReason?: string;
}

/** What decides a timeline. */
export interface TimelineInput {
  /** Total SageMaker seconds from creation to completion, had it completed. */
  readonly durationSeconds: number;
  readonly outcome: Outcome;
  readonly maxRuntimeSeconds?: number;
  /** In [0, 1): where in its training an algorithm or internal error strikes. */
  readonly failurePoint: number;
  /** In [0, 1): picks one of the stock algorithm error messages. */
  readonly messagePick: number;
}

/** Seconds between Stopping and Stopped (SageMaker waits up to 120 s after SIGTERM, §5.4). */
export const STOPPING_SECONDS = 60;

/** Stock FailureReason texts, in SageMaker's "<ErrorClass>: <detail>" form (§5.3). */
export const FAILURE_REASONS = {
  outOfMemory:
    "AlgorithmError: CUDA out of memory while training: reduce mini_batch_size or crop_size, or use an instance type with more GPU memory",
  annotation:
    "ClientError: Unable to read annotation train_annotation/000117.png: annotations must be single-channel 8-bit PNG images with the same base name as their JPEG",
  capacity: "CapacityError: Insufficient capacity error from EC2 while launching instances",
  internal: "InternalServerError: We encountered an internal error. Please try again.",
} as const;

/** Share of the run each InProgress phase takes. */
const PHASES = [
  { secondary: "Starting", share: 0.06, message: "Launching requested ML instances" },
  { secondary: "Downloading", share: 0.03, message: "Downloading input data" },
  { secondary: "Training", share: 0.88, message: "Training image download completed. Training in progress." },
  { secondary: "Uploading", share: 0.03, message: "Uploading generated training model" },
] as const;

/** Where the Training phase of a natural run of `durationSeconds` lies (SageMaker seconds after creation). */
export function trainingPhase(durationSeconds: number): { readonly start: number; readonly length: number } {
  const duration = Math.max(1, durationSeconds);
  return { start: duration * (PHASES[0].share + PHASES[1].share), length: duration * PHASES[2].share };
}

function step(at: number, status: PrimaryStatus, secondary: string, message: string): Transition {
  return { at, status, secondary, message };
}

/** The timeline of a job nobody stops. */
export function planTimeline(input: TimelineInput): Timeline {
  const duration = Math.max(1, input.durationSeconds);
  const transitions: Transition[] = [];
  let at = 0;
  const phaseStart: Record<string, number> = {};
  for (const phase of PHASES) {
    phaseStart[phase.secondary] = at;
    transitions.push(step(at, "InProgress", phase.secondary, phase.message));
    at += duration * phase.share;
  }
  const trainingStartAt = phaseStart.Downloading ?? 0;
  const trainingPhaseStart = phaseStart.Training ?? 0;
  const trainingPhaseLength = duration * 0.88;

  let end: Transition;
  let failureReason: string | undefined;
  const outcome = input.outcome;
  if (outcome === "completed") {
    end = step(duration, "Completed", "Completed", "Training job completed");
  } else {
    failureReason = outcome.reason ?? defaultReason(outcome.failure, input.messagePick);
    // Capacity never gets instances; other errors strike somewhere in the training phase.
    const failAt =
      outcome.failure === "capacity" ? trainingStartAt * 0.8 : trainingPhaseStart + trainingPhaseLength * (0.05 + 0.9 * input.failurePoint);
    end = step(failAt, "Failed", "Failed", failureReason);
  }
  const natural = [...transitions.filter((t) => t.at < end.at), end];
  const started = end.at > trainingStartAt ? { trainingStartAt } : {};

  // MaxRuntimeInSeconds counts from the instances being up; past it SageMaker stops the job.
  const max = input.maxRuntimeSeconds;
  if (max !== undefined && trainingStartAt + max < end.at) {
    return cutShort({ transitions: natural, endAt: end.at, ...started }, trainingStartAt + max, "MaxRuntimeExceeded");
  }
  return { transitions: natural, endAt: end.at, ...started, ...(failureReason !== undefined ? { failureReason } : {}) };
}

function defaultReason(kind: FailureKind, pick: number): string {
  if (kind === "capacity") return FAILURE_REASONS.capacity;
  if (kind === "internal") return FAILURE_REASONS.internal;
  return pick < 0.5 ? FAILURE_REASONS.outOfMemory : FAILURE_REASONS.annotation;
}

/**
 * The timeline after a stop at `at` (StopTrainingJob, or MaxRuntimeInSeconds): Stopping at once,
 * Stopped STOPPING_SECONDS later. A job already Stopping or ended is returned as is.
 */
export function cutShort(timeline: Timeline, at: number, stoppedSecondary: "Stopped" | "MaxRuntimeExceeded" = "Stopped"): Timeline {
  const current = stateAt(timeline, at);
  if (current.status !== "InProgress") return timeline;
  const kept = reachedBy(timeline, at);
  const stopMessage =
    stoppedSecondary === "MaxRuntimeExceeded" ? "Training job reached the MaxRuntimeInSeconds stopping condition" : "Training job stopped";
  const transitions = [
    ...kept,
    step(at, "Stopping", "Stopping", "Stopping the training job"),
    step(at + STOPPING_SECONDS, "Stopped", stoppedSecondary, stopMessage),
  ];
  const started =
    timeline.trainingStartAt !== undefined && timeline.trainingStartAt < at ? { trainingStartAt: timeline.trainingStartAt } : {};
  return { transitions, endAt: at + STOPPING_SECONDS, ...started };
}

/** Slack for the round trip between SageMaker seconds and clock milliseconds. */
const EPSILON_SECONDS = 1e-6;

/** The transitions that have happened `at` SageMaker seconds after creation (at least the first). */
export function reachedBy(timeline: Timeline, at: number): readonly Transition[] {
  const count = timeline.transitions.findIndex((t) => t.at > at + EPSILON_SECONDS);
  return timeline.transitions.slice(0, count < 0 ? timeline.transitions.length : Math.max(1, count));
}

/** The state at `at` SageMaker seconds after creation (the creation state before that). */
export function stateAt(timeline: Timeline, at: number): Transition {
  const reached = reachedBy(timeline, at);
  const current = reached[reached.length - 1];
  if (current === undefined) throw new Error("empty timeline");
  return current;
}

/** True for Completed, Failed and Stopped. */
export function isEnded(status: PrimaryStatus): boolean {
  return status === "Completed" || status === "Failed" || status === "Stopped";
}
