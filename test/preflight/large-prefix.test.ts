import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { progressPrinter } from "../../src/cli/format/preflight.js";
import { type CheckResult, type ListingProgress, runPreflight } from "../../src/preflight/index.js";
import { type SeededMoto, startSeededMoto } from "../kit/moto-seeded.js";
import { clientsOn, IDENTITY, planOf, stackOn, sweepYaml } from "./kit.js";

/**
 * A 100,000-object prefix, listed by pages from moto's S3 (seeded in-process: PutObject would take
 * minutes). moto renders a 1,000-key page in about 0.4 s, so the listing takes a minute or more:
 * tagged slow. The time preflight itself takes per page is measured by bench/preflight-listing.ts.
 */

const BUCKET = "pf-large";
let moto: SeededMoto;
beforeAll(async () => {
  moto = await startSeededMoto([
    { bucket: BUCKET, key: "datasets/city/train/frame-{}.jpg", count: 100_000 },
    { bucket: BUCKET, key: "datasets/city/train_annotation/frame-{}.png", count: 1_000 },
    { bucket: BUCKET, key: "datasets/city/validation/frame-{}.jpg", count: 10 },
    { bucket: BUCKET, key: "datasets/city/validation_annotation/frame-{}.png", count: 10 },
  ]);
}, 300_000);
afterAll(async () => moto?.close());

const sweep = sweepYaml({
  samples: "100000",
  data: "  train: city/train/\n  validation: city/validation/\n  train_annotation: city/train_annotation/\n  validation_annotation: city/validation_annotation/",
});
const by = (checks: readonly CheckResult[], check: string, subject: string) =>
  checks.find((c) => c.check === check && c.subject.includes(subject));

describe("a 100,000-object prefix", { tags: ["slow"] }, () => {
  it("is listed in 100 pages of 1,000 with progress every 10 pages, and every object is checked", async () => {
    const events: ListingProgress[] = [];
    let stderr = "";
    const print = progressPrinter({ write: (text: string) => (stderr += text) });
    const report = await runPreflight(await planOf(sweep), stackOn(BUCKET), clientsOn(moto.endpoint), {
      identity: IDENTITY,
      onProgress: (progress) => {
        events.push(progress);
        print(progress);
      },
    });
    const train = events.filter((e) => e.uri.endsWith("/city/train/"));
    expect(train.at(-1)).toEqual({ uri: `s3://${BUCKET}/datasets/city/train/`, listed: 100_000, pages: 100, done: true });
    expect(train.filter((e) => !e.done).map((e) => e.listed)).toEqual(Array.from({ length: 100 }, (_, i) => (i + 1) * 1000));
    expect(stderr.split("\n").filter((line) => line.includes("/city/train/"))).toEqual([
      ...Array.from(
        { length: 10 },
        (_, i) =>
          `listing s3://${BUCKET}/datasets/city/train/: ${((i + 1) * 10_000).toLocaleString("en-US")} objects (${(i + 1) * 10} pages)...`,
      ),
      `listed s3://${BUCKET}/datasets/city/train/: 100,000 objects in 100 pages`,
    ]);
    expect(by(report.checks, "images", "/city/train/")).toMatchObject({ status: "pass", numbers: { files: 100_000, jpeg: 100_000 } });
    expect(by(report.checks, "samples", "100000")?.status).toBe("pass");
    const pairs = by(report.checks, "pairs", "train,");
    expect(pairs).toMatchObject({ status: "fail", numbers: { images: 100_000, annotations: 1_000, imagesWithoutAnnotation: 99_000 } });
    expect(pairs?.examples?.slice(0, 2)).toEqual(["train/frame-001000.jpg", "train/frame-001001.jpg"]);
    expect(report.calls.ListObjectsV2).toBe(100 + 1 + 1 + 1);
  });

  it("stops at the bound with a warning that the checks saw only the first part, never a silent pass", async () => {
    const report = await runPreflight(await planOf(sweep), stackOn(BUCKET), clientsOn(moto.endpoint), {
      identity: IDENTITY,
      maxObjects: 5_000,
    });
    expect(by(report.checks, "listing", "/city/train/")).toMatchObject({
      status: "warn",
      numbers: { listed: 5_000, pages: 5, maxObjects: 5_000 },
      fix: "Raise the bound: --max-objects N",
    });
    expect(by(report.checks, "images", "/city/train/")?.message).toBe("train: 5,000 JPEG files (in the part listed)");
    expect(by(report.checks, "samples", "100000")).toMatchObject({ status: "warn", numbers: { trainingImages: 5_000 } });
    expect(by(report.checks, "pairs", "train,")?.status).toBe("warn");
    expect(report.calls.ListObjectsV2).toBe(5 + 1 + 1 + 1);
  });
});
