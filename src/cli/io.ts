/**
 * What a command may touch of the outside world. Passed in, so tests run commands in-process
 * with captured output, a fake clock and no TTY.
 */
export interface CliIO {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean; readonly columns?: number };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Aborted on Ctrl-C (SIGINT/SIGTERM): commands stop starting work and return. */
  readonly signal: AbortSignal;
  /** Answers a yes/no question; undefined when there is no terminal to ask on. */
  readonly confirm?: (question: string) => Promise<boolean>;
}

/** A subcommand: parses its own argv (after the command name) and returns the exit code. */
export type Command = (argv: readonly string[], io: CliIO) => Promise<number>;
