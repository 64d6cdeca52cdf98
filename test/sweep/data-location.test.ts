import { describe, expect, it } from "vitest";
import { resolveDataLocation } from "../../src/backend/request.js";
import {
  ASSUMED_DATASETS_URI_MAX,
  bucketNameProblem,
  dataLocationProblem,
  prefixWithoutSlashWarning,
} from "../../src/sweep/data-location.js";
import { runCli, writeSweep } from "../kit/cli.js";

function sweepWithData(train: string, extra = ""): string {
  return `name: data-paths
hyperparameters:
  num_classes: 21
  num_training_samples: 1000
data:
  train: ${JSON.stringify(train)}
  validation: voc/validation/
  train_annotation: voc/train_annotation/
  validation_annotation: voc/validation_annotation/
${extra}`;
}

describe("data locations, offline", () => {
  it.each([
    ["/home/me/data/train", /this is an absolute local path, and training jobs read only S3: upload the data first/],
    ["./data/val", /this is a relative local path/],
    ["../data/val/", /this is a relative local path/],
    ["~/data/", /this is a path in a home directory/],
    ["C:\\data\\train", /this is a Windows drive path/],
    ["c:/data/train/", /this is a Windows drive path/],
    ["\\\\server\\share\\train", /this is a Windows path/],
    ["file:/etc/passwd", /this is a local file URI/],
    ["FILE:///etc/passwd", /this is a local file URI/],
    ["HTTPS://example.com/train/", /HTTPS:\/\/ is not supported/],
    ["https://bucket.s3.amazonaws.com/train/", /https:\/\/ is not supported/],
    ["gs://bucket/train/", /gs:\/\/ is not supported/],
    ["S3://my-bucket/train/", /S3:\/\/ is not supported \(write the scheme in lower case: s3:\/\/\)/],
    ["voc/train\n/", /holds a newline at character 10/],
    ["voc/\ttrain/", /holds a tab at character 5/],
    ["voc//train/", /empty segment \(\/\/\)/],
    ["voc/./train/", /holds a \. segment/],
    ["voc/../train/", /holds a \.\. segment/],
    ["voc\\train\\", /backslash/],
    ["s3://my-bucket//train/", /empty segment/],
    ["s3://my-bucket/a/../train/", /holds a \.\. segment/],
  ])("refuses %j", (value, reason) => {
    const problem = dataLocationProblem(value);
    expect(problem).toMatch(/^an s3:\/\/bucket\/prefix\/ URI, or a key prefix relative to the stack's datasetsUri/);
    expect(problem).toMatch(reason);
  });

  it.each([
    ["Bad_Bucket!", 'holds "B", "_", "!"; only lowercase letters, digits, dots and hyphens are allowed'],
    ["ab", "has 2 characters; a bucket name has 3 to 63"],
    ["a".repeat(64), "has 64 characters; a bucket name has 3 to 63"],
    ["-bucket", "must begin and end with a letter or digit"],
    ["my..bucket", "holds two adjacent dots"],
    ["192.168.5.4", "is formatted as an IP address"],
    ["xn--bucket", "starts with xn--, which S3 reserves"],
    ["sthree-bucket", "starts with sthree-, which S3 reserves"],
    ["my-bucket-s3alias", "ends with -s3alias, which S3 reserves"],
    ["my-bucket--ol-s3", "ends with --ol-s3, which S3 reserves"],
    ["Bad--usw2-az1--x-s3", "is not a directory bucket name (base--zone-id--x-s3)"],
  ])("refuses the bucket name %j as S3 would", (bucket, reason) => {
    expect(bucketNameProblem(bucket)).toBe(reason);
    expect(dataLocationProblem(`s3://${bucket}/train/`)).toContain(`the bucket name ${JSON.stringify(bucket)} ${reason}`);
  });

  it.each([
    "pascal-voc/train/",
    "s3://my-bucket/datasets/voc/train/",
    "s3://my.bucket.with.dots/train/",
    "s3://base--usw2-az1--x-s3/train/",
    "s3://my-bucket",
    "voc 2012/train:images/",
  ])("accepts %j", (value) => {
    expect(dataLocationProblem(value)).toBeUndefined();
  });

  it("refuses a relative location that would pass SageMaker's 1,024 characters once joined to the longest datasetsUri", () => {
    expect(ASSUMED_DATASETS_URI_MAX).toBe(78);
    const fits = `${"k".repeat(1024 - 78 - 1)}/`;
    expect(dataLocationProblem(fits)).toBeUndefined();
    expect(dataLocationProblem(`k${fits}`)).toBe(
      "at most 946 characters for a relative location: joined to the stack's datasetsUri (assumed at most 78 characters: s3:// + a 63-character bucket + /datasets/) it would be 1,025 characters, over SageMaker's 1,024 (S3Uri)",
    );
    expect(dataLocationProblem(`s3://my-bucket/${"k".repeat(1010)}`)).toBe(
      "at most 1,024 characters (SageMaker's S3Uri); this one has 1,025",
    );
  });

  it("warns on a channel prefix without a trailing slash, naming the channel it would swallow", () => {
    expect(prefixWithoutSlashWarning("road/train/")).toBeUndefined();
    expect(prefixWithoutSlashWarning("road/train", ["road/train", "road/train_annotation/"])).toBe(
      '"road/train" has no trailing /: SageMaker reads every object whose key starts with it, so it also reads "road/train_annotation/", another channel\'s data; write "road/train/"',
    );
    expect(prefixWithoutSlashWarning("s3://my-bucket/val")).toMatch(/so it also reads "val-old\/\.\.\."; write "s3:\/\/my-bucket\/val\/"$/);
  });

  it("resolves with one resolver: s3:// as given, a key under the stack's datasetsUri with one slash", () => {
    expect(resolveDataLocation("s3://my-bucket/voc/", "s3://stack/datasets/")).toBe("s3://my-bucket/voc/");
    expect(resolveDataLocation("voc/train/", "s3://stack/datasets")).toBe("s3://stack/datasets/voc/train/");
    expect(resolveDataLocation("voc/train/", "s3://stack/datasets/")).toBe("s3://stack/datasets/voc/train/");
  });
});

describe("data locations in validate and plan", () => {
  it.each([
    ["/home/me/data/train", "absolute local path"],
    ["s3://Bad_Bucket!/x/", "bucket name"],
    ["HTTPS://example.com/x/", "HTTPS:// is not supported"],
  ])("refuses %j with file, line, field and the value", async (train, reason) => {
    const file = writeSweep(sweepWithData(train));
    const { code, stderr } = await runCli(["validate", file]);
    expect(code).toBe(1);
    expect(stderr).toContain(
      `✖ ${file}:6:10 data.train\n    data.train: ${JSON.stringify(train)} is not allowed; expected an s3://bucket/prefix/ URI`,
    );
    expect(stderr).toContain(reason);
  });

  it("refuses a newline in a path (written as a YAML escape)", async () => {
    const { code, stderr } = await runCli(["plan", writeSweep(sweepWithData("voc/train\n/"))]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/data\.train: "voc\/train\\n\/" is not allowed; .* holds a newline at character 10/);
  });

  it("warns about a prefix without a trailing slash, and --strict makes it an error", async () => {
    const file = writeSweep(sweepWithData("voc/train"));
    const relaxed = await runCli(["validate", file]);
    expect(relaxed.code).toBe(0);
    expect(relaxed.stderr).toContain(`⚠ ${file}:6:10 data.train`);
    const strict = await runCli(["validate", "--strict", file]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/✖ .*: invalid \(1 error, 0 warnings, 1 of them warnings made errors by --strict\)/);
  });

  it("checks augmented manifest locations by the same rules, without the folder warning", async () => {
    const text = sweepWithData("x/").replace(
      /data:[\s\S]*$/,
      "data:\n  augmented_manifest:\n    train: ./manifests/train.manifest\n    validation: s3://my-bucket/val.manifest\n    attribute_names: [source-ref, mask-ref]\n",
    );
    const { code, stderr } = await runCli(["validate", writeSweep(text)]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/data\.augmented_manifest\.train: ".\/manifests\/train\.manifest" is not allowed; .* relative local path/);
    expect(stderr).not.toMatch(/trailing \//);
  });
});
