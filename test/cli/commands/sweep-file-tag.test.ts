import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sweepFileLocation } from "../../../src/campaign/git.js";
import { TAG_CAMPAIGN, TAG_SWEEP_FILE } from "../../../src/catalog/sagemaker-api.js";
import { defaultDeps } from "../../../src/cli/commands/deps.js";
import { createLaunchCommand } from "../../../src/cli/commands/launch.js";
import { createReportCommand } from "../../../src/cli/commands/report.js";
import { createStatusCommand } from "../../../src/cli/commands/status.js";
import { makePlan } from "../../campaign/fixtures.js";
import { captureIO } from "../../kit/cli.js";
import { createFakeClock } from "../../kit/clock.js";
import { fakeDeps } from "../../kit/deps.js";
import { InMemorySageMaker, sageMakerWith } from "../../kit/sagemaker.js";
import { jobDetails, makePlan as reportPlan } from "../../report/fixtures.js";

/** The segsweep:sweep-file tag and the journal's home do not depend on the working directory. */

function repository(): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), "segsweep-repo-")));
  execFileSync("git", ["init", "-q", root]);
  mkdirSync(join(root, "sweeps"));
  return root;
}

/** The sweep-file tag of the requests `launch --dry-run FILE` prints from `cwd`. */
async function taggedFile(file: string, cwd: string): Promise<string | undefined> {
  const plan = makePlan({ jobs: 1 });
  const clock = createFakeClock();
  const deps = {
    ...fakeDeps(plan, { backend: new InMemorySageMaker({ clock, durationMs: () => 1000 }), clock }),
    sweepFileLocation: defaultDeps.sweepFileLocation,
  };
  const out = captureIO({ cwd });
  expect(await createLaunchCommand(deps)([file, "--dry-run", "--skip-preflight"], out.io)).toBe(0);
  const [request] = JSON.parse(out.stdout()) as { Tags: { Key: string; Value: string }[] }[];
  return request?.Tags.find((tag) => tag.Key === "segsweep:sweep-file")?.Value;
}

describe("the sweep file's tag", () => {
  it("is the path from the git root, launched from sweeps/, from the root, or with an absolute path", async () => {
    const root = repository();
    expect(await taggedFile("quickstart.yaml", join(root, "sweeps"))).toBe("sweeps/quickstart.yaml");
    expect(await taggedFile("sweeps/quickstart.yaml", root)).toBe("sweeps/quickstart.yaml");
    expect(await taggedFile(join(root, "sweeps", "quickstart.yaml"), tmpdir())).toBe("sweeps/quickstart.yaml");
  });

  it("keeps the journal at the git root wherever launch runs", async () => {
    const root = repository();
    expect(await sweepFileLocation("quickstart.yaml", join(root, "sweeps"))).toEqual({ home: root, relative: "sweeps/quickstart.yaml" });
    expect(await sweepFileLocation("sweeps/quickstart.yaml", root)).toEqual({ home: root, relative: "sweeps/quickstart.yaml" });
  });

  it("outside git is the path from the working directory, and never an absolute path", async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), "segsweep-nogit-")));
    mkdirSync(join(dir, "sweeps"));
    expect(await sweepFileLocation("sweeps/a.yaml", dir)).toEqual({ home: dir, relative: "sweeps/a.yaml" });
    expect(await sweepFileLocation(join(dir, "sweeps", "a.yaml"), dir)).toEqual({ home: dir, relative: "sweeps/a.yaml" });
    // Above the working directory: its base name, not ../ nor the absolute path.
    expect(await sweepFileLocation(join(dir, "a.yaml"), join(dir, "sweeps"))).toEqual({ home: join(dir, "sweeps"), relative: "a.yaml" });
  });
});

describe("status and report name the file that launched a job", () => {
  const plan = reportPlan({ points: [{ learning_rate: "0.001" }, { learning_rate: "0.01" }] });
  const [a, b] = plan.jobs.map((job) => job.name) as [string, string];
  const backend = () =>
    sageMakerWith([
      jobDetails(a, { tags: { [TAG_CAMPAIGN]: plan.campaign, [TAG_SWEEP_FILE]: "sweeps/seg-lr.yaml" } }),
      jobDetails(b, { status: "InProgress", tags: { [TAG_CAMPAIGN]: plan.campaign, [TAG_SWEEP_FILE]: "sweeps/other.yaml" } }),
    ]);

  it("when it is another file than the one given", async () => {
    for (const command of [createReportCommand, createStatusCommand]) {
      const out = captureIO();
      expect(await command(fakeDeps(plan, { backend: backend() }))(["sweeps/seg-lr.yaml"], out.io)).toBe(0);
      expect(out.stderr()).toBe(
        `Jobs of campaign ${plan.campaign} were launched from another sweep file than sweeps/seg-lr.yaml: sweeps/other.yaml (1 job). ` +
          `Sweep files that share \`name: ${plan.campaign}\` share one campaign; give each its own name.\n`,
      );
    }
  });

  it("and says nothing when every job came from the file given", async () => {
    const out = captureIO();
    await createReportCommand(fakeDeps(plan, { backend: backend() }))(["sweeps/other.yaml"], out.io);
    expect(out.stderr()).toContain("launched from another sweep file than sweeps/other.yaml: sweeps/seg-lr.yaml (1 job)");
    const same = sageMakerWith([jobDetails(a, { tags: { [TAG_CAMPAIGN]: plan.campaign, [TAG_SWEEP_FILE]: "sweeps/seg-lr.yaml" } })]);
    const quiet = captureIO();
    await createReportCommand(fakeDeps(plan, { backend: same }))(["sweeps/seg-lr.yaml"], quiet.io);
    expect(quiet.stderr()).toBe("");
  });
});
