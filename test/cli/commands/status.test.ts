import { describe, expect, it } from "vitest";
import { BackendError } from "../../../src/backend/types.js";
import { createStatusCommand } from "../../../src/cli/commands/status.js";
import { UsageError, UserError } from "../../../src/errors.js";
import { StatusView } from "../../../src/report/status-view.js";
import { captureIO } from "../../kit/cli.js";
import { createFakeClock } from "../../kit/clock.js";
import { fakeDeps } from "../../kit/deps.js";
import { type InMemorySageMaker, sageMakerWith } from "../../kit/sagemaker.js";
import { stackIn } from "../../kit/stack.js";
import { completed, jobDetails, makePlan, T0 } from "../../report/fixtures.js";

const plan = makePlan({
  points: [{ learning_rate: "0.001" }, { learning_rate: "0.01" }, { learning_rate: "0.1" }, { learning_rate: "0.2" }],
});
const [a, b, c, d] = plan.jobs.map((job) => job.name) as [string, string, string, string];

/** a completed, b failed then retried and training, c in progress, d not started; plus a look-alike campaign. */
function campaignBackend(): InMemorySageMaker {
  return sageMakerWith([
    completed(a, 0.61234, 0.9, { endedAt: T0 + 3_600_000 }),
    jobDetails(b, { status: "Failed", failureReason: "CapacityError: no capacity" }),
    jobDetails(`${b}-r1`, { status: "InProgress", secondaryStatus: "Training", createdAt: T0 + 600_000 }),
    jobDetails(c, { status: "InProgress", secondaryStatus: "Downloading" }),
    completed("seg-lr-large-0123456789ab", 0.99),
  ]);
}

describe("segsweep status", () => {
  it("shows every planned job's state, secondary status, times and metric, from one Search call", async () => {
    const backend = campaignBackend();
    const out = captureIO();
    const code = await createStatusCommand(fakeDeps(plan, { backend: backend, clock: createFakeClock(T0 + 7_200_000) }))(
      ["sweeps/seg-lr.yaml"],
      out.io,
    );
    expect(code).toBe(0);
    const text = out.stdout();
    expect(text.split("\n")[0]).toBe("Campaign seg-lr: 4 planned · 1 completed · 2 in progress · 1 not started (4 jobs, retries included)");
    const rows = Object.fromEntries(
      text
        .split("\n")
        .slice(3, 7)
        .map((line) => {
          const cells = line.split(/\s{2,}/);
          return [cells[0], cells.slice(1)];
        }),
    );
    expect(rows[a]).toEqual(["completed", "Completed", "1h", "1h", "0.6123"]);
    expect(rows[`${b}-r1`]).toEqual(["in-progress", "Training", "1h50m", "-", "-"]);
    expect(rows[c]).toEqual(["in-progress", "Downloading", "2h", "-", "-"]);
    expect(rows[d]).toEqual(["not started", "-", "-", "-", "-"]);
    expect(text).not.toContain("seg-lr-large");
    // One Search returns every job of the campaign with its metrics: no listing, no describe.
    expect(backend.calls).toEqual({ Search: 1 });
  });

  it("prints one JSON object with --json", async () => {
    const out = captureIO();
    await createStatusCommand(fakeDeps(plan, { backend: campaignBackend() }))(["s.yaml", "--json"], out.io);
    const view = StatusView.parse(JSON.parse(out.stdout()));
    expect(view.jobs.map((row) => row.state)).toEqual(["completed", "in-progress", "in-progress", "not-started"]);
    expect(view.finished).toBe(false);
  });

  it("reads a campaign of 250 jobs in 3 Search calls, whatever their states", async () => {
    const big = makePlan({ points: Array.from({ length: 250 }, (_, i) => ({ learning_rate: String((i + 1) / 1000) })) });
    const backend = sageMakerWith(
      big.jobs.map((job, i) => (i % 3 === 0 ? completed(job.name, i / 1000) : jobDetails(job.name, { status: "InProgress" }))),
    );
    const out = captureIO();
    await createStatusCommand(fakeDeps(big, { backend }))(["s.yaml", "--json"], out.io);
    expect(StatusView.parse(JSON.parse(out.stdout())).counts).toMatchObject({ planned: 250, completed: 84, inProgress: 166 });
    expect(backend.calls).toEqual({ Search: 3 });
  });

  it("finds a job that joined a point by its tags though segsweep did not name it", async () => {
    const [pointA] = plan.jobs;
    const backend = campaignBackend();
    backend.put(
      completed("tuning-0123-001-abcdef12", 0.8, 0.9, {
        tags: { "segsweep:campaign": "seg-lr", "segsweep:point": pointA!.pointId },
        createdAt: T0 + 9_000_000,
      }),
    );
    const out = captureIO();
    await createStatusCommand(fakeDeps(plan, { backend }))(["s.yaml", "--json"], out.io);
    const view = StatusView.parse(JSON.parse(out.stdout()));
    expect(view.jobs[0]).toMatchObject({ plannedJob: a, job: "tuning-0123-001-abcdef12", attempts: 2, objective: 0.8 });
  });

  it("refreshes with --watch until every job has ended, one Search call per refresh", async () => {
    const backend = campaignBackend();
    let tick = 0;
    const clock = createFakeClock({
      start: T0,
      onSleep: () => {
        tick++;
        if (tick === 1)
          backend.update(c, {
            status: "Completed",
            secondaryStatus: "Completed",
            endedAt: T0 + 60_000,
            billableSeconds: 50,
            metrics: { "validation:mIOU": 0.7 },
          });
        if (tick === 2) backend.put(jobDetails(d, { status: "InProgress", createdAt: T0 + 20_000 }));
        if (tick === 3) {
          backend.update(`${b}-r1`, { status: "Completed", secondaryStatus: "Completed", metrics: { "validation:mIOU": 0.4 } });
          backend.update(d, { status: "Failed", secondaryStatus: "Failed" });
        }
      },
    });
    const out = captureIO();
    const code = await createStatusCommand(fakeDeps(plan, { backend, clock }))(
      ["s.yaml", "--watch", "--interval", "10s", "--json"],
      out.io,
    );
    expect(code).toBe(0);
    const views = out
      .stdout()
      .trimEnd()
      .split("\n")
      .map((line) => StatusView.parse(JSON.parse(line)));
    expect(views.map((view) => view.finished)).toEqual([false, false, false, true]);
    expect(views.at(-1)?.counts).toMatchObject({ completed: 3, failed: 1, inProgress: 0, notStarted: 0 });
    expect(clock.sleeps).toEqual([10_000, 10_000, 10_000]);
    expect(backend.calls).toEqual({ Search: 4 });
  });

  it("off a terminal, --watch prints the table, then one line per change, then the final table", async () => {
    const backend = campaignBackend();
    const clock = createFakeClock({
      start: T0,
      onSleep: () => {
        backend.update(c, { status: "Completed", secondaryStatus: "Completed", metrics: { "validation:mIOU": 0.7 } });
        backend.update(`${b}-r1`, { status: "Stopped", secondaryStatus: "Stopped" });
        backend.update(a, { status: "Completed" });
        backend.put(jobDetails(d, { status: "Completed", metrics: { "validation:mIOU": 0.1 } }));
      },
    });
    const out = captureIO();
    await createStatusCommand(fakeDeps(plan, { backend, clock }))(["s.yaml", "--watch"], out.io);
    const changes = out
      .stdout()
      .split("\n")
      .filter((line) => line.startsWith("2026-"));
    expect(changes.map((line) => line.split(" ").slice(1, 3).join(" "))).toEqual([`${b}-r1 stopped`, `${c} completed`, `${d} completed`]);
    expect(out.stdout().match(/^Campaign seg-lr:/gm)).toHaveLength(2);
  });

  it("on a terminal, --watch redraws in place", async () => {
    const backend = campaignBackend();
    const clock = createFakeClock({
      start: T0,
      onSleep: () => {
        for (const name of [`${b}-r1`, c]) backend.update(name, { status: "Stopped" });
        backend.put(jobDetails(d, { status: "Stopped" }));
      },
    });
    const out = captureIO({ tty: true });
    await createStatusCommand(fakeDeps(plan, { backend, clock }))(["s.yaml", "--watch"], out.io);
    expect(out.stdout().split("\u001b[H\u001b[2J")).toHaveLength(3);
  });

  it("stops watching on Ctrl-C, leaving the jobs alone", async () => {
    const controller = new AbortController();
    const backend = campaignBackend();
    const clock = createFakeClock({ start: T0, onSleep: () => controller.abort(new Error("SIGINT")) });
    const out = captureIO({ signal: controller.signal });
    const code = await createStatusCommand(fakeDeps(plan, { backend, clock }))(["s.yaml", "--watch", "--json"], out.io);
    expect(code).toBe(0);
    expect(out.stdout().trimEnd().split("\n")).toHaveLength(1);
    expect(backend.stopRequests).toEqual([]);
  });

  it("stops watching when nothing runs and points are left unstarted, and says how to launch them", async () => {
    const backend = sageMakerWith([completed(a, 0.5)]);
    const out = captureIO();
    await createStatusCommand(fakeDeps(plan, { backend: backend }))(["sweeps/seg-lr.yaml", "--watch", "--json"], out.io);
    expect(out.stdout().trimEnd().split("\n")).toHaveLength(2);
    expect(out.stderr()).toContain("Nothing is running and 3 points not started: `npx segsweep launch sweeps/seg-lr.yaml` launches them.");
  });
});

describe("segsweep status: region, endpoint and errors", () => {
  it("uses the stack's region with --stack-outputs, and AWS_ENDPOINT_URL_SAGEMAKER as the endpoint", async () => {
    const deps = fakeDeps(plan, { backend: campaignBackend(), stack: stackIn("eu-west-1") });
    await createStatusCommand(deps)(
      ["s.yaml", "--stack-outputs", "out.json"],
      captureIO({ env: { AWS_REGION: "us-east-1", AWS_ENDPOINT_URL_SAGEMAKER: "http://127.0.0.1:4010" } }).io,
    );
    expect(deps.stackReads).toEqual([{ file: "out.json" }]);
    expect(deps.opened).toEqual([{ region: "eu-west-1", endpoint: "http://127.0.0.1:4010" }]);
  });

  it("falls back to AWS_DEFAULT_REGION, and says how to set a region when there is none", async () => {
    const deps = fakeDeps(plan, { backend: campaignBackend(), stack: stackIn("eu-west-1") });
    await createStatusCommand(deps)(["s.yaml", "--stack", "dev"], captureIO().io);
    await createStatusCommand(deps)(["s.yaml"], captureIO({ env: { AWS_DEFAULT_REGION: "ap-northeast-1" } }).io);
    expect(deps.stackReads).toEqual([{ stack: "dev" }]);
    expect(deps.opened.map((o) => o.region)).toEqual(["eu-west-1", "ap-northeast-1"]);
    const error = await createStatusCommand(deps)(["s.yaml"], captureIO({ env: {} }).io).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).kind).toBe("invalid");
    expect((error as UserError).message).toContain("export AWS_REGION=us-east-1");
  });

  it("rejects bad flags and arguments with usage errors (exit 2)", async () => {
    const run = (argv: string[]) => createStatusCommand(fakeDeps(plan, { backend: campaignBackend() }))(argv, captureIO().io);
    for (const argv of [
      [],
      ["a.yaml", "b.yaml"],
      ["s.yaml", "--bogus"],
      ["s.yaml", "--interval", "soon"],
      ["s.yaml", "--interval", "0s"],
      ["s.yaml", "--stack", "x", "--stack-outputs", "y"],
    ]) {
      const error = await run(argv).catch((e: unknown) => e);
      expect(error, argv.join(" ")).toBeInstanceOf(UsageError);
      expect((error as UsageError).kind).toBe("usage");
    }
    const help = captureIO();
    expect(await createStatusCommand(fakeDeps(plan, { backend: campaignBackend() }))(["--help"], help.io)).toBe(0);
    expect(help.stdout()).toContain("Usage: segsweep status FILE");
  });

  it("reports an invalid sweep file with its problems (exit 1)", async () => {
    const deps = {
      ...fakeDeps(plan, { backend: campaignBackend() }),
      planSweepFile: async () => ({
        ok: false as const,
        diagnostics: [
          {
            severity: "error" as const,
            file: "s.yaml",
            line: 3,
            column: 5,
            path: "hyperparameters.epochs",
            message: "epochs: 0 is out of range",
          },
        ],
      }),
    };
    const error = await createStatusCommand(deps)(["s.yaml"], captureIO().io).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).kind).toBe("invalid");
    expect((error as UserError).message).toContain("s.yaml:3:5 hyperparameters.epochs");
  });

  it("turns an access denial into a message that says what to check", async () => {
    const backend = campaignBackend();
    backend.searchJobs = async () => {
      throw new BackendError("access-denied", "User is not authorized to perform: sagemaker:Search", "AccessDeniedException");
    };
    const error = await createStatusCommand(fakeDeps(plan, { backend: backend }))(["s.yaml"], captureIO().io).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(/AccessDeniedException: User is not authorized[\s\S]*operator policy/);
  });
});
