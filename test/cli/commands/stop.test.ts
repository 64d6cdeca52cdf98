import { describe, expect, it } from "vitest";
import { BackendError } from "../../../src/backend/types.js";
import { createStopCommand } from "../../../src/cli/commands/stop.js";
import { UsageError } from "../../../src/errors.js";
import { captureIO } from "../../kit/cli.js";
import { fakeDeps } from "../../kit/deps.js";
import { type InMemorySageMaker, sageMakerWith } from "../../kit/sagemaker.js";
import { completed, jobDetails, makePlan } from "../../report/fixtures.js";

const plan = makePlan({
  points: [{ learning_rate: "0.001" }, { learning_rate: "0.01" }, { learning_rate: "0.1" }, { learning_rate: "0.2" }],
});
const [a, b, c, d] = plan.jobs.map((job) => job.name) as [string, string, string, string];
const LOOK_ALIKE = "seg-lr-large-0123456789ab";
const NO_LONGER_PLANNED = "seg-lr-fedcba987654";

/** a running, b's retry running, c completed, d stopping; plus running jobs that are not this plan's. */
function campaignBackend(): InMemorySageMaker {
  return sageMakerWith([
    jobDetails(a, { status: "InProgress" }),
    jobDetails(b, { status: "Failed" }),
    jobDetails(`${b}-r1`, { status: "InProgress" }),
    completed(c, 0.5),
    jobDetails(d, { status: "Stopping" }),
    jobDetails(LOOK_ALIKE, { status: "InProgress" }),
    jobDetails(NO_LONGER_PLANNED, { status: "InProgress" }),
  ]);
}

describe("segsweep stop", () => {
  it("stops every in-progress job of the campaign, retries included, and nothing else", async () => {
    const backend = campaignBackend();
    const out = captureIO();
    const code = await createStopCommand(fakeDeps(plan, { backend }))(["sweeps/seg-lr.yaml", "--yes"], out.io);
    expect(code).toBe(0);
    expect([...backend.stopRequests].sort()).toEqual([a, `${b}-r1`].sort());
    expect(backend.jobs.get(LOOK_ALIKE)?.details.status).toBe("InProgress");
    expect(backend.jobs.get(NO_LONGER_PLANNED)?.details.status).toBe("InProgress");
    expect(out.stdout()).toContain(`  stopping ${a}\n`);
    expect(out.stdout()).toContain(`  stopping ${b}-r1\n`);
    expect(out.stdout()).toContain("Asked SageMaker to stop 2 training jobs of campaign seg-lr");
    expect(out.stdout()).toContain("Follow with: npx segsweep status sweeps/seg-lr.yaml --watch");
    expect(out.stderr()).toContain(
      `Not stopping 1 in-progress job named like this campaign's but no longer in sweeps/seg-lr.yaml (the file changed since): ${NO_LONGER_PLANNED}`,
    );
    expect(backend.calls.ListTrainingJobs).toBe(1);
  });

  it("is idempotent: a second run stops nothing and says so", async () => {
    const backend = campaignBackend();
    const deps = fakeDeps(plan, { backend });
    await createStopCommand(deps)(["s.yaml", "--yes"], captureIO().io);
    const again = captureIO();
    expect(await createStopCommand(deps)(["s.yaml", "--yes"], again.io)).toBe(0);
    expect(backend.stopRequests).toHaveLength(2);
    expect(again.stdout()).toBe("Nothing to stop: no training job of campaign seg-lr is in progress (3 jobs already stopping).\n");
  });

  it("needs no --yes when there is nothing to stop", async () => {
    const backend = sageMakerWith([completed(a, 0.5)]);
    const out = captureIO();
    expect(await createStopCommand(fakeDeps(plan, { backend }))(["s.yaml"], out.io)).toBe(0);
    expect(out.stdout()).toBe("Nothing to stop: no training job of campaign seg-lr is in progress.\n");
  });

  it("refuses to stop off a terminal without --yes (exit 2), stopping nothing", async () => {
    const backend = campaignBackend();
    const error = await createStopCommand(fakeDeps(plan, { backend }))(["s.yaml"], captureIO().io).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe(
      "Stop 2 in-progress training jobs of campaign seg-lr? Not on a terminal, so nothing was asked: pass --yes to stop them.",
    );
    expect(backend.stopRequests).toEqual([]);
  });

  it("asks on a terminal, and stops only after a yes", async () => {
    const questions: string[] = [];
    const declined = campaignBackend();
    const no = captureIO({ tty: true, confirm: async (question) => (questions.push(question), false) });
    expect(await createStopCommand(fakeDeps(plan, { backend: declined }))(["s.yaml"], no.io)).toBe(1);
    expect(declined.stopRequests).toEqual([]);
    expect(no.stdout()).toBe("Nothing stopped.\n");

    const accepted = campaignBackend();
    const yes = captureIO({ tty: true, confirm: async (question) => (questions.push(question), true) });
    expect(await createStopCommand(fakeDeps(plan, { backend: accepted }))(["s.yaml"], yes.io)).toBe(0);
    expect(accepted.stopRequests).toHaveLength(2);
    expect(questions).toEqual([
      "Stop 2 in-progress training jobs of campaign seg-lr?",
      "Stop 2 in-progress training jobs of campaign seg-lr?",
    ]);
  });

  it("treats a job that ended between the listing and the stop as not needing a stop", async () => {
    const backend = campaignBackend();
    const listJobs = backend.listJobs.bind(backend);
    backend.listJobs = async (prefix) => {
      const listed = await listJobs(prefix);
      backend.update(a, { status: "Completed" }); // finishes right after being listed
      return listed;
    };
    const out = captureIO();
    expect(await createStopCommand(fakeDeps(plan, { backend }))(["s.yaml", "--yes"], out.io)).toBe(0);
    expect(out.stdout()).toContain(`  ${a} was no longer in progress (Completed)`);
    expect(out.stdout()).toContain("Asked SageMaker to stop 1 training job of campaign seg-lr");
  });

  it("exits 1 and says so when SageMaker refuses a stop", async () => {
    const backend = campaignBackend();
    backend.failStops.set(
      a,
      new BackendError("access-denied", "not authorized to perform sagemaker:StopTrainingJob", "AccessDeniedException"),
    );
    const out = captureIO();
    expect(await createStopCommand(fakeDeps(plan, { backend }))(["s.yaml", "--yes"], out.io)).toBe(1);
    expect(out.stdout()).toContain(`  could not stop ${a}: AccessDeniedException: not authorized to perform sagemaker:StopTrainingJob`);
    expect(out.stderr()).toContain("Could not stop 1 job; run `npx segsweep stop s.yaml` again");
    expect(backend.jobs.get(`${b}-r1`)?.details.status).toBe("Stopping");
  });

  it("rejects unknown flags (exit 2)", async () => {
    const error = await createStopCommand(fakeDeps(plan, { backend: campaignBackend() }))(["s.yaml", "--force"], captureIO().io).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toContain("Usage: segsweep stop FILE");
  });
});
