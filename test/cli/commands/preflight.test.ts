import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPreflightCommand, type PreflightDeps } from "../../../src/cli/commands/preflight.js";
import { progressPrinter } from "../../../src/cli/format/preflight.js";
import { planSweepFile } from "../../../src/plan/plan-file.js";
import { PreflightReport } from "../../../src/preflight/index.js";
import { readStackOutputs } from "../../../src/stack/read.js";
import { type Standin, startStandin } from "../../../src/standin/index.js";
import { type JsonServer, startJsonServer } from "../../backend/json-server.js";
import { captureIO, runCli, writeSweep } from "../../kit/cli.js";
import { type Moto, startMoto } from "../../kit/moto.js";
import { cleanDataset, clientsOn, IDENTITY, putObjects, s3On, stackOn, sweepYaml } from "../../preflight/kit.js";

/** `segsweep preflight` in-process: its lines, its JSON and its exit codes, against moto's S3. */

let moto: Moto;
beforeAll(async () => {
  moto = await startMoto();
});
afterAll(async () => moto?.close());

function deps(): PreflightDeps {
  return {
    planSweepFile: (file) => planSweepFile(file),
    readStackOutputs: (source, options) => readStackOutputs(source, options),
    openClients: async () => ({ clients: clientsOn(moto.endpoint), endpoints: { S3: moto.endpoint } }),
    callerIdentity: async () => IDENTITY,
  };
}

/** A bucket with `objects`, its stack outputs file, and a sweep file reading it. */
async function setUp(
  bucket: string,
  objects: Record<string, string>,
  sweep = sweepYaml(),
): Promise<{ sweepFile: string; stackFile: string }> {
  await putObjects(s3On(moto.endpoint), bucket, objects);
  const dir = mkdtempSync(join(tmpdir(), "segsweep-preflight-"));
  const stackFile = join(dir, "stack.json");
  writeFileSync(stackFile, JSON.stringify(stackOn(bucket)));
  return { sweepFile: writeSweep(sweep), stackFile };
}

describe("segsweep preflight", () => {
  it("prints one line per check, who and where first, and exits 0 when nothing failed", async () => {
    const { sweepFile, stackFile } = await setUp("cli-clean", cleanDataset());
    const { io, stdout, stderr } = captureIO();
    expect(await createPreflightCommand(deps())([sweepFile, "--stack-outputs", stackFile], io)).toBe(0);
    const lines = stdout().trimEnd().split("\n");
    expect(lines[0]).toBe(
      `pass  who and where  account 123456789012 (arn:aws:sts::123456789012:user/moto), region us-east-1, endpoints: S3 ${moto.endpoint}`,
    );
    expect(lines).toContain("pass  pairs          train: 3 images and 3 annotations, paired by base name");
    expect(lines).toContain("pass  samples        num_training_samples 3 equals the 3 JPEG images under train");
    expect(lines.at(-1)).toMatch(/^.*sweep\.yaml: 11 passed, 2 warnings, 0 failed: ready to launch\.$/);
    expect(stderr()).toBe("");
  });

  it("names what failed, the first offending files and the fix, and exits 1", async () => {
    const { sweepFile, stackFile } = await setUp("cli-gif", { ...cleanDataset(), "datasets/voc/train/cat.gif": "GIF89a" });
    const { io, stdout } = captureIO();
    expect(await createPreflightCommand(deps())([sweepFile, "--stack-outputs", stackFile], io)).toBe(1);
    expect(stdout()).toContain(
      "fail  images         s3://cli-gif/datasets/voc/train/: train: 4 files, 1 not JPEG (1 .gif); the channel must hold only JPEG files (.jpg or .jpeg)\n" +
        "                     e.g. cat.gif\n" +
        "                     fix: Remove or convert them: every file under s3://cli-gif/datasets/voc/train/ is read as JPEG\n",
    );
    expect(stdout()).toMatch(/1 failed: `segsweep launch` would refuse to start; fix the failures above\.\n$/);
  });

  it("prints the report as JSON of the documented shape with --json", async () => {
    const { sweepFile, stackFile } = await setUp("cli-json", cleanDataset(), sweepYaml({ samples: "1464" }));
    const { io, stdout } = captureIO();
    expect(await createPreflightCommand(deps())([sweepFile, "--stack-outputs", stackFile, "--json"], io)).toBe(0);
    const report = PreflightReport.parse(JSON.parse(stdout()));
    expect(report.ok).toBe(true);
    expect(report.counts).toEqual({ pass: 10, warn: 3, fail: 0 });
    expect(report.checks.find((c) => c.check === "samples")).toMatchObject({
      status: "warn",
      numbers: { numTrainingSamples: 1464, trainingImages: 3 },
    });
    expect(report.endpoints).toEqual({ S3: moto.endpoint });
  });

  it("refuses to run without a stack, and a bound that is not a number, with usage errors", async () => {
    const sweepFile = writeSweep(sweepYaml());
    const noStack = await runCli(["preflight", sweepFile]);
    expect(noStack.code).toBe(2);
    expect(noStack.stderr).toContain("preflight checks a sweep against a stack: pass --stack NAME or --stack-outputs FILE.");
    const badBound = await runCli(["preflight", sweepFile, "--stack-outputs", "x.json", "--max-objects", "lots"]);
    expect(badBound).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--max-objects must be a whole number of objects, at least 1; got "lots".'),
    });
  });
});

describe("listing progress", () => {
  it("is quiet for small prefixes and redraws one line on a terminal for big ones", () => {
    let stderr = "";
    const print = progressPrinter({ write: (text: string) => (stderr += text), isTTY: true });
    print({ uri: "s3://b/small/", listed: 900, pages: 1, done: true });
    print({ uri: "s3://b/a/", listed: 9_000, pages: 9, done: false });
    print({ uri: "s3://b/a/", listed: 10_000, pages: 10, done: false });
    print({ uri: "s3://b/c/", listed: 10_000, pages: 10, done: false });
    print({ uri: "s3://b/a/", listed: 12_500, pages: 13, done: true });
    expect(stderr).toBe(
      "\r\u001b[Klisting s3://b/a/ 10,000 objects..." +
        "\r\u001b[Klisting s3://b/a/ 10,000 · s3://b/c/ 10,000 objects..." +
        "\r\u001b[Klisted s3://b/a/: 12,500 objects in 13 pages\n",
    );
  });
});

describe("segsweep preflight on the SDK's own chain", () => {
  let standin: Standin;
  let quotas: JsonServer;
  const saved = { ...process.env };
  beforeAll(async () => {
    standin = await startStandin();
    quotas = await startJsonServer((target) =>
      target.endsWith(".ListServiceQuotas")
        ? {
            status: 200,
            body: {
              Quotas: [
                { QuotaName: "ml.p3.2xlarge for training job usage", QuotaCode: "L-D438008E", Value: 4 },
                { QuotaName: "Number of instances across all training jobs", QuotaCode: "L-00C91CB5", Value: 8 },
              ],
            },
          }
        : { status: 400, body: { __type: "ValidationException", message: target } },
    );
  });
  afterAll(async () => {
    process.env = saved;
    await standin?.close();
    await quotas?.close();
  });

  it("honours AWS_ENDPOINT_URL_S3, _STS, _SAGEMAKER and _SERVICE_QUOTAS, and names them on the first line", async () => {
    const { sweepFile, stackFile } = await setUp("cli-chain", cleanDataset());
    process.env.AWS_ENDPOINT_URL_S3 = moto.endpoint;
    process.env.AWS_ENDPOINT_URL_STS = moto.endpoint;
    process.env.AWS_ENDPOINT_URL_SAGEMAKER = standin.endpoint;
    process.env.AWS_ENDPOINT_URL_SERVICE_QUOTAS = quotas.endpoint;
    const { code, stdout } = await runCli(["preflight", sweepFile, "--stack-outputs", stackFile, "--json"]);
    const report = PreflightReport.parse(JSON.parse(stdout));
    expect(code).toBe(0);
    expect(report.identity).toEqual({
      account: "123456789012",
      arn: expect.stringMatching(/^arn:aws:sts::123456789012:/),
      region: "us-east-1",
      endpoint: standin.endpoint,
    });
    expect(report.endpoints).toEqual({ S3: moto.endpoint, SageMaker: standin.endpoint, "Service Quotas": quotas.endpoint });
    expect(report.checks.filter((c) => c.check === "quota").map((c) => c.status)).toEqual(["pass", "pass"]);
    expect(report.counts).toEqual({ pass: 13, warn: 0, fail: 0 });
    expect(standin.stats().calls).toEqual({ Search: 1 });
    expect(quotas.requests).toHaveLength(1);
  });
});
