import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createS3Reader, type S3Reader } from "../../src/backend/s3.js";
import { BackendError } from "../../src/backend/types.js";
import { type SeededMoto, startSeededMoto } from "../kit/moto-seeded.js";
import { putObjects, s3On } from "../preflight/kit.js";

/** The S3 reader against moto's S3 (seeded with 2,500 objects so a listing takes three pages). */

let moto: SeededMoto;
let s3: S3Reader;
const BUCKET = "s3-reader";
// Objects put through the server go to a bucket of their own: a put drops the seeded bucket's fast index.
const FILES = "s3-reader-files";
beforeAll(async () => {
  moto = await startSeededMoto([
    { bucket: BUCKET, key: "datasets/many/img-{}.jpg", count: 2500 },
    { bucket: BUCKET, key: "datasets/many-other/x-{}.jpg", count: 3 },
  ]);
  await putObjects(s3On(moto.endpoint), FILES, {
    "datasets/files/lines.manifest": "a\nb\nc",
    "datasets/files/empty": "",
    "datasets/files/big.txt": "0123456789".repeat(1000),
  });
  s3 = createS3Reader(s3On(moto.endpoint));
}, 60_000);
afterAll(async () => moto?.close());

describe("the S3 reader", () => {
  it("lists a prefix page by page, 1,000 keys a page, keys relative to the prefix", async () => {
    const pages: [number, number][] = [];
    const listing = await s3.listPrefix(BUCKET, "datasets/many/", {
      maxObjects: 1_000_000,
      onPage: (listed, page) => pages.push([listed, page]),
    });
    expect(listing).toMatchObject({ pages: 3, complete: true });
    expect(listing.objects).toHaveLength(2500);
    expect(listing.objects[0]).toEqual({ key: "img-000000.jpg", size: 1 });
    expect(listing.objects.at(-1)?.key).toBe("img-002499.jpg");
    expect(pages).toEqual([
      [1000, 1],
      [2000, 2],
      [2500, 3],
    ]);
  });

  it("stops at the bound after the page that passes it, and says the listing is partial", async () => {
    const listing = await s3.listPrefix(BUCKET, "datasets/many/", { maxObjects: 1500 });
    expect(listing).toMatchObject({ pages: 2, complete: false });
    expect(listing.objects).toHaveLength(2000);
  });

  it("reads the first bytes of an object with its whole size; an empty object is empty, not an error", async () => {
    expect(await s3.readStart(FILES, "datasets/files/big.txt", 15)).toEqual({ text: "012345678901234", size: 10_000 });
    expect(await s3.readStart(FILES, "datasets/files/lines.manifest", 1024)).toEqual({ text: "a\nb\nc", size: 5 });
    expect(await s3.readStart(FILES, "datasets/files/empty", 1024)).toEqual({ text: "", size: 0 });
  });

  it("counts lines, the last one without a newline included, and refuses objects over the bound", async () => {
    expect(await s3.countLines(FILES, "datasets/files/lines.manifest", 1024)).toBe(3);
    expect(await s3.countLines(FILES, "datasets/files/big.txt", 1024)).toBeUndefined();
  });

  it("tells a missing key and a missing bucket apart from other errors", async () => {
    expect(await s3.exists(FILES, "datasets/files/empty")).toBe(true);
    expect(await s3.exists(FILES, "datasets/files/nothing")).toBe(false);
    const missingKey = await s3.readStart(FILES, "datasets/files/nothing", 10).catch((error: unknown) => error);
    expect(missingKey).toBeInstanceOf(BackendError);
    expect(missingKey).toMatchObject({ kind: "not-found", code: "NoSuchKey" });
    const missingBucket = await s3.listPrefix("no-such-bucket-here", "x/", { maxObjects: 10 }).catch((error: unknown) => error);
    expect(missingBucket).toMatchObject({ kind: "not-found", code: "NoSuchBucket" });
    expect(s3.calls).toMatchObject({ ListObjectsV2: 6, HeadObject: 2 });
  });
});
