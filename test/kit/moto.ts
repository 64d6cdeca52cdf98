import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";

/**
 * moto's server (`moto_server`, Python moto 5.2.1 on every machine, CI's included): a real
 * third-party implementation of S3, STS, SQS, CloudWatch, CloudWatch Logs, Step Functions and a
 * basic SageMaker, on 127.0.0.1 only. One process serves every service; clients reach it through
 * `endpoint` with any credentials. Tests start one per file and close it in afterAll, and give each
 * case its own bucket or resource names: moto 5.2.1 answers the S3 SDK with HTTP 500 after
 * /moto-api/reset, so nothing here resets.
 */
export interface Moto {
  /** http://127.0.0.1:<port> */
  readonly endpoint: string;
  readonly port: number;
  /** Sets moto's runtime config, e.g. {stepfunctions: {execute_state_machine: true}} (POST /moto-api/config). */
  configure(config: Readonly<Record<string, unknown>>): Promise<void>;
  close(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (the server passes it to moto as both -p and MOTO_PORT). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function waitForStart(child: ChildProcess, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => fail(new Error(`moto_server did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes(`127.0.0.1:${port}`)) done();
    };
    const onExit = (code: number | null): void => fail(new Error(`moto_server exited (${code}) before it started:\n${output}`));
    const cleanup = (): void => {
      clearTimeout(timer);
      child.stderr?.off("data", onData);
      child.stdout?.off("data", onData);
      child.off("exit", onExit);
    };
    const done = (): void => {
      cleanup();
      resolve();
    };
    const fail = (error: Error): void => {
      cleanup();
      reject(error);
    };
    child.stderr?.on("data", onData);
    child.stdout?.on("data", onData);
    child.once("exit", onExit);
    child.once("error", (error) =>
      fail(new Error(`moto_server could not be started (is Python moto installed? .ci/run installs it): ${error.message}`)),
    );
  });
}

/** Starts moto_server on a free port of 127.0.0.1 and waits until it listens. */
export async function startMoto(
  options: {
    readonly timeoutMs?: number;
    /** Where moto's Step Functions engine sends its tasks' calls (default: moto itself); a recording proxy in tests. */
    readonly tasksPort?: number;
  } = {},
): Promise<Moto> {
  const port = await freePort();
  // MOTO_PORT: moto's Step Functions engine forwards request-response tasks to its own services on this port.
  const env: NodeJS.ProcessEnv = { ...process.env, MOTO_PORT: String(options.tasksPort ?? port) };
  // The tests set AWS_PROFILE to "": moto's Step Functions then fails every CreateStateMachine (HTTP 500),
  // and so do its error answers (NoSuchBucket, NoSuchResource...), since the boto3 session it opens
  // looks for a profile named "".
  if (env.AWS_PROFILE === "") delete env.AWS_PROFILE;
  const child = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  await waitForStart(child, port, options.timeoutMs ?? 20_000);
  const endpoint = `http://127.0.0.1:${port}`;
  const post = async (path: string, body?: unknown): Promise<void> => {
    const response = await fetch(`${endpoint}${path}`, { method: "POST", ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    if (!response.ok) throw new Error(`moto ${path}: HTTP ${response.status} ${await response.text()}`);
  };
  return {
    endpoint,
    port,
    configure: (config) => post("/moto-api/config", config),
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
