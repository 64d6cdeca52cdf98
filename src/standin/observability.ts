import { getMetricData } from "./cloudwatch.js";
import type { JobStore } from "./jobs.js";
import { describeLogStreams, filterLogEvents, getLogEvents } from "./logs.js";
import { inputShapeOf, loadApiModel } from "./model.js";
import { AwsError, type Service } from "./protocol.js";
import { typeMismatchMessage, validateShape, validationMessage } from "./validate.js";

/**
 * The stand-in's CloudWatch (GetMetricData) and CloudWatch Logs (DescribeLogStreams, GetLogEvents,
 * FilterLogEvents) over its training jobs: which X-Amz-Target prefixes they answer, their
 * operations, requests checked against their API models, and their error shapes.
 */

const OPERATIONS: Readonly<Record<"CloudWatch" | "Logs", readonly string[]>> = {
  CloudWatch: ["GetMetricData"],
  Logs: ["DescribeLogStreams", "GetLogEvents", "FilterLogEvents"],
};

/** The service an X-Amz-Target prefix names (GraniteServiceVersion20100801 is CloudWatch's, Logs_20140328 Logs'). */
export function serviceOfTarget(prefix: string): Service {
  if (prefix === "AmazonSQS") return "SQS";
  if (prefix === "GraniteServiceVersion20100801") return "CloudWatch";
  if (prefix === "Logs_20140328") return "Logs";
  return "SageMaker";
}

/** True when `service` is CloudWatch or Logs and serves `operation`. */
export function servesTelemetry(service: Service, operation: string): service is "CloudWatch" | "Logs" {
  return (service === "CloudWatch" || service === "Logs") && OPERATIONS[service].includes(operation);
}

/** The throttling error each service answers with (CloudWatch's query code is Throttling). */
export function throttlingError(service: Service): AwsError {
  if (service === "SQS") return new AwsError("RequestThrottled", "Rate exceeded", 403, "RequestThrottled;Sender");
  if (service === "CloudWatch") return new AwsError("Throttling", "Rate exceeded", 400, "Throttling;Sender");
  return new AwsError("ThrottlingException", "Rate exceeded");
}

function validate(service: "CloudWatch" | "Logs", operation: string, input: Record<string, unknown>): void {
  const model = loadApiModel(service);
  const shape = inputShapeOf(model, operation);
  if (shape === undefined) return;
  const result = validateShape(model, shape, input);
  if (result.typeMismatches.length > 0) throw new AwsError("SerializationException", typeMismatchMessage(result.typeMismatches));
  if (result.violations.length === 0) return;
  const message = validationMessage(result.violations);
  throw service === "CloudWatch"
    ? new AwsError("ValidationError", message, 400, "ValidationError;Sender")
    : new AwsError("InvalidParameterException", message);
}

/** Answers one CloudWatch or Logs request at `now`. */
export function telemetryRequest(
  store: JobStore,
  service: "CloudWatch" | "Logs",
  operation: string,
  input: Record<string, unknown>,
  now: number,
  metricDelaySeconds: number,
): unknown {
  validate(service, operation, input);
  if (operation === "GetMetricData") return getMetricData(store, input, now, metricDelaySeconds);
  if (operation === "DescribeLogStreams") return describeLogStreams(store, input, now);
  if (operation === "GetLogEvents") return getLogEvents(store, input, now);
  return filterLogEvents(store, input, now);
}
