import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A scripted HTTP server speaking SageMaker's JSON protocol (X-Amz-Target: SageMaker.<Operation>),
 * on 127.0.0.1, so backend tests exercise the real SDK: serialisation, error parsing, headers.
 */
export interface ScriptedResponse {
  readonly status: number;
  readonly body: unknown;
  /** For errors: the error name, sent as x-amzn-ErrorType and __type. */
  readonly errorType?: string;
}

export interface RecordedRequest {
  readonly operation: string;
  readonly body: Record<string, unknown>;
}

export interface JsonServer {
  readonly endpoint: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

/** An error response from a fixture entry. */
export function errorResponse(fixture: { status: number; type: string; message: string }): ScriptedResponse {
  return { status: fixture.status, errorType: fixture.type, body: { __type: fixture.type, message: fixture.message } };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (text += chunk));
    request.on("end", () => resolve(text));
    request.on("error", reject);
  });
}

/** Starts a server answering each request with `respond(operation, body, index)`. */
export async function startJsonServer(
  respond: (operation: string, body: Record<string, unknown>, index: number) => ScriptedResponse,
): Promise<JsonServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((request, response) => {
    void readBody(request).then((text) => {
      const operation = String(request.headers["x-amz-target"] ?? "").replace(/^SageMaker\./, "");
      const body = (text === "" ? {} : JSON.parse(text)) as Record<string, unknown>;
      requests.push({ operation, body });
      const answer = respond(operation, body, requests.length - 1);
      response.writeHead(answer.status, {
        "content-type": "application/x-amz-json-1.1",
        ...(answer.errorType !== undefined ? { "x-amzn-errortype": answer.errorType } : {}),
      });
      response.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
