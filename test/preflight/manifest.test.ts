import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CheckResult, type PreflightReport, runPreflight } from "../../src/preflight/index.js";
import { type Moto, startMoto } from "../kit/moto.js";
import { clientsOn, IDENTITY, planOf, putObjects, s3On, stackOn, sweepYaml } from "./kit.js";

/** Augmented manifests and the stack's guardrails, through runPreflight against moto's S3. */

let moto: Moto;
beforeAll(async () => {
  moto = await startMoto();
});
afterAll(async () => moto?.close());

const MANIFEST_DATA = `  augmented_manifest:
    train: streets/manifests/train.manifest
    validation: streets/manifests/validation.manifest
    attribute_names: [source-ref, city-streets-ref]`;

function manifestDataset(bucket: string, line: (i: number) => Record<string, unknown> = (i) => refs(bucket, i)): Record<string, string> {
  const lines = (n: number) => `${Array.from({ length: n }, (_, i) => JSON.stringify(line(i))).join("\n")}\n`;
  const objects: Record<string, string> = {
    "datasets/streets/manifests/train.manifest": lines(3),
    "datasets/streets/manifests/validation.manifest": lines(1),
  };
  for (let i = 0; i < 3; i++) {
    objects[`datasets/streets/img/${i}.jpg`] = "jpeg";
    objects[`datasets/streets/ann/${i}.png`] = "png";
  }
  return objects;
}

function refs(bucket: string, i: number): Record<string, unknown> {
  return {
    "source-ref": `s3://${bucket}/datasets/streets/img/${i}.jpg`,
    "city-streets-ref": `s3://${bucket}/datasets/streets/ann/${i}.png`,
    "city-streets-ref-metadata": { "job-name": "label" },
  };
}

async function preflight(bucket: string, objects: Record<string, string>, sweep: string): Promise<PreflightReport> {
  await putObjects(s3On(moto.endpoint), bucket, objects);
  return runPreflight(await planOf(sweep), stackOn(bucket), clientsOn(moto.endpoint), { identity: IDENTITY });
}

const manifests = (report: PreflightReport): CheckResult[] => report.checks.filter((c) => c.check === "manifest");

describe("preflight's augmented-manifest checks against moto's S3", () => {
  it("passes manifests whose first lines carry the attribute names and whose objects exist; counts the training lines", async () => {
    const report = await preflight("pf-manifest-ok", manifestDataset("pf-manifest-ok"), sweepYaml({ data: MANIFEST_DATA }));
    expect(manifests(report).map((c) => [c.subject, c.status])).toEqual([
      ["s3://pf-manifest-ok/datasets/streets/manifests/train.manifest", "pass"],
      ["s3://pf-manifest-ok/datasets/streets/manifests/validation.manifest", "pass"],
    ]);
    expect(report.checks.find((c) => c.check === "samples")).toMatchObject({
      status: "pass",
      message: "num_training_samples 3 equals the 3 lines in the training manifest",
    });
    expect(report.checks.filter((c) => c.status === "fail")).toEqual([]);
  });

  it("fails a manifest whose lines lack an attribute, naming the line and what it has", async () => {
    const bucket = "pf-manifest-attribute";
    const objects = manifestDataset(bucket, (i) => ({
      "source-ref": `s3://${bucket}/datasets/streets/img/${i}.jpg`,
      "roads-ref": "s3://x/y.png",
    }));
    const report = await preflight(bucket, objects, sweepYaml({ data: MANIFEST_DATA }));
    const train = manifests(report)[0];
    expect(train?.status).toBe("fail");
    expect(train?.message).toBe('train: line 1: no attribute "city-streets-ref" (has source-ref, roads-ref) (and 2 more)');
    expect(train?.examples).toHaveLength(3);
  });

  it("fails a manifest object that does not exist, and one whose first line names a missing image", async () => {
    const bucket = "pf-manifest-missing";
    const objects = manifestDataset(bucket);
    delete objects["datasets/streets/manifests/validation.manifest"];
    delete objects["datasets/streets/img/0.jpg"];
    const report = await preflight(bucket, objects, sweepYaml({ data: MANIFEST_DATA }));
    const [train, validation] = manifests(report);
    expect(train).toMatchObject({ status: "fail", message: `train: line 1: s3://${bucket}/datasets/streets/img/0.jpg does not exist` });
    expect(validation).toMatchObject({ status: "fail", message: "validation: the manifest object does not exist" });
  });
});

describe("the stack's guardrails in runPreflight", () => {
  it("fails an instance type and a max_runtime the operator policy denies, naming the pulumi config set that allows them", async () => {
    const resources = "  instance_type: ml.p3.8xlarge\n  max_runtime: 20h\n  spot: true\n  max_wait: 30h";
    const report = await runPreflight(await planOf(sweepYaml({ resources })), stackOn("pf-guardrails"), clientsOn(moto.endpoint), {
      identity: IDENTITY,
    });
    const by = (check: string) => report.checks.find((c) => c.check === check);
    expect(by("instance-type")).toMatchObject({
      status: "fail",
      fix: "Set resources.instance_type to one of ml.p3.2xlarge, ml.g5.xlarge, or allow it: pulumi config set --path 'instanceTypes[2]' ml.p3.8xlarge && pulumi up",
    });
    expect(by("max-runtime")).toMatchObject({
      status: "fail",
      message: "max_runtime 20h (72000 s) is over the stack's maximum run time 12h (43200 s): the operator policy denies CreateTrainingJob",
      numbers: { maxRuntimeSeconds: 72_000, stackMaxRuntimeSeconds: 43_200 },
    });
    expect(by("max-runtime")?.fix).toContain("pulumi config set maxRuntimeSeconds 72000 && pulumi up");
    expect(by("max-wait")).toMatchObject({ status: "warn", numbers: { maxWaitSeconds: 108_000 } });
    expect(report.ok).toBe(false);
    expect(report.counts.fail).toBeGreaterThanOrEqual(2);
  });
});
