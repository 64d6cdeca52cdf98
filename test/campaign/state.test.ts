import { describe, expect, it } from "vitest";
import { endedRecord, plannedRecord, runningRecord } from "../../src/campaign/records.js";
import { CampaignState } from "../../src/campaign/state.js";
import { classifyJob, holdsSlot, isEndedState, JOB_STATES } from "../../src/campaign/states.js";

const A = "seg-0123456789ab";
const B = "seg-ba9876543210";

describe("the state vocabulary", () => {
  it.each([
    [{ status: "InProgress" }, false, "in-progress", undefined],
    [{ status: "Stopping" }, false, "stopping", undefined],
    [{ status: "Completed" }, false, "completed", undefined],
    [{ status: "Failed", failureReason: "CapacityError: Unable to provision" }, false, "failed", "capacity"],
    [{ status: "Failed", failureReason: "AlgorithmError: CUDA out of memory" }, false, "failed", "algorithm"],
    [{ status: "Stopped" }, false, "stopped", "stopped"],
    [{ status: "Stopped" }, true, "terminated", undefined],
    [{ status: "Stopped", secondaryStatus: "MaxWaitTimeExceeded" }, false, "failed", "capacity"],
    [{ status: "Deleting" }, false, "deleting", undefined],
  ] as const)("maps SageMaker's %j (stopped by the campaign: %s) to %s", (details, byCampaign, state, cause) => {
    expect(classifyJob(details, byCampaign)).toEqual({ state, ...(cause !== undefined ? { cause } : {}) });
  });

  it("counts a Stopping job as holding its instance, and only ended states as ended", () => {
    expect(JOB_STATES.filter(holdsSlot)).toEqual(["in-progress", "stopping"]);
    expect(JOB_STATES.filter(isEndedState)).toEqual(["completed", "failed", "stopped", "terminated", "deleting"]);
  });
});

describe("the campaign's state", () => {
  it("keeps running totals as records change: points by their latest attempt, jobs holding a slot, billable time", () => {
    const state = new CampaignState([plannedRecord(A, 0), plannedRecord(B, 0)]);
    expect(state.counts()).toEqual({ total: 2, done: 0, running: 0, queued: 2, failed: 0, stopped: 0, terminated: 0 });

    state.put(runningRecord({ name: A, status: "InProgress", createdAt: 1 }));
    state.put(runningRecord({ name: B, status: "Stopping", createdAt: 2 }));
    expect(state.counts()).toMatchObject({ running: 2, queued: 0 });
    expect(state.holding).toBe(2);

    const failed = {
      name: A,
      status: "Failed",
      createdAt: 1,
      failureReason: "CapacityError: x",
      billableSeconds: 100,
      instanceCount: 2,
    } as const;
    state.put(endedRecord({ ...failed, metrics: {}, hyperparameters: { a: "1" } }));
    state.put(plannedRecord(A, 1));
    state.put(endedRecord({ name: B, status: "Stopped", createdAt: 2, billableSeconds: 50, metrics: {}, hyperparameters: {} }, "rule"));
    expect(state.counts()).toEqual({ total: 2, done: 0, running: 0, queued: 1, failed: 0, stopped: 0, terminated: 1 });
    expect(state.holding).toBe(0);
    expect(state.billableInstanceSeconds).toBe(250);
    expect(state.costUsd(3.6)).toBeCloseTo(0.25);
    expect(state.costUsd(null)).toBeNull();
    // A record keeps no hyperparameters (the plan has them): it stays small.
    expect(state.get(A)?.details?.hyperparameters).toEqual({});
    expect(state.latest(A)?.name).toBe(`${A}-r1`);
  });

  it("does not let an older attempt's news change the point's state", () => {
    const state = new CampaignState([plannedRecord(A, 0)]);
    state.put(
      endedRecord({ name: A, status: "Failed", createdAt: 1, failureReason: "InternalServerError: x", metrics: {}, hyperparameters: {} }),
    );
    state.put(runningRecord({ name: `${A}-r1`, status: "InProgress", createdAt: 5 }));
    state.put(
      endedRecord({ name: A, status: "Failed", createdAt: 1, failureReason: "InternalServerError: x", metrics: {}, hyperparameters: {} }),
    );
    expect(state.counts()).toMatchObject({ total: 1, running: 1, failed: 0 });
  });
});
