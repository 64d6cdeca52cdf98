import { describe, expect, it } from "vitest";
import { driveCampaign, virtualClock } from "../../../bench/campaign-driver.js";
import { createCloudWatchMetricSource } from "../../../src/backend/cloudwatch-metrics.js";
import { createSageMakerBackend } from "../../../src/backend/sagemaker.js";
import type { JobSnapshot } from "../../../src/backend/types.js";
import type { CampaignObserver, StopDecision } from "../../../src/campaign/observer.js";
import { simulatedStackOutputs } from "../../../src/campaign/simulate.js";
import { createEarlyTermination } from "../../../src/campaign/stopping/early-termination.js";
import { planJobsSweepFile } from "../../../src/plan/plan-file.js";
import { simulatedTrainingSeconds } from "../../../src/standin/index.js";
import type { EarlyTermination } from "../../../src/sweep/early-termination.js";
import { sweepText, writeSweep } from "../../kit/cli.js";
import { standin } from "../../standin/helpers.js";

const CREDENTIALS = { accessKeyId: "TEST", secretAccessKey: "test-secret" };
const ASHA: EarlyTermination = { rule: "asha", minEpochs: 2, reductionFactor: 2 };

/**
 * A 12-point campaign, 8 epochs each, run through the real SDK against the stand-in's
 * SageMaker and CloudWatch with the bench's small campaign loop; `restartAt` replaces the
 * observer by a fresh one (a launcher killed and started again) at that tick.
 */
async function campaign(options: { restartAt?: number; concurrency?: number } = {}) {
  const file = writeSweep(
    sweepText("epochs: 8\nlearning_rate: [0.0005, 0.002, 0.005, 0.01, 0.02, 0.05]\nbackbone: [resnet-50, resnet-101]"),
  );
  const planned = await planJobsSweepFile(file);
  if (!planned.ok) throw new Error("plan");
  const plan = planned.plan;
  const clock = virtualClock(Date.UTC(2030, 0, 1));
  const target = await standin({ clock, duration: (r) => simulatedTrainingSeconds(r.HyperParameters ?? {}, 300), metricDelaySeconds: 60 });
  const backend = createSageMakerBackend({ region: "us-east-1", endpoint: target.endpoint, credentials: CREDENTIALS, clock });
  const source = createCloudWatchMetricSource({
    region: "us-east-1",
    endpoint: target.endpoint,
    credentials: CREDENTIALS,
    objective: plan.objective,
    clock,
  });
  let listing: readonly JobSnapshot[] = [];
  const make = () =>
    createEarlyTermination({
      config: ASHA,
      objective: plan.objective,
      source,
      epochsOf: () => 8,
      campaignJobs: async () =>
        listing.map((j) => ({ name: j.name, plannedName: j.name, createdAt: j.createdAt, ...(j.endedAt ? { endedAt: j.endedAt } : {}) })),
      clock,
    });
  let current = make();
  let ticks = 0;
  const observer: CampaignObserver = {
    intervalMs: current.intervalMs,
    explainStop: (name, signal) => current.explainStop(name, signal),
    observe: (running, signal) => {
      ticks += 1;
      if (ticks === options.restartAt) current = make();
      return current.observe(running, signal);
    },
  };
  const result = await driveCampaign({
    plan,
    order: plan.jobs,
    backend,
    stack: simulatedStackOutputs("us-east-1"),
    clock,
    concurrency: options.concurrency ?? 4,
    tickMs: 60_000,
    observer,
    onListing: (jobs) => {
      listing = jobs;
    },
  });
  const statuses = await Promise.all(plan.jobs.map(async (job) => [job.name, (await backend.describeJob(job.name)).status] as const));
  return { result, statuses: new Map(statuses), observer: current, source, stats: target.stats() };
}

const byName = (stops: readonly StopDecision[]) => [...stops].sort((a, b) => (a.name < b.name ? -1 : 1));

describe("early termination against the stand-in, end to end", () => {
  it("stops losing jobs through StopTrainingJob, once each, and explains every stop afterwards", async () => {
    const { result, statuses, observer, stats } = await campaign();
    expect(result.stops.length).toBeGreaterThan(3);
    expect(new Set(result.stops.map((s) => s.name)).size).toBe(result.stops.length);
    for (const stop of result.stops) {
      expect(statuses.get(stop.name)).toBe("Stopped");
      expect(await observer.explainStop(stop.name, new AbortController().signal)).toEqual(stop);
    }
    expect([...statuses.values()].filter((s) => s === "Completed").length).toBe(12 - result.stops.length);
    expect(stats.calls.StopTrainingJob).toBe(result.stops.length);
    // One GetMetricData call a tick: 12 jobs need 48 queries.
    expect(stats.calls.GetMetricData).toBeLessThanOrEqual(result.observations);
  });

  it("makes the same decisions when the launcher restarts mid-campaign", async () => {
    const straight = await campaign();
    const restarted = await campaign({ restartAt: 40 });
    expect(byName(restarted.result.stops)).toEqual(byName(straight.result.stops));
  });
});
