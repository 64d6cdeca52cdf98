/**
 * The commands segsweep suggests (after Ctrl-C, at the end of a launch, by `status --watch` and
 * `stop`), built in one place so that each keeps the flags the user gave (`--stack`,
 * `--stack-outputs`, `--simulate`) and works when pasted into a shell.
 */

/** What every suggested command carries: how to run segsweep, and the flags that chose the stack. */
export interface HintContext {
  /** `segsweep` or `npx segsweep` (cli/invocation.ts). */
  readonly program: string;
  /** The flags to repeat, e.g. ["--stack-outputs", "outputs.json"]. */
  readonly flags: readonly string[];
}

/** The flags a user gave that every later command needs too, in a fixed order. */
export function repeatedFlags(given: {
  readonly stack?: string | undefined;
  readonly stackOutputs?: string | undefined;
  readonly simulate?: boolean | undefined;
}): string[] {
  return [
    ...(given.stack !== undefined ? ["--stack", given.stack] : []),
    ...(given.stackOutputs !== undefined ? ["--stack-outputs", given.stackOutputs] : []),
    ...(given.simulate === true ? ["--simulate"] : []),
  ];
}

/** A word as a POSIX shell reads it back: as is when safe, else in single quotes. */
export function shellWord(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** `<program> <command> <file> [extra...] [flags...]`, each word quoted for the shell. */
export function hintCommand(context: HintContext, command: string, file: string, extra: readonly string[] = []): string {
  return [context.program, command, ...[file, ...extra, ...context.flags].map(shellWord)].join(" ");
}
