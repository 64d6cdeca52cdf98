import { BackendError, type BackendErrorKind } from "./types.js";

/**
 * The one place that decides what an AWS error means for the launcher (style.md item 10):
 * what is retried, what waits, what is fatal. Error names are those SageMaker returns
 * (docs/sources.md#errors, #quotas) plus the SDK's own client-side errors.
 */

const THROTTLING = new Set([
  "ThrottlingException",
  "Throttling",
  "ThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "RequestThrottled", // SQS
  "SlowDown",
]);
const ACCESS = new Set([
  "AccessDeniedException",
  "AccessDenied",
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "ExpiredTokenException",
  "ExpiredToken",
  "InvalidClientTokenId",
  "CredentialsProviderError",
]);
const TRANSIENT_NAMES = new Set([
  "InternalFailure",
  "InternalServerError",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
]);
const NETWORK_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EPIPE", "EAI_AGAIN", "ENOTFOUND", "UND_ERR_SOCKET"]);

interface AwsLikeError {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly $fault?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

function kindOf(error: AwsLikeError): BackendErrorKind {
  const name = error.name ?? "";
  if (THROTTLING.has(name) || error.$metadata?.httpStatusCode === 429) return "throttled";
  if (name === "ResourceLimitExceeded") return "quota";
  if (name === "ResourceInUse") return "exists";
  if (name === "ResourceNotFound") return "not-found";
  // The real service answers DescribeTrainingJob on an unknown name with a ValidationException
  // "Requested resource not found." rather than the modelled ResourceNotFound (aws/aws-sdk#165).
  if (name === "ValidationException" && /requested resource not found/i.test(error.message ?? "")) return "not-found";
  if (name === "ValidationException") return "validation";
  if (ACCESS.has(name)) return "access-denied";
  if (TRANSIENT_NAMES.has(name) || (error.code !== undefined && NETWORK_CODES.has(error.code))) return "transient";
  const status = error.$metadata?.httpStatusCode;
  if (error.$fault === "server" || (status !== undefined && status >= 500)) return "transient";
  return "unknown";
}

/** Turns whatever an SDK call threw into a BackendError (kept as-is when it already is one). */
export function classifyAwsError(error: unknown): BackendError {
  if (error instanceof BackendError) return error;
  const aws: AwsLikeError = typeof error === "object" && error !== null ? (error as AwsLikeError) : { message: String(error) };
  const kind = kindOf(aws);
  const code = aws.name ?? aws.code ?? "Error";
  let message = aws.message ?? String(error);
  if (aws.name === "CredentialsProviderError") {
    message = `no AWS credentials found (${message}). Set AWS_PROFILE, or run inside an environment with a role, as for the AWS CLI.`;
  }
  return new BackendError(kind, message, code, { cause: error });
}

/** Error kinds worth retrying as-is after a pause: the call may well work next time. */
export function isRetryable(kind: BackendErrorKind): boolean {
  return kind === "throttled" || kind === "transient";
}

/**
 * The quota a ResourceLimitExceeded message names, e.g. "ml.p3.2xlarge for training job usage"
 * from "The account-level service limit 'ml.p3.2xlarge for training job usage' is 4 Instances, ...".
 */
export function quotaFromMessage(message: string): { readonly name?: string; readonly limit?: number } {
  const name = /limit '([^']+)'/.exec(message)?.[1];
  const limit = /' is (\d+) Instances?/i.exec(message)?.[1];
  return { ...(name !== undefined ? { name } : {}), ...(limit !== undefined ? { limit: Number(limit) } : {}) };
}

/**
 * The error classes of a failure for lack of capacity: "CapacityError: Unable to provision requested
 * ML compute capacity...", "InsufficientCapacityError: ..." (the class name ends in Error, so a bare
 * `InsufficientCapacity\b` missed it) and "EC2InsufficientCapacityError: ..." (docs/sources.md#launch-checks).
 */
const CAPACITY_ERROR_CLASS = /^\s*(CapacityError|InsufficientCapacity|InsufficientCapacityError|EC2InsufficientCapacityError)\b/i;

/** Why a training job ended without completing, as far as the launcher's next step is concerned. */
export type EndCause =
  | "capacity" // no instance could be provisioned (or spot wait ran out): retry as a new attempt
  | "internal" // SageMaker's own error: retry as a new attempt
  | "algorithm" // bad data, bad hyperparameters, out of memory: retrying would fail again
  | "stopped"; // stopped by someone (segsweep stop, console) or its max_runtime

/**
 * Classifies a Failed or Stopped job from DescribeTrainingJob. FailureReason starts with the error
 * class ("CapacityError: Unable to provision requested ML compute capacity...", "InternalServerError:
 * ...", "ClientError: ...", "AlgorithmError: ..."); a spot job whose capacity never came ends Stopped
 * with secondary status MaxWaitTimeExceeded (docs/sources.md#errors).
 */
export function classifyEnd(
  status: "Failed" | "Stopped",
  failureReason: string | undefined,
  secondaryStatus: string | undefined,
): EndCause {
  if (status === "Stopped") return secondaryStatus === "MaxWaitTimeExceeded" ? "capacity" : "stopped";
  const reason = failureReason ?? "";
  if (CAPACITY_ERROR_CLASS.test(reason) || /insufficient capacity/i.test(reason)) return "capacity";
  if (/^\s*(InternalServerError|InternalFailure|InternalError)\b/i.test(reason)) return "internal";
  return "algorithm";
}
