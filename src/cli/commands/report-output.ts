import { randomBytes } from "node:crypto";
import { rename, rm, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { UserError } from "../../errors.js";

/**
 * Writes a rendered report to `output` (relative to `cwd`): to a temporary file beside it, then
 * renamed over it, so a full disk or an interrupt never leaves half a page where the last good
 * one was. Returns the line that tells the user where it went; a write that fails is a UserError
 * naming the file and the reason.
 */
export async function writeReportFile(cwd: string, output: string, text: string): Promise<string> {
  const target = resolve(cwd, output);
  const temporary = `${target}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(temporary, text, "utf8");
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UserError(`cannot write the report to ${output} (${reason}): check that its folder exists and is writable.`);
  }
  return `Wrote ${output} (${formatBytes(Buffer.byteLength(text))}).`;
}

/** `830 KB`, `2.1 MB`. */
function formatBytes(bytes: number): string {
  return bytes < 1_000_000 ? `${Math.max(1, Math.round(bytes / 1000))} KB` : `${(bytes / 1_000_000).toFixed(1)} MB`;
}
