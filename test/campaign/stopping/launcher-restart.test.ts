import { describe, expect, it } from "vitest";
import { rehearse } from "../../../bench/early-termination/rehearse.js";
import { planSweepFile } from "../../../src/plan/plan-file.js";
import type { JobsPlan } from "../../../src/plan/types.js";
import { simulatedTrainingSeconds } from "../../../src/standin/index.js";
import { sweepText, writeSweep } from "../../kit/cli.js";

/**
 * The launcher's early termination (the observer `launch` builds from the plan) through the real
 * jobs engine, on the in-memory SageMaker and the stand-in's curves: a launcher aborted mid-way
 * and launched again makes the decisions an uninterrupted one makes, and never stops a job twice.
 */
async function studyPlan(): Promise<JobsPlan> {
  const file = writeSweep(
    sweepText(
      "epochs: 8\nlearning_rate: [0.0005, 0.002, 0.005, 0.01, 0.02, 0.05]\nbackbone: [resnet-50, resnet-101]",
      "early_termination: {rule: asha, min_epochs: 2, reduction_factor: 2}\n",
    ),
  );
  const planned = await planSweepFile(file);
  if (!planned.ok || planned.plan.engine !== "jobs") throw new Error("the study does not plan");
  return planned.plan;
}

async function campaign(concurrency: number, interruptAfterStops?: number) {
  const plan = await studyPlan();
  const byName = new Map(plan.jobs.map((job) => [job.name, job.hyperparameters]));
  return rehearse({
    plan,
    concurrency,
    durationMs: (name) => 1000 * simulatedTrainingSeconds(byName.get(name) ?? {}, 300),
    ...(interruptAfterStops !== undefined ? { interruptAfterStops } : {}),
  });
}

const sorted = (names: readonly string[]) => [...names].sort();
const terminated = (run: Awaited<ReturnType<typeof campaign>>) => sorted([...run.outcome.terminated.keys()]);

describe("early termination in the launcher", () => {
  it("stops losing jobs: they end terminated, with the rule's reason, counted apart and never retried", async () => {
    const run = await campaign(12);
    expect(run.outcome.outcome).toBe("finished");
    expect(run.outcome.terminated.size).toBeGreaterThan(0);
    expect(run.outcome.counts.terminated).toBe(run.outcome.terminated.size);
    expect(run.outcome.counts.failed).toBe(0);
    for (const reason of run.outcome.terminated.values()) expect(reason).toMatch(/rung|epoch/i);
    // Never retried: no attempt -r1 of any point.
    expect(run.jobs.every((job) => !/-r\d+$/.test(job.name))).toBe(true);
    expect(sorted(run.stopRequests)).toEqual(terminated(run));
  });

  for (const concurrency of [12, 4]) {
    it(`aborted after its first stops and launched again, it makes the uninterrupted run's decisions (concurrency ${concurrency})`, async () => {
      const whole = await campaign(concurrency);
      const resumed = await campaign(concurrency, 2);
      expect(resumed.launches).toBe(2);
      expect(resumed.outcome.outcome).toBe("finished");
      expect(terminated(resumed)).toEqual(terminated(whole));
      // Never a job stopped twice, and every stop is one the rule made.
      expect(new Set(resumed.stopRequests).size).toBe(resumed.stopRequests.length);
      expect(sorted(resumed.stopRequests)).toEqual(terminated(whole));
    });
  }
});
