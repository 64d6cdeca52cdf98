import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildCreateTrainingJobRequest } from "../../../src/backend/request.js";
import { createSageMakerBackend } from "../../../src/backend/sagemaker.js";
import type { TrainingBackend } from "../../../src/backend/types.js";
import { type CampaignDeps, defaultDeps } from "../../../src/cli/commands/deps.js";
import { createReportCommand } from "../../../src/cli/commands/report.js";
import { createStatusCommand } from "../../../src/cli/commands/status.js";
import { createStopCommand } from "../../../src/cli/commands/stop.js";
import type { PlannedJob } from "../../../src/plan/types.js";
import { StatusView } from "../../../src/report/status-view.js";
import { CampaignReport } from "../../../src/report/types.js";
import { type Standin, simulatedMetrics, startStandin } from "../../../src/standin/index.js";
import { captureIO } from "../../kit/cli.js";
import { STACK as STACK_OUTPUTS } from "../../kit/stack.js";
import { makePlan, T0 } from "../../report/fixtures.js";

/**
 * End to end through the real AWS SDK: jobs are created on the local SageMaker stand-in, its
 * clock is moved on, and the commands (with their default backend factory) read them back.
 */

const plan = makePlan({
  points: [
    { algorithm: "fcn", learning_rate: "0.01" },
    { algorithm: "psp", learning_rate: "0.01" },
    { algorithm: "deeplab", learning_rate: "0.01" },
    { algorithm: "deeplab", learning_rate: "0.0001" },
    { algorithm: "psp", learning_rate: "0.5" },
  ],
});
const [fcn, psp, deeplab, deeplabSlow, pspBad] = plan.jobs as [PlannedJob, PlannedJob, PlannedJob, PlannedJob, PlannedJob];
const other = makePlan({ campaign: "seg-lr-large", points: [{ algorithm: "deeplab", learning_rate: "0.01" }] });
const otherJob = other.jobs[0] as PlannedJob;

let standin: Standin | undefined;
afterEach(async () => {
  await standin?.close();
  standin = undefined;
});

/** A stand-in on a clock the test moves, where jobs take an hour and `pspBad` runs out of memory. */
async function start(clock: { time: number }): Promise<{ standin: Standin; backend: TrainingBackend }> {
  standin = await startStandin({
    clock: { now: () => clock.time },
    duration: () => 3600,
    outcome: (job) =>
      job.name === pspBad.name ? { failure: "algorithm", reason: "AlgorithmError: CUDA out of memory\ntraceback" } : "completed",
  });
  return { standin, backend: createSageMakerBackend({ region: "us-east-1", endpoint: standin.endpoint }) };
}

/** The real backend factory; the plan by hand, and the stand-in's clock. */
function deps(clock: { time: number }): CampaignDeps {
  return {
    ...defaultDeps,
    planSweepFile: async () => ({ ok: true, plan }),
    clock: {
      now: () => clock.time,
      sleep: async (ms) => {
        clock.time += ms;
      },
    },
  };
}

function io(endpoint: string) {
  return captureIO({ env: { AWS_REGION: "us-east-1", AWS_ENDPOINT_URL_SAGEMAKER: endpoint } });
}

describe("status, stop and report against the SageMaker stand-in", () => {
  it("report ranks the campaign by validation:mIOU, counting a retried point once", async () => {
    const clock = { time: T0 };
    const { standin: server, backend } = await start(clock);
    for (const job of [fcn, psp, deeplab, deeplabSlow, pspBad])
      await backend.createJob(buildCreateTrainingJobRequest(plan, job, 0, STACK_OUTPUTS));
    await backend.createJob(buildCreateTrainingJobRequest(other, otherJob, 0, STACK_OUTPUTS));
    clock.time += 2 * 3_600_000;
    // The failed point is tried again, as the launcher would, and completes this time.
    await backend.createJob(buildCreateTrainingJobRequest(plan, pspBad, 1, STACK_OUTPUTS));
    clock.time += 2 * 3_600_000;

    const out = io(server.endpoint);
    const cwd = mkdtempSync(join(tmpdir(), "segsweep-report-"));
    expect(await createReportCommand(deps(clock))(["sweeps/seg-lr.yaml", "--format", "json"], { ...out.io, cwd })).toBe(0);
    const report = CampaignReport.parse(JSON.parse(out.stdout()));

    const expected = [fcn, psp, deeplab, deeplabSlow, pspBad]
      .map((job) => ({ job: job === pspBad ? `${job.name}-r1` : job.name, objective: simulatedMetrics(job.hyperparameters).mIOU }))
      .sort((a, b) => b.objective - a.objective || a.job.localeCompare(b.job));
    expect(report.leaderboard.map((row) => ({ job: row.job, objective: row.objective }))).toEqual(expected);
    expect(report.best?.hyperparameters).toEqual(plan.jobs.find((job) => expected[0]?.job.startsWith(job.name))?.hyperparameters);
    expect(report.counts).toMatchObject({ planned: 5, completed: 5, failed: 0, attempts: 6 });
    expect(report.failures).toEqual([{ reason: "AlgorithmError: CUDA out of memory", count: 1, exampleJob: pspBad.name, retried: 1 }]);
    expect(report.cost.billableSeconds).toBeGreaterThan(0);
    expect(report.leaderboard.some((row) => row.job.startsWith("seg-lr-large"))).toBe(false);
    // One Search (6 jobs fit one page): every record with its metrics and tags, no describe.
    expect(server.stats().calls).toEqual({ CreateTrainingJob: 7, Search: 1 });
  });

  it("status shows running and not-started points, and stop stops only the campaign's running jobs, once", async () => {
    const clock = { time: T0 };
    const { standin: server, backend } = await start(clock);
    for (const job of [fcn, psp]) await backend.createJob(buildCreateTrainingJobRequest(plan, job, 0, STACK_OUTPUTS));
    await backend.createJob(buildCreateTrainingJobRequest(other, otherJob, 0, STACK_OUTPUTS));
    clock.time += 10 * 60_000;

    const status = io(server.endpoint);
    await createStatusCommand(deps(clock))(["s.yaml", "--json"], status.io);
    const view = StatusView.parse(JSON.parse(status.stdout()));
    expect(view.jobs.map((row) => row.state)).toEqual(["in-progress", "in-progress", "not-started", "not-started", "not-started"]);
    expect(view.jobs[0]?.elapsedSeconds).toBe(600);

    const first = io(server.endpoint);
    expect(await createStopCommand(deps(clock))(["s.yaml", "--yes"], first.io)).toBe(0);
    expect(first.stdout()).toContain("Asked SageMaker to stop 2 training jobs of campaign seg-lr");
    const second = io(server.endpoint);
    expect(await createStopCommand(deps(clock))(["s.yaml", "--yes"], second.io)).toBe(0);
    expect(second.stdout()).toMatch(/^Nothing to stop: no training job of campaign seg-lr is in progress/);

    const listed = await backend.listJobs("seg-lr-");
    const statusOf = Object.fromEntries(listed.map((job) => [job.name, job.status]));
    expect(statusOf[fcn.name]).toMatch(/^Stopp(ing|ed)$/);
    expect(statusOf[psp.name]).toMatch(/^Stopp(ing|ed)$/);
    expect(statusOf[otherJob.name]).toBe("InProgress");
    expect(server.stats().calls.StopTrainingJob).toBe(2);
  });
});
