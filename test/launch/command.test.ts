import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createLaunchCommand } from "../../src/cli/commands/launch.js";
import type { LaunchDeps } from "../../src/cli/commands/launch-options.js";
import { exitCodeOf } from "../../src/cli/errors.js";
import { UserError } from "../../src/errors.js";
import type { LaunchPlan } from "../../src/plan/types.js";
import { captureIO } from "../kit/cli.js";
import { createFakeSageMaker, type FakeOutcome, type FakeSageMaker } from "./fake-backend.js";
import { createFakeClock } from "./fake-clock.js";
import { makePlan, STACK } from "./fixtures.js";

const HOUR = 3_600_000;

interface Setup {
  plan?: LaunchPlan;
  outcome?: (planned: string, attempt: number) => FakeOutcome;
  tty?: boolean;
  confirm?: (question: string) => Promise<boolean>;
  abortAfterCreates?: number;
  failCreateWith?: Error;
}

/** Runs `segsweep launch` in-process against an in-memory SageMaker on a fake clock, as main() would. */
async function launch(argv: string[], setup: Setup = {}) {
  const clock = createFakeClock();
  const plan = setup.plan ?? makePlan({ jobs: 6, maxConcurrency: 2 });
  const backend: FakeSageMaker = createFakeSageMaker({
    clock,
    durationMs: () => HOUR,
    ...(setup.outcome !== undefined ? { outcome: setup.outcome } : {}),
  });
  const controller = new AbortController();
  if (setup.failCreateWith !== undefined) {
    const failure = setup.failCreateWith;
    backend.createJob = async () => {
      throw failure;
    };
  }
  if (setup.abortAfterCreates !== undefined) {
    const create = backend.createJob.bind(backend);
    let count = 0;
    backend.createJob = async (request) => {
      const result = await create(request);
      if (++count === setup.abortAfterCreates) controller.abort();
      return result;
    };
  }
  const deps: LaunchDeps = {
    planSweepFile: async () => ({ ok: true, plan }),
    readStackOutputs: async () => STACK,
    connect: async () => ({ backend, clock, stack: STACK, simulated: false, close: async () => undefined }),
    simulate: async () => {
      throw new Error("not in these tests");
    },
    gitCommit: async () => "0123456789abcdef0123456789abcdef01234567",
    clock,
  };
  const { io, output } = captureIO(
    {
      cwd: mkdtempSync(join(tmpdir(), "segsweep-launch-")),
      signal: controller.signal,
      ...(setup.confirm !== undefined ? { confirm: setup.confirm } : {}),
    },
    { stderrIsTTY: setup.tty === true },
  );
  let code: number;
  try {
    code = await createLaunchCommand(deps)(argv, io);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    io.stderr.write(`${error.message}\n`);
    code = exitCodeOf(error);
  }
  return { code, ...output, backend, plan, cwd: io.cwd };
}

describe("segsweep launch", () => {
  it("without a terminal and without --yes refuses before calling anything, saying to pass --yes", async () => {
    const run = await launch(["sweeps/x.yaml"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/pass --yes/);
    expect(run.backend.calls).toEqual({});
  });

  it("--dry-run prints the exact CreateTrainingJob requests and calls nothing", async () => {
    const run = await launch(["sweeps/x.yaml", "--dry-run"]);
    expect(run.code).toBe(0);
    const requests = JSON.parse(run.stdout) as { TrainingJobName: string; Tags: { Key: string; Value: string }[] }[];
    expect(requests.map((request) => request.TrainingJobName)).toEqual(run.plan.jobs.map((job) => job.name));
    expect(requests[0]?.Tags).toContainEqual({ Key: "segsweep:git-commit", Value: "0123456789abcdef0123456789abcdef01234567" });
    expect(run.backend.calls).toEqual({});
  });

  it("refuses a campaign whose worst case is over budget_usd", async () => {
    const run = await launch(["sweeps/x.yaml", "--yes"], { plan: makePlan({ jobs: 6, budgetUsd: 100 }) });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/worst-case cost \$550\.80 is over limits\.budget_usd \(\$100\.00\); nothing launched/);
    expect(run.backend.calls).toEqual({});
  });

  it("asks on a terminal, shows the worst case first, and launches nothing when the answer is no", async () => {
    const questions: string[] = [];
    const run = await launch(["sweeps/x.yaml"], { confirm: async (question) => (questions.push(question), false) });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Worst case: 6 jobs × 1d × 1 ml\.p3\.2xlarge at \$3\.83\/h = \$550\.80/);
    expect(questions).toEqual(["Launch 6 training jobs on ml.p3.2xlarge?"]);
    expect(run.stderr).toMatch(/Nothing launched/);
    expect(run.backend.calls.CreateTrainingJob).toBeUndefined();
  });

  it("runs the campaign to the end: one line per state change, the leaderboard, the API calls, NDJSON events", async () => {
    const events = join(mkdtempSync(join(tmpdir(), "segsweep-events-")), "events.ndjson");
    const run = await launch(["sweeps/x.yaml", "--yes", "--events", events]);
    expect(run.code).toBe(0);
    expect(run.stderr.match(/^created {3}seg-test-/gm)).toHaveLength(6);
    expect(run.stderr.match(/^completed seg-test-\w+ validation:mIOU 0\.\d{4}/gm)).toHaveLength(6);
    expect(run.stderr).toMatch(/SageMaker API calls: \d+ \(.*CreateTrainingJob 6\b/);
    expect(run.stderr).toMatch(/SageMaker API calls: .*DescribeTrainingJob 6\b/);
    expect(run.stdout).toMatch(/Campaign seg-test/);
    const lines = readFileSync(events, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { type: string; counts: { done: number } });
    expect(lines.filter((line) => line.type === "created")).toHaveLength(6);
    expect(lines.filter((line) => line.type === "ended")).toHaveLength(6);
    expect(lines.at(-1)?.counts.done).toBe(6);
    expect(
      readFileSync(join(run.cwd, ".segsweep", "seg-test", "journal.ndjson"), "utf8")
        .split("\n")
        .filter((line) => line.includes('"ended"')),
    ).toHaveLength(6);
  });

  it("keeps one live line on a terminal", async () => {
    const run = await launch(["sweeps/x.yaml", "--yes"], { tty: true });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("\r\x1b[2KTraining jobs 6/6 done · 0 running · 0 queued · 0 failed · $");
    expect(run.stderr).not.toMatch(/^created/m);
  });

  it("on Ctrl-C exits 130 and says what is still running, that it costs money, and how to resume or stop", async () => {
    const run = await launch(["sweeps/x.yaml", "--yes"], { abortAfterCreates: 2 });
    expect(run.code).toBe(130);
    expect(run.stderr).toMatch(/Interrupted\. 2 training jobs are still running on SageMaker and cost money until they end\./);
    expect(run.stderr).toMatch(/segsweep launch sweeps\/x\.yaml/);
    expect(run.stderr).toMatch(/segsweep stop sweeps\/x\.yaml/);
    expect(run.backend.creates.size).toBe(2);
  });

  it("exits 1 past max_failures, saying the running jobs were left running", async () => {
    const run = await launch(["sweeps/x.yaml", "--yes"], {
      plan: makePlan({ jobs: 8, maxConcurrency: 2, maxFailures: 1 }),
      outcome: () => ({ status: "Failed", failureReason: "AlgorithmError: CUDA out of memory" }),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^failed {4}seg-test-\w+: AlgorithmError: CUDA out of memory/m);
    expect(run.stderr).toMatch(/Stopped launching: 2 trainings failed, more than limits\.max_failures \(1\)/);
    expect(run.backend.creates.size).toBeLessThan(8);
  });

  it("turns a request SageMaker refuses into a message pointing at --dry-run", async () => {
    const refusal = Object.assign(new Error("1 validation error detected: Value 'x' at 'roleArn' failed to satisfy constraint"), {
      name: "ValidationException",
    });
    const run = await launch(["sweeps/x.yaml", "--yes"], { failCreateWith: refusal });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Could not run the campaign: ValidationException: CreateTrainingJob seg-test-\w+: 1 validation error/);
    expect(run.stderr).toMatch(/`segsweep launch sweeps\/x\.yaml --dry-run` prints the requests/);
  });

  it.each([
    [["x.yaml", "--max-concurrency", "0"], /--max-concurrency must be a whole number from 1 to 1000; got "0"/],
    [["x.yaml", "--poll-interval", "soon"], /--poll-interval must be a duration such as 30s, 2m or 200ms; got "soon"/],
    [["x.yaml", "--stack", "dev", "--stack-outputs", "o.json"], /--stack or --stack-outputs, not both/],
    [["x.yaml", "--simulate", "--stack", "dev"], /--simulate uses made-up stack outputs/],
    [["a.yaml", "b.yaml"], /takes one sweep file; got a\.yaml b\.yaml/],
    [["x.yaml", "--colour"], /Unknown option '--colour'/],
  ])("rejects bad usage %j", async (argv, message) => {
    const run = await launch(argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});
