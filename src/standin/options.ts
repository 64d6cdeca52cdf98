import type { CreateTrainingJobRequest } from "@aws-sdk/client-sagemaker";
import { z } from "zod";
import type { Outcome } from "./lifecycle.js";
import type { CallRecorder } from "./saved-calls.js";

/** How the stand-in behaves. Every field is optional; the defaults give a quiet, healthy account. */
export interface StandinOptions {
  /** Epoch milliseconds; default Date.now. Job state is a pure function of it: tests pass a fake. */
  readonly clock?: { now(): number } | undefined;
  /** SageMaker seconds per clock second (default 1): 240 makes a 2-hour job take 30 s. */
  readonly timeScale?: number | undefined;
  /** Seeds durations, outcomes, duplicates and throttling (default 1). */
  readonly seed?: number | undefined;
  /** Default us-east-1. */
  readonly region?: string | undefined;
  /** Default 123456789012. */
  readonly accountId?: string | undefined;
  /**
   * Instances that may be in progress at once, for on-demand and (separately, as in AWS) for
   * spot jobs: the quotas "Number of instances across all [spot] training jobs". Default unlimited.
   */
  readonly instanceQuota?: number | undefined;
  /** Share of calls answered ThrottlingException: one rate for every SageMaker operation, or per operation name (SQS ones too). */
  readonly throttleRate?: number | Partial<Record<string, number>> | undefined;
  /** A job's SageMaker seconds from creation to completion; default: the log-normal below. */
  readonly duration?: ((request: CreateTrainingJobRequest) => number) | undefined;
  /** Seeded log-normal durations: median SageMaker seconds and sigma (default 3600 s, 0.5). */
  readonly durationLogNormal?: { readonly medianSeconds: number; readonly sigma: number } | undefined;
  /** A job's natural outcome; default: seeded draws at `failureRates`. */
  readonly outcome?: ((job: { readonly name: string; readonly hyperParameters: Readonly<Record<string, string>> }) => Outcome) | undefined;
  /** Share of jobs that fail, per kind (default 0 each). */
  readonly failureRates?: { readonly algorithm?: number; readonly capacity?: number; readonly internal?: number } | undefined;
  /** Send "SageMaker Training Job State Change" events to an SQS queue (default off). */
  readonly events?: boolean | { readonly duplicateRate?: number; readonly queueName?: string } | undefined;
  /**
   * The error for an unknown job name (DescribeTrainingJob, StopTrainingJob, tags). The API model
   * says ResourceNotFound (the default); the real service answers DescribeTrainingJob with
   * ValidationException "Requested resource not found." (aws/aws-sdk#165, boto/boto3#2808).
   */
  readonly notFoundError?: "ResourceNotFound" | "ValidationException" | undefined;
  /** SageMaker seconds between the end of an epoch and its datapoints showing in CloudWatch's GetMetricData (default 0). */
  readonly metricDelaySeconds?: number | undefined;
  /**
   * Keeps the account's changes (saved-calls.ts): the calls saved before are replayed at start, at
   * their clock times, and every new call that changes the account is recorded.
   */
  readonly recorder?: CallRecorder | undefined;
}

const rate = z.number().min(0).max(1);

/** The numeric options, checked so a typo fails at start rather than as odd behaviour. */
const NumericOptions = z.object({
  timeScale: z.number().positive().optional(),
  seed: z.number().int().optional(),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "a region such as us-east-1")
    .optional(),
  accountId: z
    .string()
    .regex(/^\d{12}$/, "12 digits")
    .optional(),
  instanceQuota: z.number().int().min(0).optional(),
  metricDelaySeconds: z.number().min(0).optional(),
  throttleRate: z.union([rate, z.record(z.string(), rate.optional())]).optional(),
  durationLogNormal: z.object({ medianSeconds: z.number().positive(), sigma: z.number().min(0) }).optional(),
  failureRates: z
    .object({ algorithm: rate.optional(), capacity: rate.optional(), internal: rate.optional() })
    .refine((r) => (r.algorithm ?? 0) + (r.capacity ?? 0) + (r.internal ?? 0) <= 1, "the failure rates must add up to at most 1")
    .optional(),
  events: z
    .union([
      z.boolean(),
      z.object({
        duplicateRate: rate.optional(),
        queueName: z
          .string()
          .regex(/^[a-zA-Z0-9_-]{1,80}$/)
          .optional(),
      }),
    ])
    .optional(),
});

/** The options with every default filled in. */
export interface ResolvedOptions {
  readonly now: () => number;
  readonly timeScale: number;
  readonly seed: number;
  readonly region: string;
  readonly accountId: string;
  readonly instanceQuota: number;
  readonly throttleRate: (operation: string, isSageMaker: boolean) => number;
  readonly duration: StandinOptions["duration"];
  readonly durationLogNormal: { readonly medianSeconds: number; readonly sigma: number };
  readonly outcome: StandinOptions["outcome"];
  readonly failureRates: { readonly algorithm: number; readonly capacity: number; readonly internal: number };
  readonly events: { readonly duplicateRate: number; readonly queueName: string } | undefined;
  readonly notFoundError: "ResourceNotFound" | "ValidationException";
  readonly metricDelaySeconds: number;
}

/** Checks the options and fills in defaults; throws an Error naming each bad field. */
export function resolveOptions(options: StandinOptions = {}): ResolvedOptions {
  const parsed = NumericOptions.safeParse(options);
  if (!parsed.success) throw new Error(`invalid stand-in options:\n${z.prettifyError(parsed.error)}`);
  const clock = options.clock;
  const throttle = options.throttleRate;
  const events = options.events;
  return {
    now: clock !== undefined ? () => clock.now() : () => Date.now(),
    timeScale: options.timeScale ?? 1,
    seed: options.seed ?? 1,
    region: options.region ?? "us-east-1",
    accountId: options.accountId ?? "123456789012",
    instanceQuota: options.instanceQuota ?? Number.POSITIVE_INFINITY,
    throttleRate: (operation, isSageMaker) => (typeof throttle === "number" ? (isSageMaker ? throttle : 0) : (throttle?.[operation] ?? 0)),
    duration: options.duration,
    durationLogNormal: options.durationLogNormal ?? { medianSeconds: 3600, sigma: 0.5 },
    outcome: options.outcome,
    failureRates: {
      algorithm: options.failureRates?.algorithm ?? 0,
      capacity: options.failureRates?.capacity ?? 0,
      internal: options.failureRates?.internal ?? 0,
    },
    events:
      events === undefined || events === false
        ? undefined
        : {
            duplicateRate: events === true ? 0 : (events.duplicateRate ?? 0),
            queueName: events === true ? "segsweep-events" : (events.queueName ?? "segsweep-events"),
          },
    notFoundError: options.notFoundError ?? "ResourceNotFound",
    metricDelaySeconds: options.metricDelaySeconds ?? 0,
  };
}
