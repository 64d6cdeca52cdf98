import { mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Identity } from "../../../src/backend/identity.js";
import { fileJournal, journalDir } from "../../../src/campaign/journal.js";
import { createLaunchCommand } from "../../../src/cli/commands/launch.js";
import type { JobsPlan } from "../../../src/plan/types.js";
import { makePlan } from "../../campaign/fixtures.js";
import { captureIO, runCommand } from "../../kit/cli.js";
import { createFakeClock, type FakeClock } from "../../kit/clock.js";
import { fakeDeps } from "../../kit/deps.js";
import { type FakeOutcome, InMemorySageMaker } from "../../kit/sagemaker.js";

const HOUR = 3_600_000;

interface Setup {
  plan?: JobsPlan;
  outcome?: (planned: string, attempt: number) => FakeOutcome;
  tty?: boolean;
  confirm?: (question: string) => Promise<boolean>;
  abortAfterCreates?: number;
  failCreateWith?: Error;
  cwd?: string;
  backend?: (clock: FakeClock) => InMemorySageMaker;
  identity?: Identity;
}

/** Runs `segsweep launch` in-process against an in-memory SageMaker on a fake clock, as main() would. */
async function launch(argv: string[], setup: Setup = {}) {
  const clock = createFakeClock();
  const plan = setup.plan ?? makePlan({ jobs: 6, maxConcurrency: 2 });
  const backend =
    setup.backend?.(clock) ??
    new InMemorySageMaker({ clock, durationMs: () => HOUR, ...(setup.outcome !== undefined ? { outcome: setup.outcome } : {}) });
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
      if (++count === setup.abortAfterCreates) controller.abort("SIGTERM");
      return result;
    };
  }
  const deps = fakeDeps(plan, { backend, clock, ...(setup.identity !== undefined ? { identity: setup.identity } : {}) });
  const out = captureIO({
    cwd: setup.cwd ?? mkdtempSync(join(tmpdir(), "segsweep-launch-")),
    signal: controller.signal,
    stderrIsTTY: setup.tty === true,
    ...(setup.confirm !== undefined ? { confirm: setup.confirm } : {}),
  });
  const code = await runCommand(createLaunchCommand(deps), argv, out);
  return { code, stdout: out.stdout(), stderr: out.stderr(), backend, plan, cwd: out.io.cwd };
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
    expect(run.stderr).toMatch(/Worst case: 6 jobs × 1d × 1 ml\.p3\.2xlarge × \$3\.825\/h = \$550\.80/);
    expect(questions).toEqual(["Launch 6 training jobs on ml.p3.2xlarge in account 123456789012 (us-east-1)?"]);
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
    expect(run.stderr).toMatch(/^Campaign seg-test in account 123456789012, us-east-1: 6 points/m);
    const journal = join(journalDir(run.cwd, "seg-test", { account: "123456789012", region: "us-east-1" }), "journal.ndjson");
    expect(
      readFileSync(journal, "utf8")
        .split("\n")
        .filter((line) => line.includes('"ended"')),
    ).toHaveLength(6);
  });

  it("keeps one live line on a terminal", async () => {
    const run = await launch(["sweeps/x.yaml", "--yes"], { tty: true });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("\r\x1b[2KJobs 6/6 done · 0 running · 0 queued · 0 failed · $");
    expect(run.stderr).not.toMatch(/^created/m);
  });

  it("on SIGTERM (as on Ctrl-C) exits 130, names the signal and says what is still running, that it costs money, and how to resume or stop", async () => {
    const run = await launch(["sweeps/x.yaml", "--yes"], { abortAfterCreates: 2 });
    expect(run.code).toBe(130);
    expect(run.stderr).toMatch(/Interrupted by SIGTERM\. 2 training jobs are still running on SageMaker and cost money until they end\./);
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
    expect(run.stderr).toMatch(
      /Could not run the campaign: SageMaker said ValidationException: CreateTrainingJob seg-test-\w+: 1 validation error/,
    );
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

describe("segsweep launch: its journal and who it talks to", () => {
  const capacityFailure = (name: string) => ({
    name,
    status: "Failed" as const,
    createdAt: Date.UTC(2029, 11, 31),
    endedAt: Date.UTC(2029, 11, 31, 1),
    failureReason: "CapacityError: Unable to provision requested ML compute capacity.",
    metrics: {},
    hyperparameters: {},
  });
  const completedThere = (name: string) => {
    const { failureReason: _reason, ...failed } = capacityFailure(name);
    return { type: "ended" as const, name, details: { ...failed, status: "Completed" as const, metrics: { "validation:mIOU": 0.99 } } };
  };

  it("refuses, creating nothing, when .segsweep is a file", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "segsweep-journal-"));
    writeFileSync(join(cwd, ".segsweep"), "not a directory");
    const run = await launch(["sweeps/x.yaml", "--yes"], { cwd });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Cannot write the launch journal \.segsweep\/seg-test\/123456789012-us-east-1\/journal\.ndjson \(ENOTDIR/);
    expect(run.stderr).toMatch(/nothing launched/);
    expect(run.backend.calls.CreateTrainingJob).toBeUndefined();
  });

  it("refuses, creating nothing, when the journal cannot be opened for appending", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "segsweep-journal-"));
    // A directory where the file should be: unwritable whoever runs the test (root included).
    mkdirSync(join(journalDir(cwd, "seg-test", { account: "123456789012", region: "us-east-1" }), "journal.ndjson"), { recursive: true });
    const run = await launch(["sweeps/x.yaml", "--yes"], { cwd });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Cannot write the launch journal .*journal\.ndjson \(EISDIR/);
    expect(run.backend.calls.CreateTrainingJob).toBeUndefined();
  });

  it("keeps a journal per account: another account's says nothing here, and the listing wins (a job that failed here is retried)", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "segsweep-journal-"));
    const plan = makePlan({ jobs: 2, maxConcurrency: 2 });
    const [first] = plan.jobs.map((job) => job.name) as [string];
    // Account 999999999999 (another machine's run against another account) saw it complete.
    await fileJournal(cwd, plan.campaign, { account: "999999999999", region: "us-east-1" }).append(completedThere(first));
    const backend = (clock: FakeClock) => {
      const sageMaker = new InMemorySageMaker({ clock, durationMs: () => HOUR });
      sageMaker.put(capacityFailure(first));
      return sageMaker;
    };

    const run = await launch(["sweeps/x.yaml", "--yes"], { cwd, plan, backend });

    expect(run.code).toBe(0);
    expect([...run.backend.creates.keys()].sort()).toEqual([`${first}-r1`, plan.jobs[1]!.name].sort());
    expect(run.stdout).not.toContain("0.9900");
    expect(run.backend.calls.DescribeTrainingJob).toBeGreaterThanOrEqual(3);
  });

  it("never lets its own journal change what SageMaker says: a stale entry is read again, and the job retried", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "segsweep-journal-"));
    const plan = makePlan({ jobs: 1, maxConcurrency: 1 });
    const [only] = plan.jobs.map((job) => job.name) as [string];
    await fileJournal(cwd, plan.campaign, { account: "123456789012", region: "us-east-1" }).append(completedThere(only));
    const backend = (clock: FakeClock) => {
      const sageMaker = new InMemorySageMaker({ clock, durationMs: () => HOUR });
      sageMaker.put(capacityFailure(only));
      return sageMaker;
    };

    const run = await launch(["sweeps/x.yaml", "--yes"], { cwd, plan, backend });

    expect(run.code).toBe(0);
    expect([...run.backend.creates.keys()]).toEqual([`${only}-r1`]);
    expect(run.stdout).not.toContain("0.9900");
  });

  it("a journal that stops being writable after creates neither crashes the launch nor lets it pass max_concurrency", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "segsweep-journal-"));
    const plan = makePlan({ jobs: 6, maxConcurrency: 2 });
    const backend = (clock: FakeClock) => {
      const sageMaker = new InMemorySageMaker({ clock, durationMs: () => HOUR });
      const create = sageMaker.createJob.bind(sageMaker);
      let creates = 0;
      sageMaker.createJob = async (request) => {
        const result = await create(request);
        // Once jobs run, the journal's place goes away: .segsweep becomes a file.
        if (++creates === 2) {
          // A rename, not a recursive delete: a journal append in flight can recreate a file
          // inside the folder being deleted, and the delete then fails with ENOTEMPTY.
          renameSync(join(cwd, ".segsweep"), join(cwd, ".segsweep-gone"));
          writeFileSync(join(cwd, ".segsweep"), "now a file");
        }
        return result;
      };
      return sageMaker;
    };

    const run = await launch(["sweeps/x.yaml", "--yes"], { cwd, plan, backend });

    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/warning: Could not write the local journal .*the campaign goes on/);
    expect(run.backend.creates.size).toBe(6);
    expect(run.backend.maxInProgress()).toBeLessThanOrEqual(2);
  });

  it("after an error past the first creates, says how many jobs still run and how to follow or stop them", async () => {
    const backend = (clock: FakeClock) => {
      let created = 0;
      const sageMaker = new InMemorySageMaker({ clock, durationMs: () => (++created === 1 ? HOUR : 3 * HOUR) });
      const create = sageMaker.createJob.bind(sageMaker);
      let creates = 0;
      sageMaker.createJob = async (request) => {
        if (++creates > 2) {
          throw Object.assign(new Error("User is not authorized to perform: sagemaker:CreateTrainingJob"), {
            name: "AccessDeniedException",
          });
        }
        return create(request);
      };
      return sageMaker;
    };

    const run = await launch(["sweeps/x.yaml", "--yes"], { backend, plan: makePlan({ jobs: 6, maxConcurrency: 2 }) });

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Could not run the campaign: SageMaker said AccessDeniedException/);
    expect(run.stderr).toMatch(/operator policy/);
    expect(run.stderr).toMatch(/1 training job is still running on SageMaker and cost money until it ends/);
    expect(run.stderr).toMatch(/segsweep status sweeps\/x\.yaml --watch/);
    expect(run.stderr).toMatch(/segsweep stop sweeps\/x\.yaml/);
  });
});
