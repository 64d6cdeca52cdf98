import { describe, expect, it } from "vitest";
import { loadApiModel } from "../../src/standin/model.js";
import { validateShape } from "../../src/standin/validate.js";
import { HOUR, manualClock, standin } from "./helpers.js";
import { bayesianRequest } from "./tuning-helpers.js";

/**
 * The stand-in's answers to the tuning operations, on the wire, fit the output shapes of the API
 * model: what the real SDK parses from them is what it would parse from SageMaker.
 */
const model = loadApiModel();

async function call(endpoint: string, operation: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `SageMaker.${operation}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

function outputViolations(operation: string, json: unknown) {
  const shape = model.operations[operation]?.output?.shape;
  if (shape === undefined) throw new Error(`no output shape for ${operation}`);
  return validateShape(model, shape, json);
}

describe("the stand-in's tuning answers against the API model", () => {
  it("fit the output shapes while running, when done and when stopped", async () => {
    const clock = manualClock();
    const target = await standin({ clock, failureRates: { algorithm: 0.3 } });
    const request = await bayesianRequest(6, 2);
    const name = request.HyperParameterTuningJobName;
    const created = await call(target.endpoint, "CreateHyperParameterTuningJob", request);
    expect(created.status).toBe(200);
    expect(outputViolations("CreateHyperParameterTuningJob", created.json)).toEqual({ violations: [], typeMismatches: [] });
    for (const advance of [0, HOUR, 48 * HOUR]) {
      clock.advance(advance);
      for (const operation of ["DescribeHyperParameterTuningJob", "ListTrainingJobsForHyperParameterTuningJob"]) {
        const answer = await call(target.endpoint, operation, { HyperParameterTuningJobName: name });
        expect(answer.status).toBe(200);
        expect(outputViolations(operation, answer.json), `${operation} after ${advance} ms`).toEqual({
          violations: [],
          typeMismatches: [],
        });
      }
    }
    const second = await bayesianRequest(4, 2);
    const other = { ...second, HyperParameterTuningJobName: "stopped-one" };
    await call(target.endpoint, "CreateHyperParameterTuningJob", other);
    expect((await call(target.endpoint, "StopHyperParameterTuningJob", { HyperParameterTuningJobName: "stopped-one" })).status).toBe(200);
    const stopped = await call(target.endpoint, "DescribeHyperParameterTuningJob", { HyperParameterTuningJobName: "stopped-one" });
    expect(outputViolations("DescribeHyperParameterTuningJob", stopped.json)).toEqual({ violations: [], typeMismatches: [] });
  });
});
