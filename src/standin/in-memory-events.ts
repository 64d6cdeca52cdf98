import type { Clock } from "../backend/clock.js";
import type { JobEventSource, JobStateEvent } from "../backend/sqs-events.js";
import type { JobDetails } from "../backend/types.js";
import type { Change } from "./in-memory-changes.js";

/** What the events source reads of the in-memory SageMaker. */
export interface ChangeFeed {
  changesBetween(after: number, upTo: number): IterableIterator<Change>;
  jobAt(name: string, at: number): JobDetails | undefined;
}

/**
 * "SageMaker Training Job State Change" events of the in-memory SageMaker's created jobs whose
 * names start with `namePrefix`, as the stack's queue would deliver them: at most 10 a receive,
 * and a receive with nothing new answers at once (so the follower waits its poll interval).
 */
export function inMemoryEvents(feed: ChangeFeed, clock: Clock, namePrefix: string): JobEventSource & { readonly waitsForEvents: boolean } {
  const calls: Record<string, number> = {};
  let since = clock.now();
  const pending: JobStateEvent[] = [];
  return {
    calls,
    waitsForEvents: false,
    receive: async () => {
      calls.ReceiveMessage = (calls.ReceiveMessage ?? 0) + 1;
      const now = clock.now();
      for (const change of feed.changesBetween(since, now)) {
        if (!change.name.startsWith(namePrefix)) continue;
        const state = feed.jobAt(change.name, change.at);
        if (state === undefined) continue;
        pending.push({
          name: change.name,
          status: state.status,
          ...(state.secondaryStatus !== undefined ? { secondaryStatus: state.secondaryStatus } : {}),
        });
      }
      since = now;
      const events = pending.splice(0, 10);
      if (events.length > 0) calls.DeleteMessageBatch = (calls.DeleteMessageBatch ?? 0) + 1;
      return events;
    },
  };
}
