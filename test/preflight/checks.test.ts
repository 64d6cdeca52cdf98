import { describe, expect, it } from "vitest";
import type { QuotaLookup, QuotaValue } from "../../src/backend/quotas.js";
import type { PrefixListing } from "../../src/backend/s3.js";
import type { RunningJob } from "../../src/backend/training-usage.js";
import { checkCapacity, type Usage } from "../../src/preflight/capacity.js";
import { checkIdentity, checkMaxRuntime, checkMaxWait } from "../../src/preflight/guardrails.js";
import { checkLabelMap } from "../../src/preflight/label-map.js";
import { checkFormats, checkListingBound, checkPairs } from "../../src/preflight/layout.js";
import { parseManifestHead } from "../../src/preflight/manifest.js";
import { makePlan } from "../report/fixtures.js";
import { IDENTITY, stackOn } from "./kit.js";

/** The pure checks, table by table: what each says for the numbers it is given. */

const STACK = stackOn("pf-pure");
const plan = (options: { spot?: boolean; concurrency?: number; jobs?: number; maxWait?: number } = {}) => {
  const base = makePlan({
    campaign: "seg-lr",
    points: Array.from({ length: options.jobs ?? 4 }, (_, i) => ({ learning_rate: String(0.001 * (i + 1)) })),
    resources: { spot: options.spot ?? false, ...(options.maxWait !== undefined ? { maxWaitSeconds: options.maxWait } : {}) },
  });
  return { ...base, limits: { ...base.limits, maxConcurrency: options.concurrency ?? 2 } };
};

describe("who and where", () => {
  it("passes the stack's account and region, and names the endpoints that are not AWS's", () => {
    const check = checkIdentity(IDENTITY, STACK, { S3: "http://127.0.0.1:9000" });
    expect(check.status).toBe("pass");
    expect(check.message).toBe(
      "account 123456789012 (arn:aws:sts::123456789012:user/moto), region us-east-1, endpoints: S3 http://127.0.0.1:9000",
    );
  });
  it("fails credentials of another account, and another region", () => {
    expect(checkIdentity({ ...IDENTITY, account: "210987654321" }, STACK, {})).toMatchObject({
      status: "fail",
      message: expect.stringContaining("the stack lives in account 123456789012"),
    });
    expect(checkIdentity({ ...IDENTITY, region: "eu-west-1" }, STACK, {})).toMatchObject({
      status: "fail",
      fix: "Run in the stack's region: export AWS_REGION=us-east-1",
    });
  });
});

describe("guardrails", () => {
  it("warns, without guessing, when the stack outputs do not say their maximum run time", () => {
    const { maxRuntimeSeconds: _, ...older } = STACK;
    expect(checkMaxRuntime(plan(), older)).toMatchObject({ status: "warn", numbers: { stackMaxRuntimeSeconds: null } });
  });
  it("checks max_wait only with spot", () => {
    expect(checkMaxWait(plan(), STACK)).toBeUndefined();
    expect(checkMaxWait(plan({ spot: true, maxWait: 43_200 }), STACK)?.status).toBe("pass");
    expect(checkMaxWait(plan({ spot: true, maxWait: 43_201 }), STACK)?.status).toBe("warn");
  });
});

const quota = (name: string, value: number, applied = true): QuotaValue => ({ name, code: "L-TEST", value, applied });
const lookup = (...values: QuotaValue[]): QuotaLookup => ({ found: new Map(values.map((v) => [v.name, v])), errors: [] });
const job = (name: string, instanceType = "ml.p3.2xlarge", spot = false, instanceCount = 1): RunningJob => ({
  name,
  instanceType,
  instanceCount,
  spot,
});
const PER_TYPE = "ml.p3.2xlarge for training job usage";
const TOTAL = "Number of instances across all training jobs";

describe("capacity", () => {
  const cases: [string, QuotaLookup, Usage, number, ["pass" | "warn" | "fail", "pass" | "warn" | "fail"]][] = [
    ["room for max_concurrency", lookup(quota(PER_TYPE, 4), quota(TOTAL, 8)), { jobs: [] }, 2, ["pass", "pass"]],
    [
      "other jobs leave room for 1 of 2",
      lookup(quota(PER_TYPE, 4), quota(TOTAL, 8)),
      { jobs: [job("a"), job("b"), job("c")] },
      2,
      ["warn", "pass"],
    ],
    [
      "other jobs hold it all",
      lookup(quota(PER_TYPE, 2), quota(TOTAL, 8)),
      { jobs: [job("a", "ml.p3.2xlarge", false, 2)] },
      2,
      ["warn", "pass"],
    ],
    ["a zero quota: nothing can start", lookup(quota(PER_TYPE, 0), quota(TOTAL, 8)), { jobs: [] }, 2, ["fail", "pass"]],
    [
      "the campaign's own jobs are part of max_concurrency",
      lookup(quota(PER_TYPE, 2), quota(TOTAL, 2)),
      { jobs: [job("seg-lr-aaa"), job("seg-lr-bbb")] },
      2,
      ["pass", "pass"],
    ],
    [
      "spot jobs and other types do not hold the on-demand per-type quota",
      lookup(quota(PER_TYPE, 2), quota(TOTAL, 8)),
      { jobs: [job("a", "ml.p3.2xlarge", true), job("b", "ml.g5.xlarge")] },
      2,
      ["pass", "pass"],
    ],
    [
      "every job holds the account-wide one",
      lookup(quota(PER_TYPE, 4), quota(TOTAL, 3)),
      { jobs: [job("a", "ml.g5.xlarge", true), job("b", "ml.g5.xlarge")] },
      2,
      ["pass", "warn"],
    ],
    [
      "usage unreadable: a warning even with room",
      lookup(quota(PER_TYPE, 4), quota(TOTAL, 8)),
      { error: "Search: AccessDeniedException: no" },
      2,
      ["warn", "warn"],
    ],
  ];
  it.each(cases)("%s", (_name, quotas, usage, concurrency, statuses) => {
    expect(checkCapacity(plan({ concurrency }), quotas, usage).map((c) => c.status)).toEqual(statuses);
  });

  it("says the quota's name, its value, what others hold and what the campaign wants", () => {
    const [perType] = checkCapacity(plan({ concurrency: 3 }), lookup(quota(PER_TYPE, 4), quota(TOTAL, 8)), { jobs: [job("a"), job("b")] });
    expect(perType?.message).toBe(
      `"${PER_TYPE}" is 4 [L-TEST], 2 in use by other jobs; the campaign runs up to 3 at once: at most 2 can run at once`,
    );
    expect(perType?.numbers).toEqual({ quota: 4, inUse: 2, available: 2, wanted: 3, maxConcurrency: 3 });
    expect(perType?.fix).toContain(`pulumi config set --path 'quotas["ml.p3.2xlarge"].onDemand' 5 && pulumi up`);
  });

  it("asks for no more than the plan has jobs, and reads spot quotas for spot sweeps", () => {
    const spot = checkCapacity(plan({ spot: true, concurrency: 10, jobs: 3 }), lookup(), { jobs: [] });
    expect(spot.map((c) => c.subject)).toEqual([
      "ml.p3.2xlarge for spot training job usage",
      "Number of instances across all spot training jobs",
    ]);
    expect(spot[0]).toMatchObject({ status: "warn", numbers: { quota: null, wanted: 3 } });
  });

  it("marks a default value as such", () => {
    const [perType] = checkCapacity(plan(), lookup(quota(PER_TYPE, 4, false), quota(TOTAL, 8)), { jobs: [] });
    expect(perType?.message).toContain("4 (AWS default; the applied value could not be listed)");
  });
});

describe("label maps", () => {
  const check = (text: string, numClasses = 3) =>
    checkLabelMap("s3://b/datasets/x/label_map/", { name: "train_label_map.json", text }, numClasses);
  it.each([
    ['{"scale": "3"}', "pass"],
    ['{"scale": 2}', "pass"],
    ['{"map": {"0": 0, "1": 5, "2": 2}}', "pass"],
    ['{"map": {"0": 0, "1": 5}}', "warn"],
    ['{"scale": "0"}', "fail"],
    ['{"scale": "three"}', "fail"],
    ['{"map": {"zero": 0}}', "fail"],
    ['{"map": {"0": 256}}', "fail"],
    ['{"map": {}}', "fail"],
    ['{"map": {"0": 0, "3": 1}}', "fail"],
    ['{"classes": 3}', "fail"],
    ["[1, 2]", "fail"],
    ["", "fail"],
  ])("%s is %s", (text, status) => {
    expect(check(text).status).toBe(status);
  });
  it("names the subject file and the classes it misses", () => {
    expect(check('{"map": {"0": 0}}')).toMatchObject({
      subject: "s3://b/datasets/x/label_map/train_label_map.json",
      message: "maps 1 of num_classes 3; no pixel value for classes 1, 2",
    });
  });
});

describe("manifest heads", () => {
  it("drops the line cut by the range read, skips blank lines, and says which line is wrong", () => {
    const text = '{"source-ref": "s3://b/a.jpg", "ann-ref": "s3://b/a.png"}\n\n[1]\n{"source-ref": "s3://b/c';
    const head = parseManifestHead(text, false, ["source-ref", "ann-ref"]);
    expect(head).toEqual({ lines: 2, refs: ["s3://b/a.jpg", "s3://b/a.png"], problems: ["line 2: not a JSON object"] });
  });
  it("refuses attributes that are not S3 URIs, and an empty manifest", () => {
    expect(parseManifestHead('{"source-ref": "a.jpg", "ann-ref": "s3://b/a.png"}\n', true, ["source-ref", "ann-ref"]).problems).toEqual([
      'line 1: "source-ref" not an s3:// URI',
    ]);
    expect(parseManifestHead("", true, ["source-ref"]).problems).toEqual(["no lines"]);
  });
});

describe("listings cut at the bound", () => {
  const listing = (keys: string[], complete: boolean): PrefixListing => ({
    bucket: "b",
    prefix: "p/",
    objects: keys.map((key) => ({ key, size: 10 })),
    pages: 3,
    complete,
  });
  it("warn, never pass silently, and unpaired names are then only a warning", () => {
    expect(checkListingBound("s3://b/p/", listing(["a.jpg"], false), 3000)).toMatchObject({
      status: "warn",
      fix: "Raise the bound: --max-objects N",
    });
    expect(checkListingBound("s3://b/p/", listing(["a.jpg"], true), 3000)).toBeUndefined();
    const pairs = checkPairs(
      { uri: "s3://b/i/", listing: listing(["a.jpg", "b.jpg"], false) },
      { uri: "s3://b/a/", listing: listing(["a.png"], true) },
      "train",
    );
    expect(pairs).toMatchObject({ status: "warn", numbers: { imagesWithoutAnnotation: 1 } });
    expect(pairs.message).toContain("(in the part listed)");
  });
  it("fail empty images even when their name is right", () => {
    const empty: PrefixListing = { ...listing([], true), objects: [{ key: "a.jpg", size: 0 }] };
    expect(checkFormats("s3://b/p/", ["train"], "images", empty)).toMatchObject({
      status: "fail",
      numbers: { empty: 1 },
      examples: ["a.jpg"],
    });
  });
});
