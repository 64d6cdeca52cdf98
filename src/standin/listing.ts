import type { JobRecord, JobStore } from "./jobs.js";
import { AwsError, timestampMs } from "./protocol.js";
import { summarizeJob, viewAt } from "./render.js";

/**
 * ListTrainingJobs (docs/sources.md#describe-list-search): NameContains, CreationTime and
 * LastModifiedTime windows, StatusEquals, SortBy (CreationTime by default, Name, Status),
 * SortOrder (Ascending by default), MaxResults 1..100 (default 10) and NextToken.
 *
 * Two behaviours of the real service are kept on purpose:
 * - StatusEquals is applied after a page of MaxResults jobs of any status is taken, so a page can
 *   be short or empty while NextToken still leads to matches (§5.5): callers must follow NextToken.
 * - A NextToken is a position in the sort order (the last item's sort key), not an offset, so jobs
 *   created while paging do not shift pages.
 */

interface Cursor {
  readonly sortBy: string;
  readonly order: string;
  readonly value: string | number;
  readonly key: string;
}

function encode(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

function decode(token: string, sortBy: string, order: string): Cursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (typeof parsed === "object" && parsed !== null && "sortBy" in parsed && "order" in parsed && "value" in parsed && "key" in parsed) {
      const { value, key } = parsed;
      if (
        parsed.sortBy === sortBy &&
        parsed.order === order &&
        (typeof value === "string" || typeof value === "number") &&
        typeof key === "string"
      ) {
        return { sortBy, order, value, key };
      }
    }
  } catch {
    // falls through to the error below
  }
  throw new AwsError(
    "ValidationException",
    "Invalid pagination token: it was not returned by a ListTrainingJobs call with the same SortBy and SortOrder.",
  );
}

function optionalString(input: Record<string, unknown>, member: string): string | undefined {
  const value = input[member];
  return typeof value === "string" ? value : undefined;
}

/** A job's last change: its end when it has ended (cheap: most of a large campaign has), else its view's. */
function lastModifiedMs(store: JobStore, job: JobRecord, now: number): number {
  const endAt = job.timeline.endAt;
  return endAt <= store.secondsAt(job, now) ? store.msAt(job, endAt) : viewAt(store, job, now).lastModifiedMs;
}

/** ListTrainingJobs at `now`, for a model-valid input. */
export function listTrainingJobs(store: JobStore, input: Record<string, unknown>, now: number): Record<string, unknown> {
  const sortBy = optionalString(input, "SortBy") ?? "CreationTime";
  const order = optionalString(input, "SortOrder") ?? "Ascending";
  const maxResults = typeof input.MaxResults === "number" ? input.MaxResults : 10;
  const nameContains = optionalString(input, "NameContains")?.toLowerCase();
  const statusEquals = optionalString(input, "StatusEquals");
  const window = {
    createdAfter: timestampMs(input.CreationTimeAfter),
    createdBefore: timestampMs(input.CreationTimeBefore),
    modifiedAfter: timestampMs(input.LastModifiedTimeAfter),
    modifiedBefore: timestampMs(input.LastModifiedTimeBefore),
  };
  // No job of the stand-in has a warm pool or a training plan.
  const impossible = input.WarmPoolStatusEquals !== undefined || input.TrainingPlanArnEquals !== undefined;

  const sortValue = (job: JobRecord): string | number =>
    sortBy === "Name" ? job.name.toLowerCase() : sortBy === "Status" ? viewAt(store, job, now).status : job.createdAt;
  const direction = order === "Descending" ? -1 : 1;
  const compare = (a: { value: string | number; key: string }, b: { value: string | number; key: string }): number => {
    const byValue = a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
    return direction * (byValue !== 0 ? byValue : a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  };

  const candidates: { job: JobRecord; value: string | number; key: string }[] = [];
  for (const job of store.jobs.values()) {
    if (impossible || job.createdAt > now) continue;
    if (nameContains !== undefined && !job.name.toLowerCase().includes(nameContains)) continue;
    if (window.createdAfter !== undefined && !(job.createdAt > window.createdAfter)) continue;
    if (window.createdBefore !== undefined && !(job.createdAt < window.createdBefore)) continue;
    if (window.modifiedAfter !== undefined || window.modifiedBefore !== undefined) {
      const modified = lastModifiedMs(store, job, now);
      if (window.modifiedAfter !== undefined && !(modified > window.modifiedAfter)) continue;
      if (window.modifiedBefore !== undefined && !(modified < window.modifiedBefore)) continue;
    }
    candidates.push({ job, value: sortValue(job), key: job.name.toLowerCase() });
  }
  candidates.sort(compare);

  const token = optionalString(input, "NextToken");
  const cursor = token !== undefined && token !== "" ? decode(token, sortBy, order) : undefined;
  const start = cursor === undefined ? 0 : candidates.findIndex((c) => compare(c, cursor) > 0);
  const rest = start < 0 ? [] : candidates.slice(start);
  const page = rest.slice(0, maxResults);
  const last = page[page.length - 1];
  const summaries = page
    .filter((c) => statusEquals === undefined || viewAt(store, c.job, now).status === statusEquals)
    .map((c) => summarizeJob(store, c.job, now));
  return {
    TrainingJobSummaries: summaries,
    ...(rest.length > page.length && last !== undefined ? { NextToken: encode({ sortBy, order, value: last.value, key: last.key }) } : {}),
  };
}
