import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { seededUniform } from "../util/random.js";
import { emitEvents } from "./events.js";
import { createJobStore } from "./jobs.js";
import { listTrainingJobs } from "./listing.js";
import { inputShapeOf, loadApiModel } from "./model.js";
import { servesTelemetry, serviceOfTarget, telemetryRequest, throttlingError } from "./observability.js";
import { resolveOptions, type StandinOptions } from "./options.js";
import { AwsError, readJsonBody, type Service, sendError, sendJson } from "./protocol.js";
import { describeJob, echoedMembers, tagList } from "./render.js";
import { searchTrainingJobs } from "./search.js";
import { createQueue } from "./sqs.js";
import { jobStats, type StandinStats } from "./stats.js";
import { createTuningStore } from "./tuning.js";
import { TUNING_OPERATIONS, tuningOperation } from "./tuning-operations.js";
import { typeMismatchMessage, validateShape, validationMessage } from "./validate.js";

/**
 * A local stand-in for Amazon SageMaker's training-job API (and the SQS queue its state-change
 * events reach), on 127.0.0.1, spoken to by the real AWS SDK v3 clients: point them at
 * `endpoint` with any credentials. Used by the tests, the benchmark and `segsweep launch
 * --simulate`, so it is compiled into dist/ and imports nothing dev-only. See docs/standin.md.
 */

export { CURVE_MODEL, type CurvePoint, type LearningCurve, learningCurve, simulatedTrainingSeconds } from "./curves.js";
export type { FailureKind, Outcome } from "./lifecycle.js";
export { FAILURE_REASONS } from "./lifecycle.js";
export { type SimulatedMetrics, simulatedMetrics } from "./metrics.js";
export type { StandinOptions } from "./options.js";
export type { StandinJobStats, StandinStats } from "./stats.js";

/** A running stand-in. */
export interface Standin {
  /** http://127.0.0.1:<port>: the SageMaker (and SQS) endpoint. */
  readonly endpoint: string;
  /** The events queue's URL, when events are on. */
  readonly queueUrl?: string;
  stats(): StandinStats;
  /** Stops listening, answers pending long polls with no messages and drops connections. */
  close(): Promise<void>;
}

const SAGEMAKER_OPERATIONS = [
  "CreateTrainingJob",
  "DescribeTrainingJob",
  "ListTrainingJobs",
  "StopTrainingJob",
  "AddTags",
  "ListTags",
  "Search",
  ...TUNING_OPERATIONS,
];
const SQS_OPERATIONS = ["GetQueueUrl", "ReceiveMessage", "DeleteMessage", "DeleteMessageBatch"];
/** How often a pending long poll looks at the clock and the queue again (real milliseconds). */
const LONG_POLL_CHECK_MS = 5;

/** Starts a stand-in on 127.0.0.1 at a free port. */
export async function startStandin(options: StandinOptions = {}): Promise<Standin> {
  const resolved = resolveOptions(options);
  const model = loadApiModel();
  const echoed = echoedMembers(model);
  const store = createJobStore(resolved);
  const tunings = createTuningStore(resolved, store);
  const throttleDraw = seededUniform(`throttle/${resolved.seed}`);
  const calls: Record<string, number> = {};
  let throttled = 0;
  let closed = false;
  const wakeLongPolls = new Set<() => void>();
  let inFlight = 0;
  let onIdle: (() => void) | undefined;

  const server = createServer((request, response) => {
    inFlight += 1;
    handle(request, response)
      .catch((error: unknown) => {
        if (response.headersSent) return;
        const failure =
          error instanceof AwsError
            ? error
            : new AwsError("InternalFailure", `stand-in error: ${error instanceof Error ? error.message : String(error)}`, 500);
        sendError(response, serviceOf(request), failure);
      })
      .finally(() => {
        inFlight -= 1;
        if (inFlight === 0) onIdle?.();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const queue = resolved.events
    ? createQueue(resolved.events.queueName, `${endpoint}/${resolved.accountId}/${resolved.events.queueName}`, resolved.seed)
    : undefined;

  /** Brings every job up to the clock: emits the events of the changes that happened since the last request. */
  function sync(now: number): void {
    if (queue !== undefined && resolved.events !== undefined)
      emitEvents(resolved, store, echoed, queue, resolved.events.duplicateRate, now);
  }

  function serviceOf(request: IncomingMessage): Service {
    return serviceOfTarget(String(request.headers["x-amz-target"] ?? "").split(".", 1)[0] ?? "");
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const target = String(request.headers["x-amz-target"] ?? "");
    const [prefix, operation = ""] = target.split(".", 2);
    const service = serviceOfTarget(prefix ?? "");
    const known =
      prefix === "SageMaker"
        ? SAGEMAKER_OPERATIONS.includes(operation)
        : (prefix === "AmazonSQS" && SQS_OPERATIONS.includes(operation)) || servesTelemetry(service, operation);
    const input = await readJsonBody(request);
    if (request.method !== "POST" || !known) {
      throw new AwsError("UnknownOperationException", `The stand-in does not implement ${target || "(no X-Amz-Target)"}.`);
    }
    calls[operation] = (calls[operation] ?? 0) + 1;
    if (throttleDraw() < resolved.throttleRate(operation, service === "SageMaker")) {
      throttled += 1;
      throw throttlingError(service);
    }
    const now = resolved.now();
    // Tuning jobs launch their training jobs as the clock moves: before anything reads the jobs.
    tunings.advance(now);
    sync(now);
    if (servesTelemetry(service, operation)) {
      sendJson(response, service, telemetryRequest(store, service, operation, input, now, resolved.metricDelaySeconds));
      return;
    }
    if (service === "SageMaker") {
      sendJson(response, service, sageMaker(operation, input, now));
      return;
    }
    if (queue === undefined)
      throw new AwsError("QueueDoesNotExist", "The specified queue does not exist.", 400, "AWS.SimpleQueueService.NonExistentQueue;Sender");
    if (operation === "ReceiveMessage") {
      const messages = await longPoll(response, input);
      // SQS leaves Messages out when there are none.
      sendJson(response, service, messages.length > 0 ? { Messages: messages } : {});
      return;
    }
    const answer =
      operation === "GetQueueUrl"
        ? queue.getQueueUrl(input)
        : operation === "DeleteMessage"
          ? queue.deleteMessage(input)
          : queue.deleteMessageBatch(input);
    sendJson(response, service, answer);
  }

  function sageMaker(operation: string, input: Record<string, unknown>, now: number): unknown {
    const shape = inputShapeOf(model, operation);
    if (shape !== undefined) {
      const result = validateShape(model, shape, input);
      if (result.typeMismatches.length > 0) throw new AwsError("SerializationException", typeMismatchMessage(result.typeMismatches));
      if (result.violations.length > 0) throw new AwsError("ValidationException", validationMessage(result.violations));
    }
    const name = typeof input.TrainingJobName === "string" ? input.TrainingJobName : "";
    if (TUNING_OPERATIONS.includes(operation)) {
      const answer = tuningOperation({ store, tunings, echoed, timeScale: resolved.timeScale }, operation, input, now);
      sync(now);
      return answer;
    }
    switch (operation) {
      case "CreateTrainingJob": {
        const job = store.create(input, now);
        sync(now);
        return { TrainingJobArn: job.arn };
      }
      case "DescribeTrainingJob":
        return describeJob(store, echoed, store.lookup(name), now);
      case "ListTrainingJobs":
        return listTrainingJobs(store, input, now);
      case "StopTrainingJob":
        store.stop(name, now);
        sync(now);
        return {};
      case "AddTags": {
        const job = store.byArn(String(input.ResourceArn));
        for (const tag of Array.isArray(input.Tags) ? input.Tags : []) {
          if (typeof tag === "object" && tag !== null && "Key" in tag && "Value" in tag) job.tags.set(String(tag.Key), String(tag.Value));
        }
        return { Tags: tagList(job) };
      }
      case "ListTags": {
        const tags = tagList(store.byArn(String(input.ResourceArn)));
        const offset = typeof input.NextToken === "string" ? Number.parseInt(input.NextToken, 10) || 0 : 0;
        const max = typeof input.MaxResults === "number" ? input.MaxResults : 50;
        return { Tags: tags.slice(offset, offset + max), ...(offset + max < tags.length ? { NextToken: String(offset + max) } : {}) };
      }
      default:
        return searchTrainingJobs(store, echoed, input, now);
    }
  }

  /** ReceiveMessage: at once when messages are visible, else when some become so or the wait runs out on the clock. */
  async function longPoll(response: ServerResponse, input: Record<string, unknown>): Promise<Record<string, unknown>[]> {
    if (queue === undefined) return [];
    const deadline = resolved.now() + queue.receiveWaitMs(input);
    let gone = false;
    // The client gave up (aborted the call): stop polling for it.
    response.once("close", () => {
      gone = true;
    });
    for (;;) {
      const now = resolved.now();
      sync(now);
      const messages = queue.receive(input, now);
      if (messages.length > 0 || now >= deadline || closed || gone) return messages;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, LONG_POLL_CHECK_MS);
        function done(): void {
          clearTimeout(timer);
          wakeLongPolls.delete(done);
          resolve();
        }
        wakeLongPolls.add(done);
      });
    }
  }

  return {
    endpoint,
    ...(queue !== undefined ? { queueUrl: queue.url } : {}),
    stats(): StandinStats {
      const now = resolved.now();
      const { jobs, maxInProgress } = jobStats(store, now);
      return { calls: { ...calls }, throttled, maxInProgress, createsByName: { ...store.createsByName }, jobs };
    },
    async close(): Promise<void> {
      closed = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      // Pending long polls answer (empty) at once; then no connection has anything left to say.
      for (const wake of [...wakeLongPolls]) wake();
      if (inFlight > 0) await new Promise<void>((resolve) => (onIdle = resolve));
      server.closeAllConnections();
      await stopped;
    },
  };
}
