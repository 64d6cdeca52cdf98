import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCampaignItemsStore } from "../../src/backend/campaign-items.js";
import { BackendError } from "../../src/backend/types.js";
import { type Moto, startMoto } from "../kit/moto.js";

const credentials = { accessKeyId: "AKIDSEGSWEEPTEST", secretAccessKey: "segsweep-test-secret" };

describe("the campaign items store, on moto's S3", () => {
  let moto: Moto;
  beforeAll(async () => {
    moto = await startMoto();
    const s3 = new S3Client({ region: "us-east-1", endpoint: moto.endpoint, credentials, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: "items-bucket" }));
  });
  afterAll(async () => moto?.close());

  const store = () => createCampaignItemsStore({ region: "us-east-1", endpoint: moto.endpoint, credentials });

  it("writes the items file and reads back the same text; a second write of the same items is harmless", async () => {
    const location = { bucket: "items-bucket", key: "campaigns/c/items/0123456789abcdef.json" };
    const body = JSON.stringify([{ TrainingJobName: "c-0123456789ab", HyperParameters: { note: "é ✓" } }]);
    expect(await store().write(location, body)).toEqual({ bytes: Buffer.byteLength(body) });
    expect(await store().write(location, body)).toEqual({ bytes: Buffer.byteLength(body) });
    expect(await store().read(location)).toBe(body);
  });

  it("reads a missing items file as null", async () => {
    expect(await store().read({ bucket: "items-bucket", key: "campaigns/c/items/none.json" })).toBeNull();
  });

  it("reports a write it cannot do as a BackendError naming the S3 location", async () => {
    const failure = await store()
      .write({ bucket: "no-such-bucket-here", key: "campaigns/x.json" }, "[]")
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(BackendError);
    expect((failure as BackendError).message).toMatch(/^PutObject s3:\/\/no-such-bucket-here\/campaigns\/x\.json: /);
  });
});
