import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The CLI as a user runs it: `node bin/segsweep.js` (dist built here first) in a real
 * pseudo-terminal of 80 columns (tmux), and real signals sent to a real process. Slow: the build
 * and a simulated campaign take half a minute or more.
 */
const ROOT = join(import.meta.dirname, "../../..");
const BIN = join(ROOT, "bin/segsweep.js");
const SOCKET = `segsweep-test-${process.pid}`;
const LIVE = /Jobs \d+\/6 done/g;

function tmux(...args: string[]): string {
  return execFileSync("tmux", ["-L", SOCKET, ...args], { encoding: "utf8" });
}

beforeAll(() => {
  execFileSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: ROOT, stdio: "ignore", timeout: 300_000 });
}, 300_000);
afterAll(() => {
  try {
    tmux("kill-server");
  } catch {
    // No server left: nothing to clean.
  }
});

describe("on an 80-column terminal", { tags: ["slow"] }, () => {
  it("redraws one live line in place: never wrapped, no stale copy, with cost, time and estimate", async () => {
    const dir = mkdtempSync(join(tmpdir(), "segsweep-pty-"));
    copyFileSync(join(ROOT, "sweeps/quickstart.yaml"), join(dir, "quickstart.yaml"));
    // The SDK's own warning is left on, as a user's shell would have it: segsweep turns it off.
    const command = `cd ${dir} && env -u AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED -u ${"SEGSWEEP_NO_NODE_NOTICE"} node ${BIN} launch quickstart.yaml --simulate --yes > out.txt; echo EXIT=$?; sleep 600`;
    tmux("new-session", "-d", "-x", "80", "-y", "24", "-s", "launch", command);
    const samples: string[] = [];
    const deadline = Date.now() + 240_000;
    let pane = "";
    while (!pane.includes("EXIT=") && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      pane = tmux("capture-pane", "-p", "-S", "-", "-t", "launch");
      samples.push(pane);
    }
    expect(pane).toContain("EXIT=0");
    // A wrapped line leaves its first row behind at every redraw: one live line, ever, is the proof.
    for (const sample of samples) expect(sample.match(LIVE)?.length ?? 0).toBeLessThanOrEqual(1);
    const last = pane.split("\n").find((row) => LIVE.test(row)) ?? "";
    expect(last).toMatch(/^\[simulated\] Jobs 6\/6 done · 0 running · .*\$\d+\.\d\d so far · .*elapsed/);
    expect(samples.some((sample) => /Jobs [1-5]\/6 done.* · ~\S+ left/.test(sample))).toBe(true);
    expect(pane).not.toContain("NodeVersionSupportWarning");
    const major = Number(process.versions.node.split(".")[0]);
    expect(pane.match(/Node 22 or later is recommended/g)?.length ?? 0).toBe(major < 22 ? 1 : 0);
  });
});

describe("real signals", { tags: ["slow"] }, () => {
  it("SIGTERM stops `plan` while it writes a huge plan, with exit 130, naming the signal", async () => {
    const dir = mkdtempSync(join(tmpdir(), "segsweep-sig-"));
    // 300 × 300 points: about 10 MB of CSV, seconds of work.
    const values = Array.from({ length: 300 }, (_, i) => (0.00001 * (i + 1)).toFixed(5)).join(", ");
    writeFileSync(
      join(dir, "huge.yaml"),
      `name: sig-test
hyperparameters:
  num_classes: 21
  num_training_samples: 1000
  learning_rate: [${values}]
  weight_decay: [${values}]
data:
  train: s3://bucket/train/
  validation: s3://bucket/validation/
  train_annotation: s3://bucket/train_annotation/
  validation_annotation: s3://bucket/validation_annotation/
limits:
  max_jobs: 100000
`,
    );
    const child = spawn(process.execPath, [BIN, "plan", "huge.yaml", "--format", "csv"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    let bytes = 0;
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on("data", (chunk: Buffer) => (bytes += chunk.length));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (exitCode) => resolve(exitCode)));
    await new Promise((resolve) => child.stdout.once("data", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(130);
    expect(stderr).toContain("Interrupted by SIGTERM.");
    expect(bytes).toBeLessThan(10_000_000); // it stopped, rather than finishing first
  });
});
