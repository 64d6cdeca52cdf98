import { type ParseArgsConfig, parseArgs } from "node:util";
import { UsageError } from "../errors.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * node:util parseArgs with positionals allowed and unknown flags refused; a parse error becomes a
 * UsageError (exit 2) followed by the command's help.
 */
export function parseCommandArgs<const T extends Options>(argv: readonly string[], options: T, help: string) {
  try {
    return parseArgs({ args: [...argv], allowPositionals: true, strict: true, options });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${help}`);
  }
}
