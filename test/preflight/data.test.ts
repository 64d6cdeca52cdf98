import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CheckResult, type PreflightReport, runPreflight } from "../../src/preflight/index.js";
import type { StackOutputs } from "../../src/stack/outputs.js";
import { type Moto, startMoto } from "../kit/moto.js";
import { cleanDataset, clientsOn, IDENTITY, planOf, prefixData, putObjects, s3On, stackOn, sweepYaml } from "./kit.js";

/**
 * runPreflight against moto's S3 (a real S3 implementation, through the real SDK): one bucket per
 * case, since moto answers S3 with HTTP 500 after a reset. moto has no Service Quotas for
 * SageMaker: the quota results here are the "unreadable" warnings (quotas.test.ts reads real ones).
 */

let moto: Moto;
beforeAll(async () => {
  moto = await startMoto();
});
afterAll(async () => moto?.close());

async function preflight(
  bucket: string,
  objects: Record<string, string>,
  sweep = sweepYaml(),
  stack?: StackOutputs,
): Promise<PreflightReport> {
  await putObjects(s3On(moto.endpoint), bucket, objects);
  return runPreflight(await planOf(sweep), stack ?? stackOn(bucket), clientsOn(moto.endpoint), { identity: IDENTITY });
}

function only(report: PreflightReport, check: CheckResult["check"], subject?: string): CheckResult {
  const found = report.checks.filter((c) => c.check === check && (subject === undefined || c.subject.includes(subject)));
  expect(found, `${check} ${subject ?? ""} in ${JSON.stringify(report.checks, null, 1)}`).toHaveLength(1);
  return found[0] as CheckResult;
}

const failed = (report: PreflightReport) => report.checks.filter((c) => c.status === "fail").map((c) => `${c.check} ${c.subject}`);

describe("preflight's data checks against moto's S3", () => {
  it("passes a clean dataset: every prefix, format, pair and num_training_samples", async () => {
    const report = await preflight("pf-clean", cleanDataset());
    expect(failed(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(only(report, "pairs", "train,").numbers).toEqual({
      images: 3,
      annotations: 3,
      imagesWithoutAnnotation: 0,
      annotationsWithoutImage: 0,
    });
    expect(only(report, "samples")).toMatchObject({ status: "pass", numbers: { numTrainingSamples: 3, trainingImages: 3 } });
    expect(report.checks.filter((c) => c.check === "images" || c.check === "annotations").map((c) => c.numbers.files)).toEqual([
      3, 3, 1, 1,
    ]);
    expect(only(report, "data-location").message).toBe(
      "4 channels under the stack's s3://pf-clean/datasets/ (train, train_annotation, validation, validation_annotation)",
    );
    expect(report.calls.ListObjectsV2).toBe(4);
  });

  it("fails a training image without its annotation, naming it and counting both sides", async () => {
    const objects = cleanDataset();
    delete objects["datasets/voc/train_annotation/2007_000039.png"];
    const report = await preflight("pf-missing-annotation", objects, sweepYaml({ samples: "3" }));
    const pairs = only(report, "pairs", "train,");
    expect(pairs.status).toBe("fail");
    expect(pairs.numbers).toEqual({ images: 3, annotations: 2, imagesWithoutAnnotation: 1, annotationsWithoutImage: 0 });
    expect(pairs.examples).toEqual(["train/2007_000039.JPG"]);
    expect(pairs.message).toBe(
      "train: 3 images, 2 annotations: 1 image without an annotation; every image needs a PNG annotation with its base name",
    );
    expect(report.ok).toBe(false);
  });

  it("fails an annotation without an image", async () => {
    const report = await preflight("pf-extra-annotation", {
      ...cleanDataset(),
      "datasets/voc/validation_annotation/2007_000099.png": "png",
    });
    const pairs = only(report, "pairs", "validation,");
    expect(pairs).toMatchObject({
      status: "fail",
      numbers: { annotationsWithoutImage: 1 },
      examples: ["validation_annotation/2007_000099.png"],
    });
    expect(only(report, "pairs", "train,").status).toBe("pass");
  });

  it("fails a GIF among the images, with the count by extension", async () => {
    const report = await preflight("pf-gif", { ...cleanDataset(), "datasets/voc/train/cat.gif": "GIF89a" });
    const images = only(report, "images", "/train/");
    expect(images.status).toBe("fail");
    expect(images.message).toContain("1 not JPEG (1 .gif)");
    expect(images.examples).toEqual(["cat.gif"]);
    expect(images.numbers).toMatchObject({ files: 4, jpeg: 3, other: 1 });
  });

  it("fails an empty prefix and an absent one; a console folder marker is not a file", async () => {
    const objects = cleanDataset();
    for (const key of Object.keys(objects)) if (key.includes("/validation")) delete objects[key];
    objects["datasets/voc/validation/"] = ""; // what the S3 console's "Create folder" leaves
    const report = await preflight("pf-empty", objects);
    expect(only(report, "prefix", "/validation/")).toMatchObject({ status: "fail", numbers: { objects: 0 } });
    expect(only(report, "prefix", "/validation_annotation/").status).toBe("fail");
    expect(only(report, "prefix", "/validation/").fix).toContain("aws s3 sync");
  });

  it("fails a bucket that does not exist, saying so", async () => {
    const report = await runPreflight(await planOf(sweepYaml()), stackOn("pf-no-such-bucket"), clientsOn(moto.endpoint), {
      identity: IDENTITY,
    });
    const prefixes = report.checks.filter((c) => c.check === "prefix");
    expect(prefixes).toHaveLength(4);
    for (const prefix of prefixes)
      expect(prefix).toMatchObject({ status: "fail", message: expect.stringContaining("bucket pf-no-such-bucket does not exist") });
  });

  it("warns with both numbers when num_training_samples is not the number of training images, once per distinct value", async () => {
    const sweep = sweepYaml({ samples: "[3, 1464]" });
    const report = await preflight("pf-samples", cleanDataset(), sweep);
    const samples = report.checks.filter((c) => c.check === "samples");
    expect(samples.map((c) => [c.subject, c.status])).toEqual([
      ["num_training_samples 3", "pass"],
      ["num_training_samples 1464", "warn"],
    ]);
    expect(samples[1]?.message).toBe(
      "num_training_samples is 1,464 but there are 3 JPEG images under train: the learning-rate schedule is built from it",
    );
    expect(report.ok).toBe(true);
  });

  it("checks label maps: a good one passes, a broken one and one past num_classes fail", async () => {
    const objects = {
      ...cleanDataset(),
      "datasets/voc/label_map/train_label_map.json": '{"map": {"0": 0, "1": 128, "2": 255}}',
      "datasets/voc/label_map/validation_label_map.json": '{"scale": 3',
      "datasets/voc/label_map/extra_label_map.json": '{"map": {"0": 0, "5": 10}}',
    };
    const report = await preflight("pf-label-map", objects, sweepYaml({ data: prefixData("voc", true) }));
    expect(only(report, "label-map", "train_label_map").status).toBe("pass");
    expect(only(report, "label-map", "validation_label_map")).toMatchObject({
      status: "fail",
      message: expect.stringContaining("not JSON"),
    });
    expect(only(report, "label-map", "extra_label_map")).toMatchObject({
      status: "fail",
      message: "maps classes 5, but num_classes is 3 (classes 0 to 2)",
    });
  });

  it("fails data outside the stack's datasets prefix without reading it", async () => {
    const sweep = sweepYaml({ data: prefixData("voc").replace("voc/train/", "s3://someone-elses-bucket/voc/train/") });
    const report = await preflight("pf-other-bucket", cleanDataset(), sweep);
    const location = only(report, "data-location", "someone-elses-bucket");
    expect(location.status).toBe("fail");
    expect(location.message).toContain("the training role can read only that prefix of bucket pf-other-bucket");
    expect(location.fix).toBe(
      "Copy the data there and name it relative to datasets/: aws s3 sync s3://someone-elses-bucket/voc/train/ s3://pf-other-bucket/datasets/voc/train/",
    );
    expect(report.checks.filter((c) => c.subject.includes("someone-elses-bucket")).map((c) => c.check)).toEqual(["data-location"]);
  });

  it("sees what SageMaker would copy for a prefix without its trailing slash: the annotations too", async () => {
    const sweep = sweepYaml({ data: prefixData("voc").replace("voc/train/", "voc/train") });
    const report = await preflight("pf-no-slash", cleanDataset(), sweep);
    const images = only(report, "images", "voc/train");
    expect(images.status).toBe("fail");
    expect(images.message).toContain("3 not JPEG (3 .png)");
    expect(images.examples).toContain("_annotation/2007_000032.png");
  });

  it("reports an unreadable quota (moto has no Service Quotas for SageMaker) as a warning, never a crash", async () => {
    const report = await preflight("pf-quota", cleanDataset());
    const quotas = report.checks.filter((c) => c.check === "quota");
    expect(quotas.map((c) => [c.subject, c.status])).toEqual([
      ["ml.p3.2xlarge for training job usage", "warn"],
      ["Number of instances across all training jobs", "warn"],
    ]);
    expect(quotas[0]?.message).toContain("ListServiceQuotas: HTTP 500: the endpoint did not answer as Service Quotas does");
    expect(quotas[0]?.message).toContain("ListAWSDefaultServiceQuotas: NoSuchResourceException");
    expect(report.ok).toBe(true);
  });
});
