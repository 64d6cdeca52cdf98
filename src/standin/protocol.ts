import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * The wire: AWS JSON RPC. SageMaker and CloudWatch Logs speak awsJson1_1, SQS and CloudWatch
 * awsJson1_0 (what @aws-sdk/client-sagemaker and client-sqs 3.1142.0, client-cloudwatch 3.1164.0
 * and client-cloudwatch-logs 3.1169.0 send: POST / with `X-Amz-Target: SageMaker.<Op>`,
 * `AmazonSQS.<Op>`, `GraniteServiceVersion20100801.<Op>` or `Logs_20140328.<Op>`). Errors are HTTP
 * 4xx/5xx with `{"__type", "message"}`; the SDK (@smithy/core loadJsonRpcErrorCode) takes the code
 * from `__type`, after any `#`, and its standard retry strategy treats the names
 * ThrottlingException, Throttling and SQS's RequestThrottled as throttles. SQS and CloudWatch are
 * "awsQueryCompatible": their errors also carry `x-amzn-query-error: <code>;<fault>`.
 */

/** An error answered to the client. */
export class AwsError extends Error {
  constructor(
    /** The error name, e.g. ValidationException (SDK: error.name). */
    readonly code: string,
    message: string,
    readonly status = 400,
    /** SQS only: the `x-amzn-query-error` header value, e.g. "AWS.SimpleQueueService.NonExistentQueue;Sender". */
    readonly queryError?: string,
  ) {
    super(message);
    this.name = "AwsError";
  }
}

/** Which service (and so which JSON dialect) a request came in. */
export type Service = "SageMaker" | "SQS" | "CloudWatch" | "Logs";

/** Reads the body (up to 16 MiB) and parses it as a JSON object. */
export async function readJsonBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > 16 * 1024 * 1024) throw new AwsError("SerializationException", "Request body is larger than 16 MiB");
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AwsError("SerializationException", "Request body is not valid JSON");
  }
  if (!isJsonObject(parsed)) throw new AwsError("SerializationException", "Request body must be a JSON object");
  return parsed;
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function contentType(service: Service): string {
  return service === "SageMaker" || service === "Logs" ? "application/x-amz-json-1.1" : "application/x-amz-json-1.0";
}

/** Smithy namespaces of the query-compatible services' error shapes. */
const ERROR_NAMESPACE: Partial<Record<Service, string>> = { SQS: "com.amazonaws.sqs", CloudWatch: "com.amazonaws.cloudwatch" };

/** Sends a 200 with a JSON body. */
export function sendJson(response: ServerResponse, service: Service, body: unknown): void {
  const text = JSON.stringify(body ?? {});
  response.writeHead(200, {
    "content-type": contentType(service),
    "content-length": Buffer.byteLength(text),
    "x-amzn-requestid": randomUUID(),
  });
  response.end(text);
}

/** Sends an error as the service would. */
export function sendError(response: ServerResponse, service: Service, error: AwsError): void {
  // SQS and CloudWatch name their errors with the Smithy namespace; SageMaker and Logs send the bare name.
  const namespace = ERROR_NAMESPACE[service];
  const type = namespace !== undefined ? `${namespace}#${error.code}` : error.code;
  const text = JSON.stringify({ __type: type, message: error.message });
  response.writeHead(error.status, {
    "content-type": contentType(service),
    "content-length": Buffer.byteLength(text),
    "x-amzn-requestid": randomUUID(),
    ...(error.queryError !== undefined ? { "x-amzn-query-error": error.queryError } : {}),
  });
  response.end(text);
}

/** Epoch milliseconds as awsJson sends timestamps: epoch seconds, fractional. */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}

/** A wire timestamp (epoch seconds, or an ISO string) as epoch milliseconds. */
export function timestampMs(value: unknown): number | undefined {
  if (typeof value === "number") return value * 1000;
  if (typeof value === "string") {
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  return undefined;
}
