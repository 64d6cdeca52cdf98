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
  const hint = hintFor(error, context.sweepFile);
  const lines = [`Could not ${context.what}: ${context.service ?? "SageMaker"} said ${error.code}: ${error.message}`];
  if (hint !== "") lines.push(hint);
  if (context.footer !== undefined && context.footer !== "") lines.push(context.footer.trimEnd());
  return new UserError(lines.join("\n"));
}
