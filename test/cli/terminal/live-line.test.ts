import { describe, expect, it } from "vitest";
import type { CampaignView } from "../../../src/campaign/events.js";
import { progressFigures } from "../../../src/campaign/progress-figures.js";
import { endedRecord, plannedRecord, runningRecord } from "../../../src/campaign/records.js";
import { CampaignState } from "../../../src/campaign/state.js";
import { fitParts, liveLine } from "../../../src/cli/format/live-line.js";
import { createProgress } from "../../../src/cli/progress.js";
import type { CostBound } from "../../../src/plan/types.js";

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);
const cost: CostBound = {
  instanceType: "ml.p3.2xlarge",
  instanceCount: 1,
  usdPerHour: 3.825,
  maxRuntimeSeconds: 3 * 3600,
  perJobUsd: 11.48,
  totalUsd: 68.85,
  spot: false,
};

/** Six points: two completed (1 h and 2 h, 1 h and 2 h billable), two running since T0+2h, two queued. */
function midCampaign(): CampaignState {
  const state = new CampaignState(["a", "b", "c", "d", "e", "f"].map((name) => plannedRecord(`seg-${name}`, 0)));
  const ended = (name: string, hours: number): void =>
    state.put(
      endedRecord({
        name: `seg-${name}`,
        status: "Completed",
        createdAt: T0,
        endedAt: T0 + hours * HOUR,
        billableSeconds: hours * 3600,
        instanceCount: 1,
        metrics: {},
        hyperparameters: {},
      }),
    );
  ended("a", 1);
  ended("b", 2);
  for (const name of ["c", "d"]) state.put(runningRecord({ name: `seg-${name}`, status: "InProgress", createdAt: T0 + 2 * HOUR }));
  return state;
}

describe("the live line's figures", () => {
  it("counts running jobs' time so far in the cost, the worst case left, and estimates the time left from completed jobs", () => {
    const state = midCampaign();
    const figures = progressFigures(state, cost, T0 + 2.5 * HOUR, 2);
    // Ended: 3 h billable; running: 2 × 0.5 h so far. 4 h × $3.825.
    expect(figures.spentUsd).toBeCloseTo(4 * 3.825, 9);
    // Running: 2 × 2.5 h left of 3 h; queued: 2 × 3 h. 11 h × $3.825.
    expect(figures.worstLeftUsd).toBeCloseTo(11 * 3.825, 9);
    // Mean completed 1.5 h: running need 1 h each, queued 1.5 h each: (2 + 3) h over 2 slots.
    expect(figures.etaMs).toBe(2.5 * HOUR);
  });

  it("makes no estimate before a job has completed, and no dollars without a price", () => {
    const state = new CampaignState([plannedRecord("seg-a", 0)]);
    state.put(runningRecord({ name: "seg-a", status: "InProgress", createdAt: T0 }));
    const figures = progressFigures(state, { ...cost, usdPerHour: null }, T0 + HOUR, 1);
    expect(figures.etaMs).toBeUndefined();
    expect(figures.spentUsd).toBeNull();
    expect(figures.worstLeftUsd).toBeNull();
  });
});

describe("the live line", () => {
  const state = midCampaign();
  const view: CampaignView = {
    counts: state.counts(),
    costUsd: state.costUsd(3.825),
    concurrency: 2,
    elapsedMs: 2.5 * HOUR,
    figures: progressFigures(state, cost, T0 + 2.5 * HOUR, 2),
  };

  it("shows counts, cost so far, worst case left, elapsed and time left when there is room", () => {
    expect(liveLine(view, false, 200)).toBe(
      "Jobs 2/6 done · 2 running · 2 queued · 0 failed · $15.30 so far · ≤$42.08 more at worst · 2h30m elapsed · ~2h30m left",
    );
  });

  it("fits any width by leaving out the least important parts whole, never wrapping", () => {
    for (const width of [40, 60, 80, 100, 120]) {
      const line = liveLine(view, true, width);
      expect([...line].length).toBeLessThan(width);
      expect(line.startsWith("[simulated] Jobs 2/6 done")).toBe(true);
      // Every part that is there is whole.
      for (const part of line.replace("[simulated] ", "").split(" · ")) {
        expect(liveLine(view, false, 500).split(" · ")).toContain(part);
      }
    }
    expect(liveLine(view, false, 80)).toBe("Jobs 2/6 done · 2 running · $15.30 so far · 2h30m elapsed · ~2h30m left");
  });

  it("keeps failures once there are some, before less important parts", () => {
    const failed: CampaignView = { ...view, counts: { ...view.counts, failed: 1, queued: 1 } };
    expect(liveLine(failed, false, 40)).toBe("Jobs 2/6 done · 2 running · 1 failed");
  });

  it("keeps the most important part even when nothing else fits", () => {
    expect(
      fitParts(
        [
          { text: "first", rank: 1 },
          { text: "most important", rank: 9 },
        ],
        5,
      ),
    ).toBe("most important");
  });
});

describe("an outage on the progress output", () => {
  it("is said once, with the cause and that it is retrying, then again only for a new outage", () => {
    let text = "";
    const progress = createProgress({
      stream: { write: (chunk: string) => (text += chunk) },
      tty: false,
      simulated: false,
      objective: "validation:mIOU",
    });
    const view: CampaignView = { counts: new CampaignState().counts(), costUsd: 0, concurrency: 1, elapsedMs: 0 };
    for (let i = 0; i < 5; i++)
      progress.observe({ type: "throttled", operation: "ListTrainingJobs", waitMs: 500, code: "ECONNREFUSED" }, view);
    progress.observe({ type: "created", name: "seg-a", attempt: 0, existed: false }, view);
    progress.observe({ type: "throttled", operation: "CreateTrainingJob", waitMs: 500, code: "ThrottlingException" }, view);
    const lines = text.trimEnd().split("\n");
    expect(lines.filter((line) => line.startsWith("AWS is"))).toEqual([
      "AWS is not answering ListTrainingJobs (ECONNREFUSED): retrying for up to about a minute and a half; jobs keep running meanwhile.",
      "AWS is throttling CreateTrainingJob: retrying for up to about a minute and a half; jobs keep running meanwhile.",
    ]);
  });
});
