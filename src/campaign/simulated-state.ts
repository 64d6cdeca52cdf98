import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import type { Clock } from "../backend/clock.js";
import { UserError } from "../errors.js";

/**
 * Where a rehearsal (`--simulate`) keeps its state between commands: `.segsweep/<campaign>/simulated/`
 * holds `rehearsal.json` (the stand-in's seed and time scale, written once, atomically) and
 * `standin.jsonl` (every call that changed the simulated account, appended as it happens: the
 * stand-in's saved-calls.ts). Keyed by campaign only, so any engine's rehearsal (plain jobs,
 * tuning jobs) is kept the same way. The simulated clock runs only while a command works on the
 * rehearsal: it resumes at the last time recorded.
 */

export const Rehearsal = z.object({
  campaign: z.string(),
  region: z.string(),
  seed: z.number().int(),
  /** Simulated seconds per real second. */
  scale: z.number().positive(),
});
export type Rehearsal = z.infer<typeof Rehearsal>;

/** The campaign's rehearsal folder under `cwd`. */
export function simulatedStateDir(cwd: string, campaign: string): string {
  return join(cwd, ".segsweep", campaign, "simulated");
}

/** The rehearsal's settings, or undefined when there is none yet. A damaged file is a UserError naming it. */
export function readRehearsal(dir: string): Rehearsal | undefined {
  const path = join(dir, "rehearsal.json");
  if (!existsSync(path)) return undefined;
  const parsed = Rehearsal.safeParse(safeJson(readFileSync(path, "utf8")));
  if (!parsed.success) {
    throw new UserError(
      `${path} is not a rehearsal's settings (${parsed.error.issues[0]?.message ?? "unreadable"}); remove the folder to start the rehearsal over.`,
    );
  }
  return parsed.data;
}

/** Writes the settings atomically (a temporary file renamed over). */
export function writeRehearsal(dir: string, rehearsal: Rehearsal): void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "rehearsal.json");
  writeFileSync(`${path}.tmp`, `${JSON.stringify(rehearsal, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}

/** The refusal of `status`/`report`/`stop --simulate` when nothing was rehearsed here. */
export function noRehearsal(campaign: string): UserError {
  return new UserError(
    `No rehearsal of campaign ${campaign} here (.segsweep/${campaign}/simulated/ is missing): \`segsweep launch FILE --simulate\` starts one, from this directory.`,
  );
}

/** A clock at `start` (simulated epoch ms) running `scale` times faster than `base` from now on. */
export function resumedClock(scale: number, start: number, base: Clock): Clock {
  const realStart = base.now();
  return {
    now: () => start + (base.now() - realStart) * scale,
    sleep: (ms, signal) => base.sleep(ms / scale, signal),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
