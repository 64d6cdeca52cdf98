/**
 * Errors a user can fix, below every stage (the way changesets keeps its errors in a package of
 * their own): any layer may throw them, only the CLI renders them and picks an exit code.
 * Anything else that escapes is a bug, and the CLI says so.
 */

/** Invalid input (a sweep file, stack outputs, an account that refuses): the message says what and how to fix it. */
export class UserError extends Error {
  constructor(
    message: string,
    /** "usage" for wrong flags or arguments; "invalid" for everything else a user can fix. */
    readonly kind: "invalid" | "usage" = "invalid",
  ) {
    super(message);
    this.name = "UserError";
  }
}

/** Wrong flags or arguments. */
export class UsageError extends UserError {
  constructor(message: string) {
    super(message, "usage");
    this.name = "UsageError";
  }
}
