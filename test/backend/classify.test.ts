import { describe, expect, it } from "vitest";
import { classifyAwsError, classifyEnd, quotaFromMessage } from "../../src/backend/classify.js";

describe("classifying AWS errors in one place", () => {
  it.each([
    [{ name: "ThrottlingException", message: "Rate exceeded" }, "throttled"],
    [{ name: "Whatever", $metadata: { httpStatusCode: 429 } }, "throttled"],
    [{ name: "ResourceLimitExceeded" }, "quota"],
    [{ name: "ResourceInUse" }, "exists"],
    [{ name: "ResourceNotFound" }, "not-found"],
    [{ name: "ValidationException" }, "validation"],
    [{ name: "ValidationException", message: "Requested resource not found." }, "not-found"],
    [{ name: "ExpiredTokenException" }, "access-denied"],
    [{ name: "Error", code: "ECONNRESET" }, "transient"],
    [{ name: "TimeoutError" }, "transient"],
    [{ name: "SomethingNew", $fault: "server" }, "transient"],
    [{ name: "SomethingNew", $fault: "client" }, "unknown"],
  ])("%o is %s", (error, kind) => {
    expect(classifyAwsError(error).kind).toBe(kind);
  });

  it("says how to provide credentials when the SDK found none", () => {
    const error = classifyAwsError({ name: "CredentialsProviderError", message: "Could not load credentials from any providers" });
    expect(error.kind).toBe("access-denied");
    expect(error.message).toMatch(/Set AWS_PROFILE/);
  });

  it("reads the quota's name and value from a ResourceLimitExceeded message", () => {
    expect(
      quotaFromMessage(
        "The account-level service limit 'ml.p3.2xlarge for training job usage' is 4 Instances, with current utilization of 4 Instances and a request delta of 1 Instances.",
      ),
    ).toEqual({ name: "ml.p3.2xlarge for training job usage", limit: 4 });
    expect(quotaFromMessage("Rate exceeded")).toEqual({});
  });
});

describe("classifying how a job ended", () => {
  it.each([
    [
      "Failed",
      "CapacityError: Unable to provision requested ML compute capacity. Please retry using a different ML instance type.",
      undefined,
      "capacity",
    ],
    ["Failed", "CapacityError: Insufficient capacity error from EC2 while launching instances", undefined, "capacity"],
    [
      "Failed",
      "InsufficientCapacityError: We currently do not have sufficient ml.p3.2xlarge capacity in us-east-1a",
      undefined,
      "capacity",
    ],
    ["Failed", "InsufficientCapacityError", undefined, "capacity"],
    ["Failed", "  insufficientcapacityerror: lower case, leading blanks", undefined, "capacity"],
    ["Failed", "InsufficientCapacity: no ml.p3.2xlarge in us-east-1a", undefined, "capacity"],
    ["Failed", "EC2InsufficientCapacityError: We currently do not have sufficient capacity", undefined, "capacity"],
    ["Failed", "InsufficientCapacityErrors: not the error class", undefined, "algorithm"],
    ["Failed", "ClientError: InsufficientCapacityError named mid-sentence is not the class", undefined, "algorithm"],
    ["Failed", "InternalServerError: We encountered an internal error. Please try again.", undefined, "internal"],
    ["Failed", "AlgorithmError: CUDA out of memory while training", undefined, "algorithm"],
    ["Failed", "ClientError: Unable to read annotation train_annotation/000117.png", undefined, "algorithm"],
    ["Failed", undefined, undefined, "algorithm"],
    ["Stopped", undefined, "MaxWaitTimeExceeded", "capacity"],
    ["Stopped", undefined, "MaxRuntimeExceeded", "stopped"],
    ["Stopped", undefined, "Stopped", "stopped"],
  ] as const)("%s %s (%s) is %s", (status, reason, secondary, cause) => {
    expect(classifyEnd(status, reason, secondary)).toBe(cause);
  });
});
