import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Clock } from "../../../src/backend/clock.js";
import { createSageMakerBackend } from "../../../src/backend/sagemaker.js";
import { createTuningBackend, type TuningBackend } from "../../../src/backend/tuning.js";
import type { TrainingBackend } from "../../../src/backend/types.js";
import { memoryJournal } from "../../../src/campaign/journal.js";
import { startSimulation } from "../../../src/campaign/simulate.js";
import type { World } from "../../../src/campaign/world.js";
import type { CampaignDeps } from "../../../src/cli/commands/deps.js";
import { createLaunchCommand } from "../../../src/cli/commands/launch.js";
import { createReportCommand } from "../../../src/cli/commands/report.js";
import { createStatusCommand } from "../../../src/cli/commands/status.js";
import { createStopCommand } from "../../../src/cli/commands/stop.js";
import { StopSummary } from "../../../src/cli/commands/stop-summary.js";
import type { Command } from "../../../src/cli/io.js";
import { planSweepFile } from "../../../src/plan/plan-file.js";
import { type Standin, startStandin } from "../../../src/standin/index.js";
import { captureIO, runCommand, sweepText, writeSweep } from "../../kit/cli.js";
import { createFakeClock, type FakeClock } from "../../kit/clock.js";
import { STACK } from "../../kit/stack.js";

/**
 * A tuning campaign end to end: the commands in-process with CampaignDeps, the real AWS SDK
 * against the stand-in (which launches a tuning job's training jobs itself), on a fake clock.
 */

const CREDENTIALS = { accessKeyId: "AKIDTUNINGTEST", secretAccessKey: "tuning-test-secret" };
const SWEEP = sweepText(
  "learning_rate: {log_uniform: [0.0001, 0.1]}\nmini_batch_size: [8, 16]",
  "strategy: bayesian\nsamples: 6\nseed: 3\nlimits:\n  max_concurrency: 2\nresources:\n  instance_type: ml.p3.2xlarge\n  max_runtime: 2h",
);

const opened: Standin[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

interface Bench {
  readonly clock: FakeClock;
  readonly backend: TrainingBackend;
  readonly tuning: TuningBackend;
  readonly deps: CampaignDeps;
  readonly file: string;
}

/** The stand-in, the SDK clients on it, and the commands' outside world. */
async function bench(algorithmFailures = 0): Promise<Bench> {
  const clock = createFakeClock();
  const standin = await startStandin({ clock, seed: 5, failureRates: { algorithm: algorithmFailures, capacity: 0, internal: 0 } });
  opened.push(standin);
  const options = { region: "us-east-1", endpoint: standin.endpoint, credentials: CREDENTIALS, clock: clock as Clock };
  const backend = createSageMakerBackend(options);
  const tuning = createTuningBackend(options);
  const world: World = { backend, tuning, clock, simulated: false, close: async () => undefined };
  const deps: CampaignDeps = {
    planSweepFile: (file) => planSweepFile(file),
    readStackOutputs: async () => STACK,
    connect: async () => world,
    identify: async (request) => ({ account: "123456789012", region: request.region }),
    simulate: (plan, o) => startSimulation(plan, { ...o, targetSeconds: 0.3 }),
    openJournal: () => memoryJournal(),
    gitCommit: async () => "0123456789abcdef0123456789abcdef01234567",
    sweepFileLocation: async (file, cwd) => ({ home: cwd, relative: file }),
    openPreflightClients: async () => {
      throw new Error("preflight checks jobs-engine campaigns only; a tuning launch does not open its clients");
    },
    clock,
  };
  return { clock, backend, tuning, deps, file: writeSweep(SWEEP) };
}

/** Runs one command as main() would: a UserError becomes its message and exit code. */
async function run(command: Command, argv: string[], signal?: AbortSignal, cwd = mkdtempSync(join(tmpdir(), "segsweep-tuning-"))) {
  const out = captureIO({ cwd, ...(signal !== undefined ? { signal } : {}) });
  const code = await runCommand(command, argv, out);
  return { code, stdout: out.stdout(), stderr: out.stderr() };
}

describe("a tuning campaign through launch, status, report and stop", () => {
  it("--dry-run prints the CreateHyperParameterTuningJob request and calls nothing", async () => {
    const b = await bench();
    const dry = await run(createLaunchCommand(b.deps), [b.file, "--dry-run"]);
    expect(dry.code).toBe(0);
    const requests = JSON.parse(dry.stdout) as {
      HyperParameterTuningJobName: string;
      HyperParameterTuningJobConfig: { Strategy: string };
    }[];
    expect(requests).toHaveLength(1);
    expect(requests[0]?.HyperParameterTuningJobConfig.Strategy).toBe("Bayesian");
    expect(b.tuning.calls).toEqual({});
  });

  it("launch creates the tuning job, follows it to the end and ranks AMT's jobs; a second launch creates nothing", async () => {
    const b = await bench();
    const first = await run(createLaunchCommand(b.deps), [b.file, "--yes", "--poll-interval", "10m"]);
    expect(first.stderr).toContain("to launch: 6");
    expect(first.code).toBe(0);
    expect(b.tuning.calls.CreateHyperParameterTuningJob).toBe(1);
    expect(first.stderr).toContain("CreateHyperParameterTuningJob 1");
    // A listing only when a training job started or ended: at most one per job start and end, beside the first.
    const { DescribeHyperParameterTuningJob: describes = 0, ListTrainingJobsForHyperParameterTuningJob: lists = 0 } = b.tuning.calls;
    expect(lists).toBeLessThanOrEqual(1 + 2 * 6);
    expect(lists).toBeLessThan(describes);
    const names = [...first.stdout.matchAll(/test-sweep-[0-9a-f]+-\d{3}-[0-9a-f]{8}/g)].map((m) => m[0]);
    expect(new Set(names).size).toBe(6);

    const second = await run(createLaunchCommand(b.deps), [b.file, "--yes", "--poll-interval", "10m"]);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/on SageMaker already: 6 .*to launch: 0/);
    expect(b.tuning.calls.CreateHyperParameterTuningJob).toBe(1);
  });

  it("report ranks the training jobs by the objective, shows AMT's best and an honest cost", async () => {
    const b = await bench();
    expect((await run(createLaunchCommand(b.deps), [b.file, "--yes", "--poll-interval", "10m"])).code).toBe(0);
    const report = await run(createReportCommand(b.deps), [b.file, "--format", "json"]);
    expect(report.code).toBe(0);
    const parsed = JSON.parse(report.stdout) as {
      leaderboard: { job: string; objective: number | null }[];
      counts: { completed: number };
      cost: { usd: number | null; billableSeconds: number };
      costUnknownJobs: string[];
      tuningJobs: { status: string; trainingJobs: number; best: { job: string; objective: number } | null; stoppedByAmt: string[] }[];
    };
    // Seed 5 draws one job past max_runtime (2h): SageMaker stopped it, not AMT.
    expect(parsed.counts).toMatchObject({ completed: 5, stopped: 1 });
    const values = parsed.leaderboard.map((row) => row.objective ?? Number.NEGATIVE_INFINITY);
    expect(values).toEqual([...values].sort((x, y) => y - x));
    const [tuningJob] = parsed.tuningJobs;
    expect(tuningJob).toMatchObject({ status: "Completed", trainingJobs: 6, stoppedByAmt: [] });
    expect(tuningJob?.best?.job).toBe(parsed.leaderboard[0]?.job);
    expect(parsed.cost.usd).toBeGreaterThan(0);
    expect(parsed.costUnknownJobs).toEqual([]);
    expect(parsed.cost.billableSeconds).toBe(
      parsed.leaderboard.reduce((sum, row) => sum + ((row as { billableSeconds?: number }).billableSeconds ?? 0), 0),
    );

    const table = await run(createReportCommand(b.deps), [b.file]);
    expect(table.stdout).toContain("Tuning jobs (SageMaker Automatic Model Tuning):");
    expect(table.stdout).toContain(`AMT's best`);
  });

  it("launch --detach returns at once and says what runs; stop stops the tuning job; status shows it", async () => {
    const b = await bench();
    const detached = await run(createLaunchCommand(b.deps), [b.file, "--yes", "--detach"]);
    expect(detached.code).toBe(0);
    expect(detached.stderr).toMatch(/1 tuning job\(s\) keep running on SageMaker/);
    const before = await run(createStatusCommand(b.deps), [b.file, "--json"]);
    const view = JSON.parse(before.stdout) as { counts: { inProgress: number }; tuningJobs: { name: string; status: string }[] };
    expect(view.counts.inProgress).toBe(2);
    expect(view.tuningJobs[0]?.status).toBe("InProgress");

    const stopped = await run(createStopCommand(b.deps), [b.file, "--yes", "--json"]);
    expect(stopped.code).toBe(0);
    const summary = StopSummary.parse(JSON.parse(stopped.stdout));
    expect(summary.stopped).toEqual([view.tuningJobs[0]?.name]);
    expect(summary.failed).toEqual([]);
    expect(b.tuning.calls.StopHyperParameterTuningJob).toBe(1);
    b.clock.advance(10 * 60_000);
    const after = await run(createStatusCommand(b.deps), [b.file]);
    expect(after.stdout).toMatch(/test-sweep-[0-9a-f]+\s+Stopped/);
    const again = await run(createStopCommand(b.deps), [b.file, "--yes"]);
    expect(again.stdout).toContain("Nothing to stop");
    expect(b.tuning.calls.StopHyperParameterTuningJob).toBe(1);
  });

  it("a split search space runs as two tuning jobs; status --watch follows both to the end", async () => {
    const b = await bench();
    const file = join(process.cwd(), "sweeps/bayesian-optimizers.yaml");
    const detached = await run(createLaunchCommand(b.deps), [file, "--yes", "--detach"]);
    expect(detached.code).toBe(0);
    expect(b.tuning.calls.CreateHyperParameterTuningJob).toBe(2);
    expect(detached.stderr).toMatch(/2 tuning job\(s\) keep running on SageMaker \(voc-bayes-optimizers-\S+, voc-bayes-optimizers-\S+\)/);
    const watched = await run(createStatusCommand(b.deps), [file, "--watch", "--interval", "30m", "--json"]);
    const last = JSON.parse(watched.stdout.trim().split("\n").at(-1) ?? "{}") as {
      jobs: unknown[];
      tuningJobs: { status: string; trainingJobs: number; maxTrainingJobs: number }[];
    };
    expect(last.tuningJobs.map((t) => t.status)).toEqual(["Completed", "Completed"]);
    const launched = last.tuningJobs.reduce((sum, t) => sum + t.trainingJobs, 0);
    expect(launched).toBe(24);
    expect(last.jobs).toHaveLength(24);
    const stop = await run(createStopCommand(b.deps), [file, "--yes"]);
    expect(stop.stdout).toContain("Nothing to stop: no tuning job of campaign voc-bayes-optimizers is in progress");
  });

  it("a tuning job that failed fails the launch (exit 1) with SageMaker's reason, after the report", async () => {
    const b = await bench(1);
    const launched = await run(createLaunchCommand(b.deps), [b.file, "--yes", "--poll-interval", "10m"]);
    expect(launched.code).toBe(1);
    expect(launched.stdout).toMatch(/test-sweep-[0-9a-f]+-001-[0-9a-f]{8}/);
    expect(launched.stderr).toMatch(/1 tuning job\(s\) of the campaign failed\.\ntest-sweep-[0-9a-f]+: All training jobs failed\./);
  });

  it("Ctrl-C leaves the tuning job running and says so (exit 130)", async () => {
    const b = await bench();
    const controller = new AbortController();
    const launched = run(createLaunchCommand(b.deps), [b.file, "--yes", "--poll-interval", "10m"], controller.signal);
    // After the first look at the tuning job, while the launcher waits.
    while (b.tuning.calls.ListTrainingJobsForHyperParameterTuningJob === undefined) await new Promise((r) => setImmediate(r));
    controller.abort();
    const result = await launched;
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/keep running on SageMaker .*launch training jobs up to their MaxNumberOfTrainingJobs/);
    expect(result.stderr).toContain("segsweep stop");

    // Launching again picks the running tuning job up: nothing is created twice.
    const resumed = await run(createLaunchCommand(b.deps), [b.file, "--yes", "--poll-interval", "10m"]);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/on SageMaker already: 2 \(2 running.*to launch: 4/);
    expect(b.tuning.calls.CreateHyperParameterTuningJob).toBe(1);
    expect([...resumed.stdout.matchAll(/test-sweep-[0-9a-f]+-\d{3}-[0-9a-f]{8}/g)].length).toBeGreaterThanOrEqual(6);
  });

  it("launch --simulate runs a tuning campaign on the stand-in, and status, report and stop --simulate read what it kept", async () => {
    const b = await bench();
    const cwd = mkdtempSync(join(tmpdir(), "segsweep-tuning-kept-"));
    const simulated = await run(createLaunchCommand(b.deps), [b.file, "--simulate"], undefined, cwd);
    expect(simulated.code).toBe(0);
    expect(simulated.stderr).toContain("[simulated]");
    const launchedJobs = new Set(simulated.stdout.match(/test-sweep-[0-9a-f]+-\d{3}-[0-9a-f]{8}/g));
    expect(launchedJobs.size).toBeGreaterThanOrEqual(6);

    const status = await run(createStatusCommand(b.deps), [b.file, "--simulate", "--json"], undefined, cwd);
    expect(status.code).toBe(0);
    const view = JSON.parse(status.stdout) as { tuningJobs: { status: string }[] };
    expect(view.tuningJobs.map((job) => job.status)).toEqual(["Completed"]);
    const report = await run(createReportCommand(b.deps), [b.file, "--simulate"], undefined, cwd);
    expect(report.code).toBe(0);
    expect(new Set(report.stdout.match(/test-sweep-[0-9a-f]+-\d{3}-[0-9a-f]{8}/g))).toEqual(launchedJobs);
    const stop = await run(createStopCommand(b.deps), [b.file, "--simulate", "--yes"], undefined, cwd);
    expect(stop.code).toBe(0);
    expect(stop.stdout).toContain("Nothing to stop");
    // Nothing was rehearsed in another folder: said, not invented.
    const elsewhere = await run(createStatusCommand(b.deps), [b.file, "--simulate"]);
    expect(elsewhere.code).toBe(1);
  });
});
