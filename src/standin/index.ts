import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { seededUniform } from "../util/random.js";
import { emitEvents } from "./events.js";
import { createJobStore } from "./jobs.js";
import { loadApiModel } from "./model.js";
import { servesTelemetry, serviceOfTarget, telemetryRequest, throttlingError } from "./observability.js";
import { answerSageMaker, answerSqs, SAGEMAKER_OPERATIONS, SQS_OPERATIONS, type StandinState } from "./operations.js";
import { resolveOptions, type StandinOptions } from "./options.js";
import { AwsError, readJsonBody, type Service, sendError, sendJson } from "./protocol.js";
import { echoedMembers } from "./render.js";
import { changesAccount, type SavedCall } from "./saved-calls.js";
import { createQueue } from "./sqs.js";
import { jobStats, type StandinStats } from "./stats.js";
import { createTuningStore } from "./tuning.js";

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

/** Starts a stand-in on 127.0.0.1 at a free port. */
export async function startStandin(options: StandinOptions = {}): Promise<Standin> {
  const resolved = resolveOptions(options);
  const model = loadApiModel();
  const echoed = echoedMembers(model);
  const store = createJobStore(resolved);
  const tunings = createTuningStore(resolved, store);
  const throttleDraw = seededUniform(`throttle/${resolved.seed}`);
  const calls: Record<string, number> = {};
  const counters = { throttled: 0, inFlight: 0 };
  let closed = false;
  let onIdle: (() => void) | undefined;
  let state: StandinState | undefined;

  /** Counts the call and throttles it when the dice say so; then answers it. */
  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { service, operation, input } = await readRequest(request);
    calls[operation] = (calls[operation] ?? 0) + 1;
    if (throttleDraw() < resolved.throttleRate(operation, service === "SageMaker")) {
      counters.throttled += 1;
      throw throttlingError(service);
    }
    const current = state as StandinState;
    const now = resolved.now();
    // Tuning jobs launch their training jobs as the clock moves: before anything reads the jobs.
    tunings.advance(now);
    current.sync(now);
    const answer = servesTelemetry(service, operation)
      ? telemetryRequest(store, service, operation, input, now, resolved.metricDelaySeconds)
      : service === "SageMaker"
        ? answerSageMaker(current, operation, input, now)
        : await answerSqs(current, operation, input, response);
    // Recorded once answered: a call that failed changed nothing.
    if (service === "SageMaker" && changesAccount(operation)) options.recorder?.record({ kind: "call", at: now, operation, input });
    sendJson(response, service, answer);
  }

  const server = await serve(handle, counters, () => onIdle?.());
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const queue = resolved.events
    ? createQueue(resolved.events.queueName, `${endpoint}/${resolved.accountId}/${resolved.events.queueName}`, resolved.seed)
    : undefined;
  const wakeLongPolls = new Set<() => void>();
  state = {
    resolved,
    model,
    echoed,
    store,
    tunings,
    queue,
    wakeLongPolls,
    isClosed: () => closed,
    sync(now) {
      if (queue !== undefined && resolved.events !== undefined)
        emitEvents(resolved, store, echoed, queue, resolved.events.duplicateRate, now);
    },
  };

  replaySaved(state, options.recorder?.saved ?? []);
  return {
    endpoint,
    ...(queue !== undefined ? { queueUrl: queue.url } : {}),
    stats(): StandinStats {
      const { jobs, maxInProgress } = jobStats(store, resolved.now());
      return { calls: { ...calls }, throttled: counters.throttled, maxInProgress, createsByName: { ...store.createsByName }, jobs };
    },
    async close(): Promise<void> {
      closed = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      // Pending long polls answer (empty) at once; then no connection has anything left to say.
      for (const wake of [...wakeLongPolls]) wake();
      if (counters.inFlight > 0) await new Promise<void>((resolve) => (onIdle = resolve));
      server.closeAllConnections();
      await stopped;
    },
  };
}

/** Rebuilds the account from saved calls, each at its own clock time (saved-calls.ts). */
function replaySaved(state: StandinState, saved: readonly SavedCall[]): void {
  for (const call of saved) {
    if (call.kind !== "call") continue;
    state.tunings.advance(call.at);
    try {
      answerSageMaker(state, call.operation, call.input, call.at);
    } catch (error) {
      // It was answered once, so it succeeds again on the same account; anything else is a bug to show.
      if (!(error instanceof AwsError)) throw error;
    }
  }
}

/** An HTTP server on a free port of 127.0.0.1 answering with `handle`; failures become AWS-shaped errors. */
async function serve(
  handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
  counters: { inFlight: number },
  idle: () => void,
): Promise<Server> {
  const server = createServer((request, response) => {
    counters.inFlight += 1;
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
        counters.inFlight -= 1;
        if (counters.inFlight === 0) idle();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return server;
}

function serviceOf(request: IncomingMessage): Service {
  return serviceOfTarget(String(request.headers["x-amz-target"] ?? "").split(".", 1)[0] ?? "");
}

/** The service, operation and JSON input of a request; an operation the stand-in does not implement is refused. */
async function readRequest(request: IncomingMessage): Promise<{ service: Service; operation: string; input: Record<string, unknown> }> {
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
  return { service, operation, input };
}
