import { describe, expect, it } from "vitest";
import type { TuningJobDetails, TuningTrainingJob } from "../../src/backend/tuning.js";
import { isTuningJobMember } from "../../src/campaign/membership.js";
import type { TuningJobView } from "../../src/campaign/tuning-read.js";
import { renderTuningJobs, summarizeTuningJobs } from "../../src/report/tuning.js";

const COUNTERS = { completed: 0, inProgress: 0, retryableError: 0, nonRetryableError: 0, stopped: 0 };

function details(status: TuningJobDetails["status"], best?: TuningTrainingJob): TuningJobDetails {
  return { name: "seg-a1b2c3d4", arn: "arn", status, createdAt: 0, trainingJobs: COUNTERS, maxTrainingJobs: 4, ...(best ? { best } : {}) };
}

function job(name: string, status: TuningTrainingJob["status"], value?: number): TuningTrainingJob {
  return {
    name,
    status,
    createdAt: 0,
    tunedHyperparameters: {},
    ...(value !== undefined ? { objective: { metric: "validation:mIOU", value } } : {}),
  };
}

const JOBS = [
  job("seg-a1b2c3d4-001-00000001", "Completed", 0.6),
  job("seg-a1b2c3d4-002-00000002", "Stopped"),
  job("seg-a1b2c3d4-003-00000003", "Stopped"),
];

describe("a tuning job's summary", () => {
  it("names the jobs AMT stopped early, but not one SageMaker stopped at its max_runtime", () => {
    const view: TuningJobView = { name: "seg-a1b2c3d4", branch: 1, details: details("Completed", JOBS[0]), trainingJobs: JOBS };
    const [summary] = summarizeTuningJobs([view], [4], new Map([["seg-a1b2c3d4-003-00000003", "MaxRuntimeExceeded"]]));
    expect(summary).toMatchObject({
      status: "Completed",
      trainingJobs: 3,
      maxTrainingJobs: 4,
      best: { job: "seg-a1b2c3d4-001-00000001", objective: 0.6 },
      stoppedByAmt: ["seg-a1b2c3d4-002-00000002"],
      stoppedWithTuningJob: 0,
    });
    expect(renderTuningJobs(summarizeTuningJobs([view], [4]))).toContain("AMT stopped 2 jobs early");
  });

  it("does not blame AMT for jobs stopped while the tuning job itself was stopped", () => {
    const view: TuningJobView = { name: "seg-a1b2c3d4", branch: 1, details: details("Stopped"), trainingJobs: JOBS };
    const [summary] = summarizeTuningJobs([view], [4]);
    expect(summary?.stoppedByAmt).toEqual([]);
    expect(summary?.stoppedWithTuningJob).toBe(2);
    expect(summary?.best).toBeNull();
  });

  it("shows a tuning job not created yet as not-started with the plan's budget", () => {
    const [summary] = summarizeTuningJobs([{ name: "seg-b", branch: 2, trainingJobs: [] }], [7]);
    expect(summary).toMatchObject({ status: "not-started", trainingJobs: 0, maxTrainingJobs: 7 });
  });
});

describe("membership of the jobs AMT names itself", () => {
  it("joins by the tuning job's name as prefix and, when tags are known, the campaign tag", () => {
    const names = ["seg-a1b2c3d4"];
    expect(isTuningJobMember({ name: "seg-a1b2c3d4-001-0f0f0f0f", createdAt: 0 }, names, "seg")).toBe(true);
    expect(isTuningJobMember({ name: "SEG-A1B2C3D4-002-0f0f0f0f", createdAt: 0, tags: { "segsweep:campaign": "seg" } }, names, "seg")).toBe(
      true,
    );
    expect(
      isTuningJobMember({ name: "seg-a1b2c3d4-001-0f0f0f0f", createdAt: 0, tags: { "segsweep:campaign": "other" } }, names, "seg"),
    ).toBe(false);
    expect(isTuningJobMember({ name: "seg-a1b2c3d5-001-0f0f0f0f", createdAt: 0 }, names, "seg")).toBe(false);
    expect(isTuningJobMember({ name: "seg-a1b2c3d4", createdAt: 0 }, names, "seg")).toBe(false);
  });
});
