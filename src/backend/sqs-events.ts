import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient, type SQSClientConfig } from "@aws-sdk/client-sqs";
import { z } from "zod";
import { type Clock, systemClock } from "./clock.js";
import { createRetrier, SQS_RETRY } from "./retry.js";
import type { TrainingJobStatus } from "./types.js";

/**
 * "SageMaker Training Job State Change" events, delivered by the stack's EventBridge rule to an SQS
 * queue (docs/sources.md#events). Delivery is at least once and unordered, so consumers must treat
 * events idempotently; SageMaker stays the source of truth.
 */

/** One state change of one training job. */
export interface JobStateEvent {
  readonly name: string;
  readonly status: TrainingJobStatus;
  readonly secondaryStatus?: string;
  readonly failureReason?: string;
}

/** Where job state events come from: the SQS queue, or a fake in tests. */
export interface JobEventSource {
  /** The next batch of events for jobs whose names start with the source's prefix; may be empty. */
  receive(signal?: AbortSignal): Promise<JobStateEvent[]>;
  /** SQS API calls so far, by operation. */
  readonly calls: Readonly<Record<string, number>>;
}

const StateChangeEvent = z.object({
  source: z.literal("aws.sagemaker"),
  "detail-type": z.literal("SageMaker Training Job State Change"),
  detail: z.object({
    TrainingJobName: z.string(),
    TrainingJobStatus: z.enum(["InProgress", "Completed", "Failed", "Stopping", "Stopped", "Deleting"]),
    SecondaryStatus: z.string().optional(),
    FailureReason: z.string().optional(),
  }),
});

/** Parses an SQS message body; undefined when it is not a training job state change. */
export function parseStateChange(body: string): JobStateEvent | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const parsed = StateChangeEvent.safeParse(json);
  if (!parsed.success) return undefined;
  const { detail } = parsed.data;
  return {
    name: detail.TrainingJobName,
    status: detail.TrainingJobStatus,
    ...(detail.SecondaryStatus !== undefined ? { secondaryStatus: detail.SecondaryStatus } : {}),
    ...(detail.FailureReason !== undefined ? { failureReason: detail.FailureReason } : {}),
  };
}

export interface SqsEventSourceOptions {
  readonly queueUrl: string;
  readonly region: string;
  /** Only events of jobs whose names start with this are taken (and deleted); others stay for their own launcher. */
  readonly namePrefix: string;
  /** Long-poll wait, 0-20 s (ReceiveMessage WaitTimeSeconds). 0 = return at once. */
  readonly waitSeconds: number;
  readonly endpoint?: string;
  readonly credentials?: SQSClientConfig["credentials"];
  readonly client?: SQSClient;
  readonly clock?: Clock;
  readonly random?: () => number;
}

/** Receives and deletes this campaign's job state events from the stack's events queue. */
export function createSqsEventSource(options: SqsEventSourceOptions): JobEventSource {
  const client =
    options.client ??
    new SQSClient({
      region: options.region,
      ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
      ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
      maxAttempts: 1,
    });
  const retrier = createRetrier({
    clock: options.clock ?? systemClock,
    policy: SQS_RETRY,
    ...(options.random ? { random: options.random } : {}),
  });
  const retrying = retrier.run;

  return {
    calls: retrier.calls,
    async receive(signal) {
      const output = await retrying(
        "ReceiveMessage",
        () =>
          client.send(
            new ReceiveMessageCommand({ QueueUrl: options.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: options.waitSeconds }),
            signal ? { abortSignal: signal } : {},
          ),
        signal,
      );
      const events: JobStateEvent[] = [];
      const done: { Id: string; ReceiptHandle: string }[] = [];
      for (const message of output.Messages ?? []) {
        const event = parseStateChange(message.Body ?? "");
        if (event === undefined || !event.name.startsWith(options.namePrefix)) continue;
        events.push(event);
        if (message.ReceiptHandle !== undefined) done.push({ Id: String(done.length), ReceiptHandle: message.ReceiptHandle });
      }
      if (done.length > 0) {
        // Deleting after parsing: a crash before this only means the event comes again (handled idempotently).
        // IAM: sqs:DeleteMessage covers DeleteMessageBatch (SQS Developer Guide, "Amazon SQS batch actions").
        await retrying("DeleteMessageBatch", () =>
          client.send(new DeleteMessageBatchCommand({ QueueUrl: options.queueUrl, Entries: done })),
        );
      }
      return events;
    },
  };
}
