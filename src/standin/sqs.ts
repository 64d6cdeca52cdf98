import { createHash } from "node:crypto";
import { hashUuid } from "../util/random.js";
import { AwsError } from "./protocol.js";

/**
 * One standard SQS queue, enough for the launcher's event consumer: GetQueueUrl, ReceiveMessage
 * (MaxNumberOfMessages 1..10, WaitTimeSeconds 0..20 long polling against the clock,
 * VisibilityTimeout 0..43200 with the queue default of 30 s, so a message received and not deleted
 * comes back), DeleteMessage and DeleteMessageBatch (1..10 entries, distinct ids). Limits and
 * error names are those of the SQS API and @aws-sdk/client-sqs 3.1142.0's model.
 */

interface QueuedMessage {
  readonly id: string;
  readonly body: string;
  readonly md5: string;
  readonly sentAt: number;
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
}

/** The queue's default visibility timeout (SQS default, 30 s). */
const DEFAULT_VISIBILITY_SECONDS = 30;

const invalid = (message: string): AwsError => new AwsError("InvalidParameterValue", message, 400, "InvalidParameterValue;Sender");

function integerParam(input: Record<string, unknown>, name: string, low: number, high: number, fallback: number): number {
  const value = input[name];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < low || value > high) {
    throw invalid(`Value ${String(value)} for parameter ${name} is invalid. Reason: Must be between ${low} and ${high}, if provided.`);
  }
  return value;
}

/** Creates the queue named `name`, reachable at `url`. */
export function createQueue(name: string, url: string, seed: number): Queue {
  return new Queue(name, url, seed);
}

/** One stand-in queue. */
export class Queue {
  readonly #messages = new Map<string, QueuedMessage>();
  /** Receipt handle -> message id, for every handle ever given out. */
  readonly #handles = new Map<string, string>();
  readonly #seed: number;
  #sent = 0;
  #received = 0;

  constructor(
    readonly name: string,
    readonly url: string,
    seed: number,
  ) {
    this.#seed = seed;
  }

  #checkUrl(input: Record<string, unknown>): void {
    if (input.QueueUrl !== this.url) {
      throw new AwsError("QueueDoesNotExist", "The specified queue does not exist.", 400, "AWS.SimpleQueueService.NonExistentQueue;Sender");
    }
  }

  #deleteByHandle(handle: unknown): void {
    const id = typeof handle === "string" ? this.#handles.get(handle) : undefined;
    if (id === undefined) {
      throw new AwsError(
        "ReceiptHandleIsInvalid",
        `The input receipt handle "${String(handle)}" is not a valid receipt handle.`,
        404,
        "ReceiptHandleIsInvalid;Sender",
      );
    }
    // Deleting a message that is already gone succeeds, as in SQS.
    this.#messages.delete(id);
  }

  /** Adds a message that becomes visible at `atMs` (clock ms). */
  send(body: string, atMs: number): void {
    this.#sent += 1;
    const id = hashUuid(this.#seed, this.name, "message", this.#sent);
    this.#messages.set(id, {
      id,
      body,
      md5: createHash("md5").update(body, "utf8").digest("hex"),
      sentAt: atMs,
      visibleAt: atMs,
      receiveCount: 0,
    });
  }

  /** Messages not yet deleted (visible or not). */
  get depth(): number {
    return this.#messages.size;
  }

  /** GetQueueUrl. */
  getQueueUrl(input: Record<string, unknown>): Record<string, unknown> {
    if (input.QueueName !== this.name) {
      throw new AwsError("QueueDoesNotExist", "The specified queue does not exist.", 400, "AWS.SimpleQueueService.NonExistentQueue;Sender");
    }
    return { QueueUrl: this.url };
  }

  /** Checks a ReceiveMessage request; returns its wait in milliseconds. */
  receiveWaitMs(input: Record<string, unknown>): number {
    this.#checkUrl(input);
    integerParam(input, "MaxNumberOfMessages", 1, 10, 1);
    integerParam(input, "VisibilityTimeout", 0, 43_200, DEFAULT_VISIBILITY_SECONDS);
    return integerParam(input, "WaitTimeSeconds", 0, 20, 0) * 1000;
  }

  /** The visible messages at `now` (up to MaxNumberOfMessages), hidden for the visibility timeout. */
  receive(input: Record<string, unknown>, now: number): Record<string, unknown>[] {
    const max = integerParam(input, "MaxNumberOfMessages", 1, 10, 1);
    const visibilityMs = integerParam(input, "VisibilityTimeout", 0, 43_200, DEFAULT_VISIBILITY_SECONDS) * 1000;
    const names = [input.MessageSystemAttributeNames, input.AttributeNames].flatMap((list) => (Array.isArray(list) ? list : []));
    const wants = (attribute: string): boolean => names.includes("All") || names.includes(attribute);
    const out: Record<string, unknown>[] = [];
    for (const message of this.#messages.values()) {
      if (out.length >= max) break;
      if (message.visibleAt > now) continue;
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      message.visibleAt = now + visibilityMs;
      this.#received += 1;
      const handle = Buffer.from(`${message.id}:${this.#received}`).toString("base64url");
      this.#handles.set(handle, message.id);
      const attributes: Record<string, string> = {};
      if (wants("SentTimestamp")) attributes.SentTimestamp = String(Math.round(message.sentAt));
      if (wants("ApproximateReceiveCount")) attributes.ApproximateReceiveCount = String(message.receiveCount);
      if (wants("ApproximateFirstReceiveTimestamp"))
        attributes.ApproximateFirstReceiveTimestamp = String(Math.round(message.firstReceivedAt));
      out.push({
        MessageId: message.id,
        ReceiptHandle: handle,
        MD5OfBody: message.md5,
        Body: message.body,
        ...(Object.keys(attributes).length > 0 ? { Attributes: attributes } : {}),
      });
    }
    return out;
  }

  /** DeleteMessage. */
  deleteMessage(input: Record<string, unknown>): Record<string, unknown> {
    this.#checkUrl(input);
    this.#deleteByHandle(input.ReceiptHandle);
    return {};
  }

  /** DeleteMessageBatch: per-entry results; batch-level errors for empty, oversized or ambiguous batches. */
  deleteMessageBatch(input: Record<string, unknown>): Record<string, unknown> {
    this.#checkUrl(input);
    const entries = Array.isArray(input.Entries) ? input.Entries : [];
    const ids = checkBatch(entries);
    const successful: { Id: string }[] = [];
    const failed: { Id: string; SenderFault: boolean; Code: string; Message: string }[] = [];
    entries.forEach((entry: unknown, index) => {
      const id = ids[index] ?? "";
      const handle = typeof entry === "object" && entry !== null && "ReceiptHandle" in entry ? entry.ReceiptHandle : undefined;
      try {
        this.#deleteByHandle(handle);
        successful.push({ Id: id });
      } catch (error) {
        failed.push({
          Id: id,
          SenderFault: true,
          Code: "ReceiptHandleIsInvalid",
          Message: error instanceof Error ? error.message : String(error),
        });
      }
    });
    return { Successful: successful, Failed: failed };
  }
}

/** A batch's entry ids, once the batch itself is valid: 1..10 entries, distinct ids. */
function checkBatch(entries: readonly unknown[]): string[] {
  if (entries.length === 0)
    throw new AwsError(
      "EmptyBatchRequest",
      "There should be at least one DeleteMessageBatchRequestEntry in the request.",
      400,
      "AWS.SimpleQueueService.EmptyBatchRequest;Sender",
    );
  if (entries.length > 10) {
    throw new AwsError(
      "TooManyEntriesInBatchRequest",
      `Maximum number of entries per request are 10. You have sent ${entries.length}.`,
      400,
      "AWS.SimpleQueueService.TooManyEntriesInBatchRequest;Sender",
    );
  }
  const ids = entries.map((entry: unknown) => (typeof entry === "object" && entry !== null && "Id" in entry ? String(entry.Id) : ""));
  if (new Set(ids).size !== ids.length) {
    throw new AwsError(
      "BatchEntryIdsNotDistinct",
      "Two or more batch entries in the request have the same Id.",
      400,
      "AWS.SimpleQueueService.BatchEntryIdsNotDistinct;Sender",
    );
  }
  return ids;
}
