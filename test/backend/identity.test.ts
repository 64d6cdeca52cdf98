import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerIdentity, describeIdentity, endpointFromEnv, simulatedIdentity } from "../../src/backend/identity.js";
import { BackendError } from "../../src/backend/types.js";
import { createFakeClock } from "../kit/clock.js";
import { type Moto, startMoto } from "../kit/moto.js";

/** Who and where, asked of a real STS implementation (moto's server) through the AWS SDK. */
let moto: Moto;
beforeAll(async () => {
  moto = await startMoto();
});
afterAll(async () => {
  await moto.close();
});

const credentials = { accessKeyId: "AKIDSEGSWEEPTEST", secretAccessKey: "segsweep-test-secret" };

describe("the caller's identity", () => {
  it("comes from STS GetCallerIdentity at AWS_ENDPOINT_URL_STS, with the SageMaker endpoint the environment names", async () => {
    const env = { AWS_ENDPOINT_URL_STS: moto.endpoint, AWS_ENDPOINT_URL_SAGEMAKER: "http://127.0.0.1:4010" };
    const identity = await callerIdentity({ region: "eu-west-1", env, credentials, clock: createFakeClock() });
    expect(identity).toMatchObject({ account: "123456789012", region: "eu-west-1", endpoint: "http://127.0.0.1:4010" });
    expect(identity.arn).toMatch(/^arn:aws:(iam|sts)::123456789012:/);
    expect(describeIdentity(identity)).toBe("account 123456789012, eu-west-1 via http://127.0.0.1:4010");
  });

  it("names no endpoint for AWS's own, and takes AWS_ENDPOINT_URL when no service-specific one is set", async () => {
    const identity = await callerIdentity({ region: "us-east-1", env: { AWS_ENDPOINT_URL_STS: moto.endpoint }, credentials });
    expect(identity.endpoint).toBeUndefined();
    expect(describeIdentity(identity)).toBe("account 123456789012, us-east-1");
    expect(endpointFromEnv({ AWS_ENDPOINT_URL: "http://x:1", AWS_ENDPOINT_URL_SQS: " " }, "SQS")).toBe("http://x:1");
  });

  it("fails as a classified backend error when STS cannot be reached", async () => {
    const clock = createFakeClock();
    const failure = await callerIdentity({
      region: "us-east-1",
      env: { AWS_ENDPOINT_URL_STS: "http://127.0.0.1:1" },
      credentials,
      clock,
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BackendError);
    expect((failure as BackendError).kind).toBe("transient");
  });

  it("of a rehearsal is made up, and says so", () => {
    expect(describeIdentity(simulatedIdentity("us-east-1", "http://127.0.0.1:9"))).toBe(
      "simulated account 000000000000, us-east-1 via http://127.0.0.1:9",
    );
  });
});
