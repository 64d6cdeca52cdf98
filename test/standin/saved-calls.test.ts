import { appendFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildCreateTrainingJobRequest } from "../../src/backend/request.js";
import { createSageMakerBackend } from "../../src/backend/sagemaker.js";
import { startStandin } from "../../src/standin/index.js";
import { fileRecorder, readSaved } from "../../src/standin/saved-calls.js";
import { STACK } from "../kit/stack.js";
import { makePlan } from "../report/fixtures.js";

const CREDENTIALS = { accessKeyId: "TEST", secretAccessKey: "test-secret" };
const plan = makePlan({ points: [{ learning_rate: "0.01" }, { learning_rate: "0.001" }] });

describe("the stand-in's saved calls", () => {
  it("rebuilds the account in a new stand-in: the same jobs, in the same states, a stop included", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "segsweep-saved-")), "standin.jsonl");
    let now = Date.UTC(2030, 0, 1);
    const clock = { now: () => now };
    const first = await startStandin({ clock, recorder: fileRecorder(path), duration: () => 3600 });
    const backend = createSageMakerBackend({ region: "us-east-1", endpoint: first.endpoint, credentials: CREDENTIALS });
    for (const job of plan.jobs) await backend.createJob(buildCreateTrainingJobRequest(plan, job, 0, STACK));
    now += 600_000;
    await backend.stopJob(plan.jobs[0]?.name ?? "");
    await backend.describeJob(plan.jobs[1]?.name ?? "");
    await first.close();

    now += 7_200_000;
    const second = await startStandin({ clock, recorder: fileRecorder(path), duration: () => 3600 });
    const again = createSageMakerBackend({ region: "us-east-1", endpoint: second.endpoint, credentials: CREDENTIALS });
    const statuses = await Promise.all(plan.jobs.map(async (job) => (await again.describeJob(job.name)).status));
    expect(statuses).toEqual(["Stopped", "Completed"]);
    // Creating again is refused as on SageMaker: the job exists.
    expect(await again.createJob(buildCreateTrainingJobRequest(plan, plan.jobs[1] ?? plan.jobs[0]!, 0, STACK))).toBe("exists");
    await second.close();
    // Only the calls that changed the account were saved: two creates and a stop (describes are not).
    expect(readSaved(path).map((call) => (call.kind === "call" ? call.operation : call.kind))).toEqual([
      "CreateTrainingJob",
      "CreateTrainingJob",
      "StopTrainingJob",
    ]);
  });

  it("ignores a torn last line (a crash mid-write) and everything after a line it cannot read", () => {
    const path = join(mkdtempSync(join(tmpdir(), "segsweep-saved-")), "standin.jsonl");
    appendFileSync(path, `${JSON.stringify({ kind: "clock", at: 5 })}\n{"kind":"call","at":6,"operat`);
    expect(readSaved(path)).toEqual([{ kind: "clock", at: 5 }]);
  });
});
