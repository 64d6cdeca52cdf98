import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { startSimulation } from "../../../src/campaign/simulate.js";
import { type CampaignDeps, defaultDeps } from "../../../src/cli/commands/deps.js";
import { createLaunchCommand } from "../../../src/cli/commands/launch.js";
import { createReportCommand } from "../../../src/cli/commands/report.js";
import { createStatusCommand } from "../../../src/cli/commands/status.js";
import { createStopCommand } from "../../../src/cli/commands/stop.js";
import { StatusView } from "../../../src/report/status-view.js";
import { CampaignReport } from "../../../src/report/types.js";
import { captureIO, sweepText, writeSweep } from "../../kit/cli.js";

/**
 * A rehearsal kept on disk: `launch --simulate` interrupted, then `status`, `report` (every
 * format) and `stop` with --simulate on what it left, then `launch --simulate` again resuming it,
 * every job created once. The sweep has early termination, so the rehearsal stops jobs too.
 */
const deps: CampaignDeps = {
  ...defaultDeps,
  // A faster rehearsal than the default 20 s of real time.
  simulate: (plan, options) => startSimulation(plan, { ...options, targetSeconds: 4 }),
};

function sweep(): string {
  return writeSweep(
    sweepText(
      "epochs: 8\nlearning_rate: [0.0005, 0.002, 0.005, 0.01, 0.02, 0.05]\nbackbone: [resnet-50, resnet-101]",
      "limits: {max_concurrency: 4}\nearly_termination: {rule: asha, min_epochs: 2, reduction_factor: 2}\n",
    ),
  );
}

async function run(command: ReturnType<typeof createLaunchCommand>, argv: string[], cwd: string, abortWhen?: () => boolean) {
  const controller = new AbortController();
  // Ctrl-C as soon as `abortWhen` holds (checked every 20 ms of real time).
  const timer = abortWhen === undefined ? undefined : setInterval(() => abortWhen() && controller.abort(), 20);
  const { io, stdout, stderr } = captureIO({ cwd, env: {}, signal: controller.signal });
  try {
    const code = await command(argv, io);
    return { code, stdout: stdout(), stderr: stderr() };
  } finally {
    clearInterval(timer);
  }
}

function savedText(path: string): string {
  return existsSync(path) ? readFileSync(path, "utf8") : "";
}

describe("a rehearsal kept in .segsweep/<campaign>/simulated/", () => {
  it("status, report and stop work on an interrupted rehearsal, and a second launch resumes it", async () => {
    const file = sweep();
    const cwd = dirname(file);
    const saved = join(cwd, ".segsweep", "test-sweep", "simulated", "standin.jsonl");
    // Interrupted once the rule has stopped a job, and before the campaign ends.
    const first = await run(createLaunchCommand(deps), [file, "--simulate"], cwd, () => savedText(saved).includes("StopTrainingJob"));
    expect(first.code).toBe(130);

    const status = await run(createStatusCommand(deps), [file, "--simulate", "--json"], cwd);
    expect(status.code).toBe(0);
    const view = StatusView.parse(JSON.parse(status.stdout));
    expect(view.simulated).toBe(true);
    expect(view.jobs.filter((row) => row.job !== null).length).toBeGreaterThan(0);

    const table = await run(createStatusCommand(deps), [file, "--simulate"], cwd);
    expect(table.stdout).toMatch(/^SIMULATED/);

    for (const format of ["table", "csv", "html"]) {
      const report = await run(createReportCommand(deps), [file, "--simulate", "--format", format], cwd);
      expect(report.code).toBe(0);
      expect(report.stdout).toMatch(format === "csv" ? /,true,/ : /SIMULATED/);
    }
    const json = await run(createReportCommand(deps), [file, "--simulate", "--format", "json"], cwd);
    expect(CampaignReport.parse(JSON.parse(json.stdout)).simulated).toBe(true);

    const stop = await run(createStopCommand(deps), [file, "--simulate", "--yes"], cwd);
    expect(stop.code).toBe(0);
    expect(stop.stdout).toMatch(/Asked SageMaker to stop|Nothing to stop/);

    const second = await run(createLaunchCommand(deps), [file, "--simulate"], cwd);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/on SageMaker already: [1-9]/);
    expect(second.stdout).toMatch(/Points: 12 planned/);

    // Every job was created once over both launches; the stand-in's saved calls say so.
    const calls = savedText(saved)
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { operation?: string; input?: { TrainingJobName?: string } });
    const creates = calls.filter((call) => call.operation === "CreateTrainingJob").map((call) => call.input?.TrainingJobName);
    expect(new Set(creates).size).toBe(creates.length);
    expect(creates.length).toBeGreaterThanOrEqual(12);
  }, 60_000);

  it("keeps the rehearsal at the git root, beside the journal, so status finds it from any folder of the repository", async () => {
    const root = dirname(sweep());
    execFileSync("git", ["init", "-q"], { cwd: root });
    mkdirSync(join(root, "sweeps"));
    const file = join(root, "sweeps", "s.yaml");
    renameSync(join(root, "sweep.yaml"), file);
    const launched = await run(createLaunchCommand(deps), [file, "--simulate"], root);
    expect(launched.code).toBe(0);
    expect(existsSync(join(root, ".segsweep", "test-sweep", "simulated", "standin.jsonl"))).toBe(true);

    const fromSweeps = await run(createStatusCommand(deps), [file, "--simulate", "--json"], join(root, "sweeps"));
    expect(fromSweeps.code).toBe(0);
    expect(StatusView.parse(JSON.parse(fromSweeps.stdout)).jobs.filter((row) => row.job !== null)).toHaveLength(12);
    expect(existsSync(join(root, "sweeps", ".segsweep"))).toBe(false);
  }, 60_000);

  it("refuses status --simulate where nothing was rehearsed, saying how to start one", async () => {
    const file = sweep();
    await expect(run(createStatusCommand(deps), [file, "--simulate"], dirname(file))).rejects.toThrow(/launch FILE --simulate/);
  });
});
