/**
 * The CLI's one exit path: commands throw these, only cli/main.ts prints them and picks the exit code.
 * Exit codes: 0 ok, 1 invalid input or a failed campaign, 2 usage error.
 */
export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;

/** Something the user can fix; the message says what and how. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: typeof EXIT_INVALID | typeof EXIT_USAGE = EXIT_INVALID,
  ) {
    super(message);
    this.name = "UserError";
  }
}

/** A usage error: wrong flags or arguments (exit 2). */
export class UsageError extends UserError {
  constructor(message: string) {
    super(message, EXIT_USAGE);
    this.name = "UsageError";
  }
}
