import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import packageJson from "../../../package.json" with { type: "json" };
import { createReportCommand } from "../../../src/cli/commands/report.js";
import { createStopCommand } from "../../../src/cli/commands/stop.js";
import { StopSummary } from "../../../src/cli/commands/stop-summary.js";
import { segsweepVersion } from "../../../src/cli/version.js";
import { UsageError } from "../../../src/errors.js";
import { CampaignReport } from "../../../src/report/types.js";
import { captureIO, runCli } from "../../kit/cli.js";
import { fakeDeps } from "../../kit/deps.js";
import { sageMakerWith } from "../../kit/sagemaker.js";
import { completed, jobDetails, makePlan } from "../../report/fixtures.js";

/** `--json` on every command that prints data, and `segsweep --version`. */

const plan = makePlan({ points: [{ learning_rate: "0.001" }, { learning_rate: "0.01" }, { learning_rate: "0.1" }] });
const [a, b, c] = plan.jobs.map((job) => job.name) as [string, string, string];

describe("--json", () => {
  it("report --json is report --format json", async () => {
    const backend = () => sageMakerWith([completed(a, 0.5), jobDetails(b, { status: "InProgress" })]);
    const viaJson = captureIO();
    const viaFormat = captureIO();
    expect(await createReportCommand(fakeDeps(plan, { backend: backend() }))(["s.yaml", "--json"], viaJson.io)).toBe(0);
    await createReportCommand(fakeDeps(plan, { backend: backend() }))(["s.yaml", "--format", "json"], viaFormat.io);
    expect(CampaignReport.parse(JSON.parse(viaJson.stdout())).campaign).toBe(plan.campaign);
    expect(viaJson.stdout()).toBe(viaFormat.stdout());
    await expect(
      createReportCommand(fakeDeps(plan, { backend: backend() }))(["s.yaml", "--json", "--format", "csv"], captureIO().io),
    ).rejects.toThrow(UsageError);
  });

  it("stop --json prints one object: what was stopped, what had ended, what was left alone", async () => {
    const backend = sageMakerWith([
      jobDetails(a, { status: "InProgress" }),
      jobDetails(b, { status: "Stopping" }),
      completed(c, 0.4),
      jobDetails(`${plan.campaign}-fedcba987654`, { status: "InProgress" }),
    ]);
    const out = captureIO();
    expect(await createStopCommand(fakeDeps(plan, { backend }))(["s.yaml", "--yes", "--json"], out.io)).toBe(0);
    expect(StopSummary.parse(JSON.parse(out.stdout()))).toEqual({
      campaign: plan.campaign,
      sweepFile: "s.yaml",
      stopped: [a],
      alreadyEnded: [],
      failed: [],
      alreadyStopping: 1,
      leftAlone: [`${plan.campaign}-fedcba987654`],
      declined: false,
    });
    const again = captureIO();
    expect(await createStopCommand(fakeDeps(plan, { backend }))(["s.yaml", "--yes", "--json"], again.io)).toBe(0);
    expect(StopSummary.parse(JSON.parse(again.stdout())).stopped).toEqual([]);
  });
});

describe("segsweep --version", () => {
  it("prints the package's version, with --version and -V", async () => {
    expect(await runCli(["--version"])).toEqual({ code: 0, stdout: `${packageJson.version}\n`, stderr: "" });
    expect((await runCli(["-V"])).stdout).toBe(`${packageJson.version}\n`);
  });

  it("finds segsweep's own package.json from the build (dist/src/cli) and from an npm install, past others", async () => {
    const root = mkdtempSync(join(tmpdir(), "segsweep-version-"));
    const installed = join(root, "node_modules", "segsweep");
    mkdirSync(join(installed, "dist", "src", "cli"), { recursive: true });
    writeFileSync(join(root, "package.json"), JSON.stringify({ name: "my-project", version: "1.0.0" }));
    writeFileSync(join(installed, "package.json"), JSON.stringify({ name: "segsweep", version: "9.8.7" }));
    writeFileSync(join(installed, "dist", "package.json"), "{ not json");
    const moduleUrl = pathToFileURL(join(installed, "dist", "src", "cli", "version.js")).href;
    expect(await segsweepVersion(moduleUrl)).toBe("9.8.7");
  });
});
