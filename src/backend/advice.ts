import { UserError } from "../errors.js";
import { BackendError } from "./types.js";

/**
 * The one function that turns a backend error into advice for the user: what failed, what AWS
 * said, and what to do about it. Errors that are not the backend's (bugs) are returned as they are.
 */
export interface AdviceContext {
  /** What was being done, as "Could not <what>". */
  readonly what: string;
  /** Who refused (default SageMaker). */
  readonly service?: string;
  /** The sweep file, for the `--dry-run` hint when SageMaker refuses a request. */
  readonly sweepFile?: string;
  /** Lines added at the end (for example, which jobs are still running). */
  readonly footer?: string;
}

/** The hint for a kind of backend error, or "" when there is nothing more useful to say. */
export function hintFor(error: BackendError, sweepFile?: string): string {
  switch (error.kind) {
    case "access-denied":
      return "Check the AWS credentials (AWS_PROFILE) and that they carry the stack's operator policy (stack output operatorPolicyArn).";
    case "validation":
      return sweepFile !== undefined
        ? `SageMaker refused the request; \`segsweep launch ${sweepFile} --dry-run\` prints the requests.`
        : "";
    case "throttled":
    case "transient":
      return "SageMaker kept refusing or failing; try again in a minute.";
    default:
      return "";
  }
}

/** A BackendError as a UserError saying what to do; anything else unchanged. */
export function adviseOn(error: unknown, context: AdviceContext): unknown {
  if (!(error instanceof BackendError)) return error;
  const service = context.service ?? "SageMaker";
  const failed = whatFailed(error, service);
  const hint = failed?.hint ?? hintFor(error, context.sweepFile);
  const lines = [`Could not ${context.what}: ${failed?.what ?? `${service} said ${error.code}: ${error.message}`}`];
  if (hint !== "") lines.push(hint);
  if (context.footer !== undefined && context.footer !== "") lines.push(context.footer.trimEnd());
  return new UserError(lines.join("\n"));
}

/** The system error code (ECONNREFUSED, ENOTFOUND...) somewhere in `error`'s cause chain. */
function systemCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; typeof current === "object" && current !== null && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z_]+$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET)\b/.exec(error instanceof Error ? error.message : "")?.[1];
}

/**
 * What actually failed when it was not the service's answer: the network, the name lookup, the
 * credentials; or the service's throttling after every retry. Undefined for a service's own answer.
 */
function whatFailed(error: BackendError, service: string): { readonly what: string; readonly hint: string } | undefined {
  const code = systemCode(error);
  const keepRunning = "Training jobs already created keep running on SageMaker; run the same command again once it works.";
  if (code === "ECONNREFUSED" || code === "ECONNRESET" || code === "ETIMEDOUT") {
    return {
      what: `${service} could not be reached (${code}: ${error.message}).`,
      hint: `The network or the endpoint is down (check AWS_ENDPOINT_URL* if you set one); segsweep retried for about a minute. ${keepRunning}`,
    };
  }
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return {
      what: `${service}'s address could not be looked up (${code}: ${error.message}).`,
      hint: `No network or no DNS, or a wrong region or endpoint (AWS_REGION, AWS_ENDPOINT_URL*). ${keepRunning}`,
    };
  }
  if (error.code === "CredentialsProviderError") {
    return {
      what: error.message,
      hint: "Set AWS_PROFILE to a profile that exists (aws configure list-profiles), or log in again (aws sso login).",
    };
  }
  if (/Expired/i.test(error.code)) {
    return {
      what: `the AWS credentials have expired (${error.code}).`,
      hint: `Log in again (aws sso login, or refresh AWS_PROFILE's credentials). ${keepRunning}`,
    };
  }
  if (error.kind === "throttled") {
    return {
      what: `${service} kept throttling the calls after every retry (${error.code}: ${error.message}).`,
      hint: "Another tool may share the account's API rate; try again in a minute.",
    };
  }
  return undefined;
}
