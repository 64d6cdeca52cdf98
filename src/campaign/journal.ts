import { createHash } from "node:crypto";
import { appendFile, mkdir, open, readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import type { Identity } from "../backend/identity.js";
import type { JobDetails } from "../backend/types.js";

/**
 * The local journal, `.segsweep/<campaign>/<account>-<region>[-<endpoint>]/journal.ndjson`:
 * append-only lines saying which jobs this machine created and how they ended. It is kept per
 * account, region and endpoint, and it only saves calls (no DescribeTrainingJob again for a job
 * already described that SageMaker still lists as ended the same way): SageMaker's answer always
 * wins, so a lost, stale or foreign journal costs calls, never a status, a metric or a cost.
 * Appends are single small writes (O_APPEND), so a crash leaves at most a torn last line, which
 * reading skips.
 */

const Details = z.object({
  name: z.string(),
  status: z.enum(["InProgress", "Completed", "Failed", "Stopping", "Stopped", "Deleting"]),
  createdAt: z.number(),
  endedAt: z.number().exactOptional(),
  lastModifiedAt: z.number().exactOptional(),
  secondaryStatus: z.string().exactOptional(),
  failureReason: z.string().exactOptional(),
  metrics: z.record(z.string(), z.number()),
  startedAt: z.number().exactOptional(),
  billableSeconds: z.number().exactOptional(),
  trainingSeconds: z.number().exactOptional(),
  instanceType: z.string().exactOptional(),
  instanceCount: z.number().exactOptional(),
  spot: z.boolean().exactOptional(),
  hyperparameters: z.record(z.string(), z.string()),
  tags: z.record(z.string(), z.string()).exactOptional(),
});

export const JournalEntry = z.discriminatedUnion("type", [
  z.object({ type: z.literal("created"), name: z.string(), at: z.number() }),
  z.object({ type: z.literal("ended"), name: z.string(), details: Details }),
]);
export type JournalEntry = z.infer<typeof JournalEntry>;

// Compile-time check that the journal keeps everything JobDetails has.
const detailsFit: (details: z.infer<typeof Details>) => JobDetails = (details) => details;
void detailsFit;

/** Whether the journal can be written, checked before the first create. */
export type JournalCheck = { readonly ok: true } | { readonly ok: false; readonly path: string; readonly reason: string };

export interface Journal {
  /** Every readable entry, oldest first. */
  load(): Promise<JournalEntry[]>;
  append(entry: JournalEntry): Promise<void>;
  /** Creates the journal's folder and file if needed and says whether it can be appended to. */
  check(): Promise<JournalCheck>;
}

/** The journal's key: `<account>-<region>`, plus a short hash of the endpoint when it is not AWS's own. */
export function journalKey(identity: Pick<Identity, "account" | "region" | "endpoint">): string {
  const endpoint = identity.endpoint !== undefined ? `-${createHash("sha256").update(identity.endpoint).digest("hex").slice(0, 10)}` : "";
  return `${identity.account}-${identity.region}${endpoint}`.replace(/[^A-Za-z0-9._-]/g, "_");
}

/** The directory of a campaign's local state for one identity under `cwd`. */
export function journalDir(cwd: string, campaign: string, identity: Pick<Identity, "account" | "region" | "endpoint">): string {
  return join(cwd, ".segsweep", campaign, journalKey(identity));
}

/** Parses journal text, skipping lines that are torn or not entries. */
export function parseJournal(text: string): JournalEntry[] {
  const entries: JournalEntry[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      const parsed = JournalEntry.safeParse(JSON.parse(line));
      if (parsed.success) entries.push(parsed.data);
    } catch {
      // A torn line from a crash mid-append: the job is found again on SageMaker.
    }
  }
  return entries;
}

/** The journal file of a campaign for one identity, under `cwd`. */
export function fileJournal(cwd: string, campaign: string, identity: Pick<Identity, "account" | "region" | "endpoint">): Journal {
  const dir = journalDir(cwd, campaign, identity);
  const path = join(dir, "journal.ndjson");
  let ready: Promise<unknown> | undefined;
  return {
    async load() {
      try {
        return parseJournal(await readFile(path, "utf8"));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // Absent, or unreadable: the journal only saves calls, SageMaker answers instead.
        if (code === "ENOENT" || code === "ENOTDIR" || code === "EACCES" || code === "EISDIR") return [];
        throw error;
      }
    },
    async append(entry) {
      ready ??= mkdir(dir, { recursive: true });
      await ready;
      await appendFile(path, `${JSON.stringify(entry)}\n`, "utf8");
    },
    async check() {
      try {
        await mkdir(dir, { recursive: true });
        await (await open(path, "a")).close();
        return { ok: true };
      } catch (error) {
        const failure = error as NodeJS.ErrnoException;
        return { ok: false, path, reason: `${failure.code ?? "error"}: ${failure.message}` };
      }
    },
  };
}

/** A journal in memory (tests, --simulate, --dry-run). */
export function memoryJournal(initial: readonly JournalEntry[] = []): Journal & { readonly entries: JournalEntry[] } {
  const entries = [...initial];
  return {
    entries,
    load: async () => [...entries],
    append: async (entry) => {
      entries.push(entry);
    },
    check: async () => ({ ok: true }),
  };
}
