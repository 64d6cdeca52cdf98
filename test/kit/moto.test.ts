import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Moto, startMoto } from "./moto.js";

describe("the moto server the tests share", () => {
  let moto: Moto;
  beforeAll(async () => {
    moto = await startMoto();
  });
  afterAll(async () => moto?.close());

  it("serves S3 and STS to the real AWS SDK on 127.0.0.1", async () => {
    const s3 = new S3Client({ endpoint: moto.endpoint, region: "us-east-1", forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: "kit-bucket" }));
    await s3.send(new PutObjectCommand({ Bucket: "kit-bucket", Key: "a/b.jpg", Body: "x" }));
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: "kit-bucket" }));
    expect(listed.Contents?.map((object) => object.Key)).toEqual(["a/b.jpg"]);
    const identity = await new STSClient({ endpoint: moto.endpoint, region: "us-east-1" }).send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toMatch(/^\d{12}$/);
    expect(moto.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
