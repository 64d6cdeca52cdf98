import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { z } from "zod";

/**
 * The stand-in's state on disk, for a rehearsal that outlives its process (`launch --simulate`,
 * then `status`/`report`/`stop --simulate`, then `launch --simulate` again): every SageMaker call
 * that changed something (create, stop, tag, tuning jobs...) with its input and the clock time it
 * was answered at, one JSON line each, appended as it happens. A job's whole life is a function of
 * the clock and of these calls (seeded fates, curves from the hyperparameters), so replaying them
 * at their times rebuilds the account exactly, for any engine. A line is one write of a whole
 * record: a crash mid-write leaves at most a torn last line, which is ignored (the call it stood
 * for was never answered, so the client retries it).
 */

/** One answered call that changed the account; `kind: "clock"` lines only carry the time reached. */
export const SavedCall = z.union([
  z.object({ kind: z.literal("call"), at: z.number(), operation: z.string(), input: z.record(z.string(), z.unknown()) }),
  z.object({ kind: z.literal("clock"), at: z.number() }),
]);
export type SavedCall = z.infer<typeof SavedCall>;

/** Where the calls go and come from. */
export interface CallRecorder {
  /** The calls saved so far, oldest first. */
  readonly saved: readonly SavedCall[];
  record(call: SavedCall): void;
}

/** Operations that change the account (the rest only read). */
export function changesAccount(operation: string): boolean {
  return /^(Create|Stop|Add|Delete|Update)/.test(operation);
}

/** The recorder of a JSON-lines file (created with its folder on the first record). */
export function fileRecorder(path: string): CallRecorder {
  const saved = readSaved(path);
  return {
    saved,
    record(call) {
      if (!existsSync(dirname(path))) mkdirSync(dirname(path), { recursive: true });
      appendFileSync(path, `${JSON.stringify(call)}\n`);
      saved.push(call);
    },
  };
}

/** The file's calls; a torn or foreign line is where reading stops (everything after it was never acknowledged). */
export function readSaved(path: string): SavedCall[] {
  if (!existsSync(path)) return [];
  const out: SavedCall[] = [];
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    let parsed: ReturnType<typeof SavedCall.safeParse>;
    try {
      parsed = SavedCall.safeParse(JSON.parse(line));
    } catch {
      break;
    }
    if (!parsed.success) break;
    out.push(parsed.data);
  }
  return out;
}

/** The latest clock time the saved calls reached (undefined when there are none). */
export function savedUntil(saved: readonly SavedCall[]): number | undefined {
  return saved.reduce<number | undefined>((latest, call) => (latest === undefined || call.at > latest ? call.at : latest), undefined);
}
