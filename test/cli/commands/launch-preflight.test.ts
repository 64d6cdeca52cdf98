import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CampaignDeps } from "../../../src/cli/commands/deps.js";
import { defaultDeps } from "../../../src/cli/commands/deps.js";
import { createLaunchCommand } from "../../../src/cli/commands/launch.js";
import { launchPreflightGate } from "../../../src/cli/commands/launch-preflight.js";
import { UserError } from "../../../src/errors.js";
import type { JobsPlan } from "../../../src/plan/types.js";
import type { StackOutputs } from "../../../src/stack/outputs.js";
import { captureIO, runCommand, sweepText } from "../../kit/cli.js";
import { createFakeClock } from "../../kit/clock.js";
import { fakeDeps } from "../../kit/deps.js";
import { type Moto, startMoto } from "../../kit/moto.js";
import { InMemorySageMaker } from "../../kit/sagemaker.js";
import { cleanDataset, clientsOn, planOf, putObjects, s3On, stackOn, sweepYaml } from "../../preflight/kit.js";
import { tuningPlan } from "../../standin/tuning-helpers.js";

/**
 * The scenario: `launch` runs preflight's checks against the account (S3 from moto's
 * server) before its first CreateTrainingJob, and creates nothing when one fails.
 */

let moto: Moto;
beforeAll(async () => {
  moto = await startMoto();
});
afterAll(async () => moto?.close());

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly created: number;
}

async function run(argv: string[], plan: JobsPlan, stack: StackOutputs, override: Partial<CampaignDeps> = {}): Promise<Run> {
  const clock = createFakeClock();
  const backend = new InMemorySageMaker({ clock, durationMs: () => 3_600_000 });
  const deps = { ...fakeDeps(plan, { backend, clock, stack, preflightClients: clientsOn(moto.endpoint) }), ...override };
  const out = captureIO({ cwd: mkdtempSync(join(tmpdir(), "segsweep-launch-pf-")) });
  const code = await runCommand(createLaunchCommand(deps), argv, out);
  return { code, stdout: out.stdout(), stderr: out.stderr(), created: backend.calls.CreateTrainingJob ?? 0 };
}

describe("launch runs preflight before the first create", () => {
  it("the stack's bucket missing: creates no training job, exits 1, and lists the failed checks as preflight does", async () => {
    const plan = await planOf(sweepYaml({ name: "pf-nobucket" }));
    const result = await run(["sweep.yaml", "--yes"], plan, stackOn("pf-launch-absent"));
    expect(result.code).toBe(1);
    expect(result.created).toBe(0);
    expect(result.stderr).toContain(
      "fail  prefix         s3://pf-launch-absent/datasets/voc/train/: bucket pf-launch-absent does not exist",
    );
    expect(result.stderr).toMatch(/preflight found 4 failed checks; nothing launched\./);
  });

  it("an empty dataset prefix: creates nothing and names the empty channel", async () => {
    const objects = cleanDataset();
    for (const key of Object.keys(objects)) if (key.includes("/validation_annotation/")) delete objects[key];
    await putObjects(s3On(moto.endpoint), "pf-launch-empty", objects);
    const plan = await planOf(sweepYaml({ name: "pf-empty" }));
    const result = await run(["sweep.yaml", "--yes"], plan, stackOn("pf-launch-empty"));
    expect(result.code).toBe(1);
    expect(result.created).toBe(0);
    expect(result.stderr).toMatch(
      /fail {2}prefix {9}s3:\/\/pf-launch-empty\/datasets\/voc\/validation_annotation\/: validation_annotation: no objects under this prefix/,
    );
  });

  it("a clean dataset: prints the verdict and launches every point", async () => {
    await putObjects(s3On(moto.endpoint), "pf-launch-clean", cleanDataset());
    const plan = await planOf(sweepYaml({ name: "pf-clean" }));
    const result = await run(["sweep.yaml", "--yes"], plan, stackOn("pf-launch-clean"));
    expect(result.stderr).toMatch(/Preflight of .*sweep\.yaml: \d+ passed, \d+ warnings?, 0 failed\./);
    expect(result.code).toBe(0);
    expect(result.created).toBe(plan.counts.jobs);
  });

  it("--skip-preflight launches anyway and says loudly what was not checked", async () => {
    const plan = await planOf(sweepYaml({ name: "pf-skip" }));
    const result = await run(["sweep.yaml", "--yes", "--skip-preflight"], plan, stackOn("pf-launch-absent-2"));
    expect(result.stderr).toContain("WARNING: --skip-preflight: the data in S3, the stack's guardrails");
    expect(result.created).toBe(plan.counts.jobs);
  });

  it("a guardrail the stack enforces (an instance type it does not allow) refuses the launch", async () => {
    await putObjects(s3On(moto.endpoint), "pf-launch-type", cleanDataset());
    const plan = await planOf(sweepYaml({ name: "pf-type", resources: "  instance_type: ml.p3.8xlarge\n  max_runtime: 3h" }));
    const result = await run(["sweep.yaml", "--yes"], plan, stackOn("pf-launch-type"));
    expect(result.code).toBe(1);
    expect(result.created).toBe(0);
    expect(result.stderr).toContain("fail  instance type  ml.p3.8xlarge is not one of the stack's instance types");
  });
});

describe("launch --dry-run", () => {
  it("prints the requests on stdout and preflight's failures on stderr, and exits 1 when a check fails", async () => {
    const plan = await planOf(sweepYaml({ name: "pf-dry" }));
    const result = await run(["sweep.yaml", "--dry-run"], plan, stackOn("pf-launch-absent-3"));
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toHaveLength(plan.counts.jobs);
    expect(result.stderr).toContain("bucket pf-launch-absent-3 does not exist");
    expect(result.created).toBe(0);
  });

  it("without any stack outputs prints the requests with marked placeholders and says so", async () => {
    const plan = await planOf(sweepYaml({ name: "pf-placeholders" }));
    const noPulumi = async (): Promise<never> => {
      throw new UserError("The Pulumi CLI is not installed (it is needed to read the stack outputs).\nInstall it.");
    };
    const result = await run(["sweep.yaml", "--dry-run"], plan, stackOn("unused"), { readStackOutputs: noPulumi });
    expect(result.code).toBe(0);
    const [request] = JSON.parse(result.stdout) as {
      RoleArn: string;
      InputDataConfig: { DataSource: { S3DataSource: { S3Uri: string } } }[];
    }[];
    expect(request?.RoleArn).toBe("<stack output trainingRoleArn>");
    expect(request?.InputDataConfig[0]?.DataSource.S3DataSource.S3Uri).toBe("<stack output datasetsUri>/voc/train/");
    expect(result.stderr).toContain("No stack outputs (The Pulumi CLI is not installed");
    expect(result.stderr).toContain("preflight was not run");
  });

  it("with a stack named that cannot be read is still an error", async () => {
    const plan = await planOf(sweepYaml({ name: "pf-named" }));
    const failing = async (): Promise<never> => {
      throw new UserError("pulumi stack output --json --stack prod failed");
    };
    const result = await run(["sweep.yaml", "--dry-run", "--stack", "prod"], plan, stackOn("unused"), { readStackOutputs: failing });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
  });

  it("with --simulate says which checks a rehearsal cannot make", async () => {
    const plan = await planOf(sweepYaml({ name: "pf-sim" }));
    const launch = createLaunchCommand({ ...defaultDeps, planSweepFile: async () => ({ ok: true, plan }) });
    const out = captureIO({ env: { AWS_REGION: "us-east-1" } });
    expect(await launch(["sweep.yaml", "--simulate", "--dry-run"], out.io)).toBe(0);
    expect(out.stderr()).toContain("[simulated] preflight not run: the stand-in has no S3 (so no data checks)");
  });
});

describe("launch of a tuning sweep", () => {
  it("launches without preflight's checks (they read a jobs-engine plan) and says so", async () => {
    const plan = await tuningPlan(sweepText("learning_rate: [0.001, 0.01]", "strategy: bayesian\nsamples: 4"));
    const out = captureIO();
    const deps = {
      openPreflightClients: async (): Promise<never> => {
        throw new Error("not opened for a tuning sweep");
      },
    };
    const identity = { account: "123456789012", region: "us-east-1" };
    expect(await launchPreflightGate({ plan, stack: stackOn("unused"), identity, io: out.io, deps, skip: false, simulated: false })).toBe(
      undefined,
    );
    expect(out.stderr()).toContain("preflight not run: ");
    expect(out.stderr()).toContain("runs on the tuning engine, and preflight checks only jobs-engine campaigns so far");
  });
});
