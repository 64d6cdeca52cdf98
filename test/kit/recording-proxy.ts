import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * An HTTP proxy on 127.0.0.1 that records every request and forwards it unchanged to a port set
 * later. Tests put it between moto's Step Functions engine and moto's other services (startMoto's
 * `tasksPort`), so they see the exact calls a state machine's tasks make, e.g. each
 * CreateTrainingJob body a child sends.
 */
export interface RecordingProxy {
  readonly port: number;
  /** Every request so far: its X-Amz-Target (e.g. "SageMaker.CreateTrainingJob"), path and body. */
  readonly requests: readonly { readonly target: string; readonly path: string; readonly body: string }[];
  /** Where to forward (moto's port, once it runs). */
  forwardTo(port: number): void;
  close(): Promise<void>;
}

/** Starts the proxy on a free port. */
export async function startRecordingProxy(): Promise<RecordingProxy> {
  const requests: { target: string; path: string; body: string }[] = [];
  let targetPort = 0;
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const body = Buffer.concat(chunks);
      const target = incoming.headers["x-amz-target"];
      requests.push({ target: typeof target === "string" ? target : "", path: incoming.url ?? "", body: body.toString("utf8") });
      const forwarded = request(
        { host: "127.0.0.1", port: targetPort, method: incoming.method, path: incoming.url, headers: incoming.headers },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forwarded.on("error", (error) => {
        outgoing.writeHead(502);
        outgoing.end(String(error));
      });
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    forwardTo: (port) => void (targetPort = port),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Clients keep connections alive; close would wait for them.
        server.closeAllConnections();
      }),
  };
}
