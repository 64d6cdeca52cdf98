import type { ServerResponse } from "node:http";
import type { JobStore } from "./jobs.js";
import { listTrainingJobs } from "./listing.js";
import { type ApiModel, inputShapeOf } from "./model.js";
import type { ResolvedOptions } from "./options.js";
import { AwsError } from "./protocol.js";
import { describeJob, tagList } from "./render.js";
import { searchTrainingJobs } from "./search.js";
import type { Queue } from "./sqs.js";
import type { TuningStore } from "./tuning.js";
import { TUNING_OPERATIONS, tuningOperation } from "./tuning-operations.js";
import { typeMismatchMessage, validateShape, validationMessage } from "./validate.js";

/**
 * What the stand-in answers, one operation at a time: SageMaker's training-job operations
 * (validated against the API model first) and the events queue's SQS operations.
 */

/** The SageMaker operations the stand-in implements. */
export const SAGEMAKER_OPERATIONS = [
  "CreateTrainingJob",
  "DescribeTrainingJob",
  "ListTrainingJobs",
  "StopTrainingJob",
  "AddTags",
  "ListTags",
  "Search",
  ...TUNING_OPERATIONS,
];

/** The SQS operations of its events queue. */
export const SQS_OPERATIONS = ["GetQueueUrl", "ReceiveMessage", "DeleteMessage", "DeleteMessageBatch"];

/** How often a pending long poll looks at the clock and the queue again (real milliseconds). */
const LONG_POLL_CHECK_MS = 5;

/** What the operations work on. */
export interface StandinState {
  readonly resolved: ResolvedOptions;
  readonly model: ApiModel;
  readonly echoed: readonly string[];
  readonly store: JobStore;
  readonly tunings: TuningStore;
  readonly queue: Queue | undefined;
  /** Brings every job up to the clock: emits the events of the changes since the last request. */
  sync(now: number): void;
  /** Pending long polls, woken at close. */
  readonly wakeLongPolls: Set<() => void>;
  isClosed(): boolean;
}

/** A SageMaker operation's answer, for a request the API model accepts. */
export function answerSageMaker(state: StandinState, operation: string, input: Record<string, unknown>, now: number): unknown {
  const { model, store, echoed } = state;
  const shape = inputShapeOf(model, operation);
  if (shape !== undefined) {
    const result = validateShape(model, shape, input);
    if (result.typeMismatches.length > 0) throw new AwsError("SerializationException", typeMismatchMessage(result.typeMismatches));
    if (result.violations.length > 0) throw new AwsError("ValidationException", validationMessage(result.violations));
  }
  const name = typeof input.TrainingJobName === "string" ? input.TrainingJobName : "";
  if (TUNING_OPERATIONS.includes(operation)) {
    const answer = tuningOperation({ store, tunings: state.tunings, echoed, timeScale: state.resolved.timeScale }, operation, input, now);
    state.sync(now);
    return answer;
  }
  switch (operation) {
    case "CreateTrainingJob": {
      const job = store.create(input, now);
      state.sync(now);
      return { TrainingJobArn: job.arn };
    }
    case "DescribeTrainingJob":
      return describeJob(store, echoed, store.lookup(name), now);
    case "ListTrainingJobs":
      return listTrainingJobs(store, input, now);
    case "StopTrainingJob":
      store.stop(name, now);
      state.sync(now);
      return {};
    case "AddTags":
    case "ListTags":
      return answerTags(store, operation, input);
    default:
      return searchTrainingJobs(store, echoed, input, now);
  }
}

function answerTags(store: JobStore, operation: "AddTags" | "ListTags", input: Record<string, unknown>): unknown {
  const job = store.byArn(String(input.ResourceArn));
  if (operation === "AddTags") {
    for (const tag of Array.isArray(input.Tags) ? input.Tags : []) {
      if (typeof tag === "object" && tag !== null && "Key" in tag && "Value" in tag) job.tags.set(String(tag.Key), String(tag.Value));
    }
    return { Tags: tagList(job) };
  }
  const tags = tagList(job);
  const offset = typeof input.NextToken === "string" ? Number.parseInt(input.NextToken, 10) || 0 : 0;
  const max = typeof input.MaxResults === "number" ? input.MaxResults : 50;
  return { Tags: tags.slice(offset, offset + max), ...(offset + max < tags.length ? { NextToken: String(offset + max) } : {}) };
}

/** An SQS operation's answer; ReceiveMessage long-polls on the clock. */
export async function answerSqs(
  state: StandinState,
  operation: string,
  input: Record<string, unknown>,
  response: ServerResponse,
): Promise<unknown> {
  const queue = state.queue;
  if (queue === undefined)
    throw new AwsError("QueueDoesNotExist", "The specified queue does not exist.", 400, "AWS.SimpleQueueService.NonExistentQueue;Sender");
  switch (operation) {
    case "ReceiveMessage": {
      const messages = await longPoll(state, queue, response, input);
      // SQS leaves Messages out when there are none.
      return messages.length > 0 ? { Messages: messages } : {};
    }
    case "GetQueueUrl":
      return queue.getQueueUrl(input);
    case "DeleteMessage":
      return queue.deleteMessage(input);
    default:
      return queue.deleteMessageBatch(input);
  }
}

/** ReceiveMessage: at once when messages are visible, else when some become so or the wait runs out on the clock. */
async function longPoll(
  state: StandinState,
  queue: Queue,
  response: ServerResponse,
  input: Record<string, unknown>,
): Promise<Record<string, unknown>[]> {
  const deadline = state.resolved.now() + queue.receiveWaitMs(input);
  let gone = false;
  // The client gave up (aborted the call): stop polling for it.
  response.once("close", () => {
    gone = true;
  });
  for (;;) {
    const now = state.resolved.now();
    state.sync(now);
    const messages = queue.receive(input, now);
    if (messages.length > 0 || now >= deadline || state.isClosed() || gone) return messages;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, LONG_POLL_CHECK_MS);
      function done(): void {
        clearTimeout(timer);
        state.wakeLongPolls.delete(done);
        resolve();
      }
      state.wakeLongPolls.add(done);
    });
  }
}
