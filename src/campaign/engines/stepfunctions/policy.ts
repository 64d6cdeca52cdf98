import type { EndCause } from "../../../backend/classify.js";
import { DEFAULT_MAX_RETRIES, NEW_ATTEMPT_CAUSES as LAUNCHER_NEW_ATTEMPT_CAUSES } from "../../policy.js";

/**
 * The campaign policy the state machine carries out, as data: which ended jobs earn their point a
 * new attempt, how many, and which API errors are waited out. It mirrors the local launcher's
 * policy (src/campaign/policy.ts `nextAttempt` and its data, src/backend/classify.ts `classifyEnd` and
 * `classifyAwsError`); tests hold the two to the same
 * answers, so a change to one that is not made to the other fails. The definition generator
 * compiles these rules into Choice and Retry fields (definition.ts, child.ts).
 */

/** New attempts after capacity or internal errors: `-r1`, `-r2` (the launcher's DEFAULT_MAX_RETRIES, src/campaign/policy.ts). */
export const MAX_RETRIES = DEFAULT_MAX_RETRIES;

/** `-r<N>` holds at most two digits (src/plan/job-name.ts), so at most 99 new attempts. */
export const MAX_RETRIES_LIMIT = 99;

/** The end causes that earn a point a new attempt under a new name (the launcher's, src/campaign/policy.ts). */
export const NEW_ATTEMPT_CAUSES: readonly EndCause[] = LAUNCHER_NEW_ATTEMPT_CAUSES;

/**
 * One rule of classifyEnd: a Failed job whose FailureReason begins with the word `text` (followed
 * by the end, a colon or a space), or contains `text`; or a Stopped job whose secondary status is
 * `text`. The first rule that matches gives the cause; otherwise a Failed job is an algorithm error
 * and a Stopped job was stopped (docs/sources.md#errors).
 */
export interface EndCauseRule {
  readonly cause: EndCause;
  readonly field: "FailureReason" | "SecondaryStatus";
  readonly match: "word-prefix" | "contains" | "equals";
  readonly text: string;
}

export const END_CAUSE_RULES: readonly EndCauseRule[] = [
  // A spot job whose capacity never came ends Stopped with MaxWaitTimeExceeded.
  { cause: "capacity", field: "SecondaryStatus", match: "equals", text: "MaxWaitTimeExceeded" },
  { cause: "capacity", field: "FailureReason", match: "word-prefix", text: "CapacityError" },
  { cause: "capacity", field: "FailureReason", match: "word-prefix", text: "InsufficientCapacity" },
  { cause: "capacity", field: "FailureReason", match: "word-prefix", text: "InsufficientCapacityError" },
  { cause: "capacity", field: "FailureReason", match: "word-prefix", text: "EC2InsufficientCapacityError" },
  { cause: "capacity", field: "FailureReason", match: "contains", text: "insufficient capacity" },
  { cause: "internal", field: "FailureReason", match: "word-prefix", text: "InternalServerError" },
  { cause: "internal", field: "FailureReason", match: "word-prefix", text: "InternalFailure" },
  { cause: "internal", field: "FailureReason", match: "word-prefix", text: "InternalError" },
];

/** What a rule needs to know of an ended job. */
export interface EndedJob {
  readonly status: "Failed" | "Stopped";
  readonly failureReason?: string;
  readonly secondaryStatus?: string;
}

function ruleMatches(rule: EndCauseRule, job: EndedJob): boolean {
  if (rule.field === "SecondaryStatus") return job.status === "Stopped" && job.secondaryStatus === rule.text;
  if (job.status !== "Failed") return false;
  const reason = (job.failureReason ?? "").trimStart().toLowerCase();
  const text = rule.text.toLowerCase();
  if (rule.match === "contains") return reason.includes(text);
  return reason.startsWith(text) && !/^\w/.test(reason.slice(text.length));
}

/** The cause the rules give an ended job: the same answer as classifyEnd (held to it by a table test). */
export function endCauseByRules(job: EndedJob): EndCause {
  const rule = END_CAUSE_RULES.find((candidate) => ruleMatches(candidate, job));
  if (rule !== undefined) return rule.cause;
  return job.status === "Failed" ? "algorithm" : "stopped";
}

/**
 * API error names (as SageMaker returns them) that the launcher waits out with backoff; the
 * state machine retries them under Step Functions' `SageMaker.` names (child.ts). Held to
 * classifyAwsError's kinds by a test.
 */
export const THROTTLING_ERRORS: readonly string[] = ["ThrottlingException", "Throttling", "ThrottledException", "TooManyRequestsException"];
export const TRANSIENT_ERRORS: readonly string[] = [
  "InternalFailure",
  "InternalServerError",
  "ServiceUnavailable",
  "ServiceUnavailableException",
];
/** A full quota: the launcher waits until a job ends; the state machine waits with a long backoff. */
export const QUOTA_ERRORS: readonly string[] = ["ResourceLimitExceeded"];

/**
 * The error names Step Functions may give a SageMaker API error: `SageMaker.<Name>` with and
 * without the `Exception` suffix, since both spellings are in use for the optimized SageMaker
 * integration (docs/sources.md#stepfunctions-errors).
 */
export function stepFunctionsErrorNames(names: readonly string[]): string[] {
  const spellings = names.flatMap((name) =>
    name.endsWith("Exception") ? [name, name.slice(0, -"Exception".length)] : [name, `${name}Exception`],
  );
  return [...new Set(spellings.map((name) => `SageMaker.${name}`))];
}

/** The generic error of the optimized SageMaker integration, which AWS's own SDK tests retry. */
export const GENERIC_SAGEMAKER_ERROR = "SageMaker.AmazonSageMakerException";
