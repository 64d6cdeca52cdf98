import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createLaunchCommand } from "../../../src/cli/commands/launch.js";
import { createStopCommand } from "../../../src/cli/commands/stop.js";
import { makePlan as campaignPlan } from "../../campaign/fixtures.js";
import { captureIO } from "../../kit/cli.js";
import { createFakeClock } from "../../kit/clock.js";
import { fakeDeps } from "../../kit/deps.js";
import { InMemorySageMaker, sageMakerWith } from "../../kit/sagemaker.js";
import { jobDetails, makePlan } from "../../report/fixtures.js";

/** The hints of `launch` (after Ctrl-C) and `stop` keep the flags given, and run segsweep as it can be run here. */

describe("hints keep the user's flags", () => {
  it("after Ctrl-C, launch's follow, status and stop commands name the same --stack-outputs file", async () => {
    const clock = createFakeClock();
    const plan = campaignPlan({ jobs: 4, maxConcurrency: 2 });
    const backend = new InMemorySageMaker({ clock, durationMs: () => 3_600_000 });
    const controller = new AbortController();
    const create = backend.createJob.bind(backend);
    backend.createJob = async (request) => {
      const result = await create(request);
      controller.abort();
      return result;
    };
    const out = captureIO({ cwd: mkdtempSync(join(tmpdir(), "segsweep-hints-")), signal: controller.signal });
    const code = await createLaunchCommand(fakeDeps(plan, { backend, clock }))(
      ["sweeps/my sweep.yaml", "--yes", "--stack-outputs", "out.json"],
      out.io,
    );
    expect(code).toBe(130);
    expect(out.stderr()).toContain(
      "  Follow them and launch the rest:  npx segsweep launch 'sweeps/my sweep.yaml' --stack-outputs out.json\n",
    );
    expect(out.stderr()).toContain(
      "  Follow them only:                 npx segsweep status 'sweeps/my sweep.yaml' --watch --stack-outputs out.json\n",
    );
    expect(out.stderr()).toContain(
      "  Stop them:                        npx segsweep stop 'sweeps/my sweep.yaml' --stack-outputs out.json\n",
    );
  });

  it("stop's follow-up keeps --stack", async () => {
    const plan = makePlan({ points: [{ learning_rate: "0.001" }] });
    const backend = sageMakerWith([jobDetails(plan.jobs[0]!.name, { status: "InProgress" })]);
    const out = captureIO();
    expect(await createStopCommand(fakeDeps(plan, { backend }))(["sweeps/seg-lr.yaml", "--yes", "--stack", "dev"], out.io)).toBe(0);
    expect(out.stdout()).toContain("Follow with: npx segsweep status sweeps/seg-lr.yaml --watch --stack dev\n");
  });
});
