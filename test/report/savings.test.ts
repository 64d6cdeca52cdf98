import { describe, expect, it } from "vitest";
import type { JobCurve } from "../../src/backend/metric-source.js";
import type { JobDetails } from "../../src/backend/types.js";
import { earlyTerminationSavings, formatSavings, worstCaseSeconds } from "../../src/report/savings.js";
import { makePlan, T0 } from "./fixtures.js";

const plan = makePlan({
  points: [
    { epochs: "10", learning_rate: "0.01" },
    { epochs: "10", learning_rate: "0.001" },
  ],
});
const [fast, slow] = plan.jobs.map((job) => job.name) as [string, string];

/** A curve of `n` epochs, one every `paceSeconds` from T0. */
function curve(name: string, n: number, paceSeconds: number): JobCurve {
  return {
    name,
    epochs: Array.from({ length: n }, (_, i) => ({
      epoch: i + 1,
      at: T0 + (i + 1) * paceSeconds * 1000,
      values: { "validation:mIOU": 0.1 * (i + 1) },
      exact: true,
    })),
  };
}

function stopped(name: string, billableSeconds?: number, instanceType = "ml.p3.2xlarge"): JobDetails {
  return {
    name,
    status: "Stopped",
    createdAt: T0,
    endedAt: T0 + 3_600_000,
    metrics: {},
    hyperparameters: {},
    instanceType,
    instanceCount: 1,
    ...(billableSeconds !== undefined ? { billableSeconds } : {}),
  };
}

describe("what early termination saved", () => {
  it("adds each terminated job's remaining epochs at the pace of its reported epochs", () => {
    // 3 epochs reported 600 s apart, 10 planned: 7 more epochs of 600 s.
    expect(worstCaseSeconds(2400, 10, curve(fast, 3, 600))).toBe(2400 + 7 * 600);
    // One epoch only: its billable time over the epochs reached.
    expect(worstCaseSeconds(900, 10, curve(fast, 1, 600))).toBe(900 * 10);
    expect(worstCaseSeconds(900, 10, undefined)).toBeNull();
  });

  it("sums hours and dollars over the terminated jobs only, at the instance's price", () => {
    const jobs = [stopped(fast, 2400), stopped(slow, 1800)];
    const savings = earlyTerminationSavings(plan, jobs, new Map([[fast, "ASHA: ..."]]), new Map([[fast, curve(fast, 3, 600)]]));
    expect(savings?.terminatedJobs).toBe(1);
    expect(savings?.billableHours).toBeCloseTo(2400 / 3600);
    expect(savings?.worstCaseHours).toBeCloseTo(6600 / 3600);
    expect(savings?.savedHours).toBeCloseTo(4200 / 3600);
    expect(savings?.savedUsd).toBeCloseTo((4200 / 3600) * 3.825);
  });

  it("keeps unknown unknown: no curve, no billable time or no price is null, never 0", () => {
    const noCurve = earlyTerminationSavings(plan, [stopped(fast, 2400)], new Map([[fast, "r"]]), new Map());
    expect(noCurve?.savedHours).toBeNull();
    expect(noCurve?.savedUsd).toBeNull();
    const noPrice = earlyTerminationSavings(
      plan,
      [stopped(fast, 2400, "ml.unknown.xlarge")],
      new Map([[fast, "r"]]),
      new Map([[fast, curve(fast, 3, 600)]]),
    );
    expect(noPrice?.savedHours).toBeCloseTo(4200 / 3600);
    expect(noPrice?.savedUsd).toBeNull();
    expect(formatSavings(noPrice as NonNullable<typeof noPrice>, false)).toMatch(/cost unknown/);
    expect(earlyTerminationSavings(plan, [stopped(fast, 2400)], new Map(), new Map())).toBeUndefined();
  });
});
