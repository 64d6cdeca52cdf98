import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Standin, startStandin } from "../../../src/standin/index.js";
import { makePlan } from "../../campaign/fixtures.js";
import { type Moto, startMoto } from "../../kit/moto.js";
import { seededRandom } from "../../kit/sagemaker.js";
import { STACK } from "../../kit/stack.js";

/**
 * A launcher killed with SIGKILL at random moments (mid-create, mid-follow, before it listed
 * anything) and started again finishes the campaign with no training created twice and none lost.
 * Real child processes and real time: the stand-in runs here with time scaled 3600:1 (an hour of
 * SageMaker time is a second), the launcher polls every 20 ms. The launcher asks moto's STS who it
 * is, as it asks AWS's (the stand-in has no STS).
 */
const JOBS = 24;
const CAMPAIGN = "seg-kill";
const CONCURRENCY = 4;
const KILLS = 4;
/** tsx's loader by absolute URL: the launcher runs in a temporary directory without node_modules. */
const TSX_LOADER = pathToFileURL(join(import.meta.dirname, "../../../node_modules/tsx/dist/loader.mjs")).href;

let standin: Standin | undefined;
let moto: Moto | undefined;
beforeAll(async () => {
  moto = await startMoto();
});
afterAll(async () => {
  await moto?.close();
});
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  await standin?.close();
});

interface Launcher extends ChildProcess {
  output(): string;
  /** Resolves once the launcher's output matches `pattern`. */
  reached(pattern: RegExp): Promise<void>;
  readonly exited: Promise<number | null>;
}

function startLauncher(endpoint: string, cwd: string, outputsFile: string): Launcher {
  const stsEndpoint = moto?.endpoint ?? "";
  const child = spawn(
    process.execPath,
    [
      "--import",
      TSX_LOADER,
      join(import.meta.dirname, "kill-child.ts"),
      String(JOBS),
      CAMPAIGN,
      String(CONCURRENCY),
      "--",
      "x.yaml",
      "--yes",
      "--stack-outputs",
      outputsFile,
      "--poll-interval",
      "20ms",
      "--launch-rate",
      "100",
      // The stand-in has no S3: the data checks are the subject of launch-preflight.test.ts.
      "--skip-preflight",
    ],
    {
      cwd,
      env: {
        PATH: process.env.PATH,
        AWS_ENDPOINT_URL_SAGEMAKER: endpoint,
        AWS_ENDPOINT_URL_STS: stsEndpoint,
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "TEST",
        AWS_SECRET_ACCESS_KEY: "test-secret",
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
        NODE_OPTIONS: "",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  children.push(child);
  let output = "";
  const waiting: { pattern: RegExp; resolve: () => void }[] = [];
  const append = (chunk: Buffer): void => {
    output += chunk.toString();
    for (const wait of waiting.filter((w) => w.pattern.test(output))) {
      waiting.splice(waiting.indexOf(wait), 1);
      wait.resolve();
    }
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const reached = (pattern: RegExp): Promise<void> =>
    pattern.test(output)
      ? Promise.resolve()
      : Promise.race([new Promise<void>((resolve) => waiting.push({ pattern, resolve })), exited.then(() => undefined)]);
  return Object.assign(child, { output: () => output, reached, exited });
}

describe("a launcher killed with SIGKILL", () => {
  it("started again after each kill finishes the campaign with no duplicate and no lost point", { timeout: 90_000 }, async () => {
    standin = await startStandin({ timeScale: 3600, seed: 21, durationLogNormal: { medianSeconds: 1800, sigma: 0.4 } });
    const cwd = mkdtempSync(join(tmpdir(), "segsweep-sigkill-"));
    const outputsFile = join(cwd, "outputs.json");
    writeFileSync(outputsFile, JSON.stringify(STACK));
    const random = seededRandom(4);

    for (let kill = 0; kill < KILLS; kill++) {
      const launcher = startLauncher(standin.endpoint, cwd, outputsFile);
      // The first kill lands before the launcher has listed anything; the others a random moment
      // after it reconciled (so mid-create, mid-follow or mid-describe), whatever the machine's load.
      await launcher.reached(kill === 0 ? /Worst case/ : /to launch: \d+/);
      await new Promise((resolve) => setTimeout(resolve, kill === 0 ? 0 : random() * 1200));
      launcher.kill("SIGKILL");
      expect(await launcher.exited, launcher.output()).toBeNull();
    }
    const createdBeforeLastRun = Object.keys(standin.stats().createsByName).length;
    const last = startLauncher(standin.endpoint, cwd, outputsFile);
    const code = await last.exited;

    expect(code, last.output()).toBe(0);
    expect(createdBeforeLastRun).toBeGreaterThan(0);
    const planned = makePlan({ jobs: JOBS, campaign: CAMPAIGN })
      .jobs.map((job) => job.name)
      .sort();
    const { createsByName, jobs, maxInProgress } = standin.stats();
    expect(Object.keys(createsByName).sort()).toEqual(planned);
    expect(Object.values(createsByName).every((count) => count === 1)).toBe(true);
    expect(jobs.every((job) => job.status === "Completed")).toBe(true);
    expect(maxInProgress).toBeLessThanOrEqual(CONCURRENCY);
    expect(last.output()).toMatch(new RegExp(`Points: ${JOBS} planned · ${JOBS} completed`));
  });
});
