import { createConnection, createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { adviseOn } from "../../src/backend/advice.js";
import { systemClock } from "../../src/backend/clock.js";
import { createSageMakerBackend } from "../../src/backend/sagemaker.js";
import { UserError } from "../../src/errors.js";
import { type Standin, startStandin } from "../../src/standin/index.js";

/**
 * The network failing under the real AWS SDK: the stand-in behind a TCP relay that is stopped
 * (connections refused, as when the endpoint or the network is down) and started again on the
 * same port; a name that does not resolve. Real time, backoff scaled down to tens of ms.
 */
let standin: Standin | undefined;
let relay: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (relay?.listening ? relay.close(resolve) : resolve(undefined)));
  await standin?.close();
});

function startRelay(target: URL, port = 0): Promise<Server> {
  const server = createServer((socket) => {
    const upstream = createConnection(Number(target.port), target.hostname);
    socket.pipe(upstream).pipe(socket);
    socket.on("error", () => upstream.destroy());
    upstream.on("error", () => socket.destroy());
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

function backendAt(endpoint: string) {
  return createSageMakerBackend({
    region: "us-east-1",
    endpoint,
    credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test" },
    clock: systemClock,
    backoff: { baseMs: 100, capMs: 400 },
    maxAttempts: 8,
  });
}

describe("SageMaker unreachable", () => {
  it("retries through an outage: the endpoint stopped and started again answers the same call", async () => {
    standin = await startStandin();
    relay = await startRelay(new URL(standin.endpoint));
    const port = (relay.address() as { port: number }).port;
    const backend = backendAt(`http://127.0.0.1:${port}`);
    const retries: string[] = [];
    backend.onRetry(({ code }) => retries.push(code));
    await new Promise((resolve) => relay?.close(resolve));
    setTimeout(() => void startRelay(new URL(standin?.endpoint ?? ""), port).then((server) => (relay = server)), 600);
    await expect(backend.listJobs("seg-", {})).resolves.toEqual([]);
    expect(retries.length).toBeGreaterThan(0);
  });

  it("says the endpoint could not be reached, and that created jobs keep running, when the outage outlasts the retries", async () => {
    standin = await startStandin();
    relay = await startRelay(new URL(standin.endpoint));
    const port = (relay.address() as { port: number }).port;
    await new Promise((resolve) => relay?.close(resolve));
    const error = await backendAt(`http://127.0.0.1:${port}`)
      .listJobs("seg-", {})
      .catch((caught: unknown) => caught);
    const advice = adviseOn(error, { what: "read the campaign's jobs" });
    expect(advice).toBeInstanceOf(UserError);
    const message = (advice as UserError).message;
    expect(message).toMatch(/^Could not read the campaign's jobs: SageMaker could not be reached \(ECONNREFUSED/);
    expect(message).toContain("keep running on SageMaker; run the same command again");
    expect(message).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("says the address could not be looked up when DNS fails", async () => {
    const backend = createSageMakerBackend({
      region: "us-east-1",
      endpoint: "http://sagemaker.segsweep-test.invalid",
      credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test" },
      clock: systemClock,
      backoff: { baseMs: 10, capMs: 20 },
      maxAttempts: 2,
    });
    const error = await backend.listJobs("seg-", {}).catch((caught: unknown) => caught);
    const message = (adviseOn(error, { what: "read the campaign's jobs" }) as UserError).message;
    expect(message).toMatch(/SageMaker's address could not be looked up \((ENOTFOUND|EAI_AGAIN)/);
    expect(message).toContain("No network or no DNS");
  });
});
