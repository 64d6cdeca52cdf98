import type { UserError } from "../errors.js";

/**
 * The CLI's exit codes; only cli/main.ts turns errors into them.
 * 0 ok, 1 invalid input or a failed campaign, 2 usage error, 130 interrupted.
 */
export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;
/** 128 + SIGINT, as shells report it, so scripts tell "interrupted" from "failed". */
export const EXIT_INTERRUPTED = 130;

/** The exit code of an error a user can fix. */
export function exitCodeOf(error: UserError): number {
  return error.kind === "usage" ? EXIT_USAGE : EXIT_INVALID;
}
