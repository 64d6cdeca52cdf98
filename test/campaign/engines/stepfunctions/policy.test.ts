import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { classifyAwsError, classifyEnd, type EndCause } from "../../../../src/backend/classify.js";
import {
  END_CAUSE_RULES,
  endCauseByRules,
  MAX_RETRIES,
  NEW_ATTEMPT_CAUSES,
  QUOTA_ERRORS,
  stepFunctionsErrorNames,
  THROTTLING_ERRORS,
  TRANSIENT_ERRORS,
} from "../../../../src/campaign/engines/stepfunctions/policy.js";
import { campaignPolicy, DEFAULT_MAX_RETRIES, nextAttempt } from "../../../../src/campaign/policy.js";
import { REASONS } from "./fixtures.js";

describe("the retry policy the state machine carries out", () => {
  it("classifies failed jobs as the launcher does (classifyEnd)", () => {
    for (const failureReason of REASONS) {
      expect(endCauseByRules({ status: "Failed", failureReason }), failureReason).toBe(classifyEnd("Failed", failureReason, "Failed"));
    }
    expect(endCauseByRules({ status: "Failed" })).toBe(classifyEnd("Failed", undefined, undefined));
  });

  it("classifies stopped jobs as the launcher does: spot capacity that never came, or a stop", () => {
    for (const secondaryStatus of ["MaxWaitTimeExceeded", "MaxRuntimeExceeded", "Stopped", undefined]) {
      expect(endCauseByRules({ status: "Stopped", ...(secondaryStatus ? { secondaryStatus } : {}) })).toBe(
        classifyEnd("Stopped", "CapacityError: ignored when stopped", secondaryStatus),
      );
    }
  });

  it("agrees with classifyEnd on reasons made of the rules' own words", () => {
    const words = [...END_CAUSE_RULES.map((rule) => rule.text), "AlgorithmError", "ClientError", ":", " ", "x", "Error"];
    const reason = fc.array(fc.constantFrom(...words), { maxLength: 5 }).map((parts) => parts.join(""));
    fc.assert(
      fc.property(
        reason,
        fc.constantFrom<"Failed" | "Stopped">("Failed", "Stopped"),
        fc.constantFrom("MaxWaitTimeExceeded", "Stopped"),
        (failureReason, status, secondaryStatus) => {
          expect(endCauseByRules({ status, failureReason, secondaryStatus })).toBe(classifyEnd(status, failureReason, secondaryStatus));
        },
      ),
    );
  });

  it("gives new attempts for the same causes and as many as the launcher", () => {
    const causes: EndCause[] = ["capacity", "internal", "algorithm", "stopped"];
    const policy = campaignPolicy({ maxConcurrency: 1, maxFailures: 0, pollIntervalMs: 1000, maxRetries: MAX_RETRIES });
    expect(causes.filter((cause) => nextAttempt(policy, { state: "failed", cause, attempt: 0 }) !== undefined)).toEqual([
      ...NEW_ATTEMPT_CAUSES,
    ]);
    expect(nextAttempt(policy, { state: "failed", cause: "capacity", attempt: MAX_RETRIES })).toBeUndefined();
    expect(MAX_RETRIES).toBe(DEFAULT_MAX_RETRIES);
  });

  it("waits out the API errors the launcher waits out", () => {
    const kind = (name: string) => classifyAwsError(Object.assign(new Error("x"), { name })).kind;
    expect(THROTTLING_ERRORS.map(kind)).toEqual(THROTTLING_ERRORS.map(() => "throttled"));
    expect(TRANSIENT_ERRORS.map(kind)).toEqual(TRANSIENT_ERRORS.map(() => "transient"));
    expect(QUOTA_ERRORS.map(kind)).toEqual(["quota"]);
  });

  it("names each API error with and without the Exception suffix, as Step Functions may", () => {
    expect(stepFunctionsErrorNames(["ResourceLimitExceeded", "ThrottlingException"])).toEqual([
      "SageMaker.ResourceLimitExceeded",
      "SageMaker.ResourceLimitExceededException",
      "SageMaker.ThrottlingException",
      "SageMaker.Throttling",
    ]);
  });
});
