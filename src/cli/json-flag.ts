import { UsageError } from "../errors.js";

/**
 * `--json` on commands that also have `--format`: the same as `--format json`, so every command
 * that prints data takes `--json`.
 */

/** The format chosen by `--format` and `--json`; a UsageError when they disagree. */
export function formatWithJson(format: string | undefined, json: boolean | undefined): string | undefined {
  if (json !== true) return format;
  if (format !== undefined && format !== "json") throw new UsageError(`--json is --format json; it cannot go with --format ${format}.`);
  return "json";
}
