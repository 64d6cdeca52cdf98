import { appendFile, mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import type { JobDetails } from "../backend/types.js";

/**
 * The local journal, `.segsweep/<campaign>/journal.ndjson`: append-only lines saying which jobs
 * this machine created and how they ended. It only saves calls (no DescribeTrainingJob again for a
 * job already described); SageMaker stays the source of truth, so a lost, stale or half-written
 * journal costs calls, never correctness. Appends are single small writes (O_APPEND), so a crash
 * leaves at most a torn last line, which reading skips.
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
});

export const JournalEntry = z.discriminatedUnion("type", [
  z.object({ type: z.literal("created"), name: z.string(), at: z.number() }),
  z.object({ type: z.literal("ended"), name: z.string(), details: Details }),
]);
export type JournalEntry = z.infer<typeof JournalEntry>;

// Compile-time check that the journal keeps everything JobDetails has.
const detailsFit: (details: z.infer<typeof Details>) => JobDetails = (details) => details;
void detailsFit;

export interface Journal {
  /** Every readable entry, oldest first. */
  load(): Promise<JournalEntry[]>;
  append(entry: JournalEntry): Promise<void>;
}

/** The directory of a campaign's local state under `cwd`. */
export function campaignDir(cwd: string, campaign: string): string {
  return join(cwd, ".segsweep", campaign);
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

/** The journal file of a campaign under `cwd`. */
export function fileJournal(cwd: string, campaign: string): Journal {
  const dir = campaignDir(cwd, campaign);
  const path = join(dir, "journal.ndjson");
  let ready: Promise<unknown> | undefined;
  return {
    async load() {
      try {
        return parseJournal(await readFile(path, "utf8"));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
        throw error;
      }
    },
    async append(entry) {
      ready ??= mkdir(dir, { recursive: true });
      await ready;
      await appendFile(path, `${JSON.stringify(entry)}\n`, "utf8");
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
  };
}
