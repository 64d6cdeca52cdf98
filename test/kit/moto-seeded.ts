import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

/**
 * moto's server with many S3 objects put into it before it serves (test/kit/moto_seeded.py):
 * 100,000 objects in seconds where PutObject would take minutes. Same protocol, pages and
 * continuation tokens as moto_server (test/kit/moto.ts); see the script for what it speeds up.
 */

/** `count` objects named by `key` with `{}` replaced by the index zero-padded to 6 digits, minus `skip`. */
export interface SeededObjects {
  readonly bucket: string;
  readonly key: string;
  readonly count: number;
  readonly skip?: readonly number[];
  readonly body?: string;
}

export interface SeededMoto {
  readonly endpoint: string;
  /** What the script printed about seeding, e.g. "seeded 200000 objects in 9.0 s". */
  readonly seeded: string;
  close(): Promise<void>;
}

const SCRIPT = fileURLToPath(new URL("./moto_seeded.py", import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

/** Starts the seeded server on a free port of 127.0.0.1 and waits until it listens. */
export async function startSeededMoto(
  objects: readonly SeededObjects[],
  options: { readonly timeoutMs?: number } = {},
): Promise<SeededMoto> {
  const port = await freePort();
  // AWS_PROFILE="" (set by vitest for the SDK) breaks moto's boto3 sessions: drop it.
  const child = spawn("python3", [SCRIPT, String(port)], {
    env: { ...process.env, AWS_PROFILE: undefined },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const spec = objects.map((o) => ({ ...o, key: o.key.replace("{}", "{:06d}") }));
  child.stdin.end(JSON.stringify(spec));
  const seeded = await new Promise<string>((resolve, reject) => {
    let output = "";
    let seededLine = "";
    const timer = setTimeout(
      () => reject(new Error(`seeded moto did not start within ${options.timeoutMs ?? 120_000} ms:\n${output}`)),
      options.timeoutMs ?? 120_000,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      seededLine = /seeded .*/.exec(output)?.[0] ?? seededLine;
      if (output.includes(`ready 127.0.0.1:${port}`)) {
        clearTimeout(timer);
        child.stdout.off("data", onData);
        child.stderr.off("data", onData);
        resolve(seededLine);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`seeded moto exited (${code}):\n${output}`));
    });
  });
  // Keep draining its output so a chatty server never blocks on a full pipe.
  child.stdout.resume();
  child.stderr.resume();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    seeded,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
