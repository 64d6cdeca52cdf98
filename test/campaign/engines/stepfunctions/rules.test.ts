import { describe, expect, it } from "vitest";
import type { Json } from "../../../../src/campaign/engines/stepfunctions/asl.js";
import { CHILD_STATES } from "../../../../src/campaign/engines/stepfunctions/child.js";
import { MAP_STATE, stateMachineDefinition } from "../../../../src/campaign/engines/stepfunctions/definition.js";
import { checkDefinition } from "../../../../src/campaign/engines/stepfunctions/rules.js";
import { type EditableMap, type EditableState, editableCopy, STACK, validateAsl } from "./fixtures.js";

/** A copy of the real definition, edited by `edit` (map = the Map state, child = its states). */
function broken(edit: (map: EditableMap, child: Record<string, EditableState>) => void): Json {
  const { copy, map, child } = editableCopy(JSON.parse(stateMachineDefinition({ campaignsUri: STACK.campaignsUri })), MAP_STATE);
  edit(map, child);
  return copy as unknown as Json;
}

describe("our own state machine rules", () => {
  it("refuse a SageMaker task that waits for a task token (asl-validator accepts it)", () => {
    const definition = broken((_, child) => {
      child[CHILD_STATES.train]!.Resource = "arn:aws:states:::sagemaker:createTrainingJob.waitForTaskToken";
    });
    expect(validateAsl(definition).isValid).toBe(true);
    expect(checkDefinition(definition)).toEqual([
      expect.objectContaining({ state: `${MAP_STATE}/${CHILD_STATES.train}`, rule: "sagemaker-integration" }),
    ]);
  });

  it("accept request-response and .sync SageMaker tasks", () => {
    const definition = broken((_, child) => {
      child[CHILD_STATES.train]!.Resource = "arn:aws:states:::sagemaker:createTrainingJob";
    });
    expect(checkDefinition(definition)).toEqual([]);
  });

  it("refuse a Map without MaxConcurrency, or with 0 (no limit)", () => {
    const absent = broken((map) => {
      delete map.MaxConcurrencyPath;
    });
    expect(checkDefinition(absent)).toEqual([expect.objectContaining({ state: MAP_STATE, rule: "map-concurrency" })]);
    const zero = broken((map) => {
      delete map.MaxConcurrencyPath;
      map.MaxConcurrency = 0;
    });
    expect(checkDefinition(zero)).toEqual([expect.objectContaining({ rule: "map-concurrency" })]);
    const fixed = broken((map) => {
      delete map.MaxConcurrencyPath;
      map.MaxConcurrency = 8;
    });
    expect(checkDefinition(fixed)).toEqual([]);
  });

  it("refuse States.TaskFailed or States.ALL in a Retry list, wherever it is", () => {
    const definition = broken((map, child) => {
      child[CHILD_STATES.trainSpot]!.Retry![1]!.ErrorEquals.push("States.TaskFailed");
      map.Retry = [{ ErrorEquals: ["States.ALL"], MaxAttempts: 2 }];
    });
    const violations = checkDefinition(definition);
    expect(violations.map((violation) => [violation.state, violation.rule])).toEqual([
      [MAP_STATE, "retry-errors"],
      [`${MAP_STATE}/${CHILD_STATES.trainSpot}`, "retry-errors"],
    ]);
    expect(violations[0]?.message).toMatch(/States\.ALL/);
  });

  it("refuse .sync tasks inside Express children", () => {
    const definition = broken((map) => {
      map.ItemProcessor.ProcessorConfig.ExecutionType = "EXPRESS";
    });
    expect(checkDefinition(definition)).toEqual([expect.objectContaining({ state: MAP_STATE, rule: "express-sync" })]);
  });

  it("look inside Parallel branches and nested Maps", () => {
    const definition = {
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          End: true,
          Branches: [
            {
              StartAt: "M",
              States: {
                M: {
                  Type: "Map",
                  End: true,
                  ItemProcessor: {
                    StartAt: "T",
                    States: { T: { Type: "Task", Resource: "arn:aws:states:::sagemaker:createTransformJob.waitForTaskToken", End: true } },
                  },
                },
              },
            },
          ],
        },
      },
    };
    expect(checkDefinition(definition).map((violation) => [violation.state, violation.rule])).toEqual([
      ["P/M", "map-concurrency"],
      ["P/M/T", "sagemaker-integration"],
    ]);
  });

  it("say so when given something that is not a state machine", () => {
    expect(checkDefinition([1, 2])).toEqual([expect.objectContaining({ rule: "shape" })]);
  });
});

describe("asl-validator, as these tests use it", () => {
  it("rejects a Distributed Map without ExecutionType and a transition to a missing state", () => {
    const noType = broken((map) => {
      delete map.ItemProcessor.ProcessorConfig.ExecutionType;
    });
    expect(validateAsl(noType).isValid).toBe(false);
    const missing = broken((_, child) => {
      child[CHILD_STATES.nextAttempt]!.Next = "Nowhere";
    });
    expect(validateAsl(missing).isValid).toBe(false);
  });
});
