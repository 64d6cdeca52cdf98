import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startSimulation } from "../../../src/campaign/simulate.js";
import { defaultDeps } from "../../../src/cli/commands/deps.js";
import { createLaunchCommand } from "../../../src/cli/commands/launch.js";
import { loadApiModel } from "../../../src/standin/model.js";
import { validateShape } from "../../../src/standin/validate.js";
import { captureIO } from "../../kit/cli.js";

/** The shipped quick-start sweep through the real command: planning, requests, the stand-in, the report. */
async function run(argv: string[]) {
  const { io, stdout, stderr } = captureIO({ cwd: mkdtempSync(join(tmpdir(), "segsweep-sim-")), env: {} });
  // A faster rehearsal than the default 20 s; everything else is what `segsweep launch --simulate` runs.
  const launch = createLaunchCommand({
    ...defaultDeps,
    simulate: (plan, options) => startSimulation(plan, { ...options, targetSeconds: 2 }),
  });
  const code = await launch(argv, io);
  return { code, stdout: stdout(), stderr: stderr() };
}

describe("segsweep launch --simulate", () => {
  it("--dry-run prints the quick start's requests, each valid against the SageMaker API model", async () => {
    const { code, stdout } = await run(["sweeps/quickstart.yaml", "--simulate", "--dry-run"]);
    expect(code).toBe(0);
    const requests = JSON.parse(stdout) as unknown[];
    expect(requests).toHaveLength(6);
    for (const request of requests) expect(validateShape(loadApiModel(), "CreateTrainingJobRequest", request).violations).toEqual([]);
  });

  it("rehearses the quick start on the stand-in, without --yes or AWS, every number marked simulated", async () => {
    const { code, stdout, stderr } = await run(["sweeps/quickstart.yaml", "--simulate"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^SIMULATED: every number below/);
    expect(stdout).toMatch(/Points: 6 planned/);
    const lines = stderr.trim().split("\n").slice(1);
    expect(lines.length).toBeGreaterThan(6);
    expect(lines.every((line) => line.startsWith("[simulated] "))).toBe(true);
    expect(stderr).toMatch(/\[simulated\] SageMaker API calls: \d+ .*; SQS: ReceiveMessage \d+/);
  });
});
