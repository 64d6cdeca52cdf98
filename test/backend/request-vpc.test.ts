import { describe, expect, it } from "vitest";
import { buildCreateTrainingJobRequest } from "../../src/backend/request.js";
import { buildCreateTuningJobRequest } from "../../src/backend/tuning-request.js";
import type { AslState } from "../../src/campaign/engines/stepfunctions/asl.js";
import { CHILD_STATES } from "../../src/campaign/engines/stepfunctions/child.js";
import { MAP_STATE, stateMachineDocument } from "../../src/campaign/engines/stepfunctions/definition.js";
import { checkDefinition } from "../../src/campaign/engines/stepfunctions/rules.js";
import type { StackOutputs } from "../../src/stack/outputs.js";
import { loadApiModel } from "../../src/standin/model.js";
import { validateShape, validationMessage } from "../../src/standin/validate.js";
import { makePlan } from "../campaign/fixtures.js";
import { sweepText } from "../kit/cli.js";
import { STACK } from "../kit/stack.js";
import { STACK as TUNING_STACK, tuningPlan } from "../standin/tuning-helpers.js";

/** What a stack deployed with `pulumi config set requireVpc true` adds to its outputs. */
const VPC_ONLY = { vpcSubnetIds: ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"], vpcSecurityGroupIds: ["sg-0123456789abcdef0"] };
const VPC_STACK: StackOutputs = { ...STACK, ...VPC_ONLY };

function violations(request: unknown): string {
  const result = validateShape(loadApiModel(), "CreateTrainingJobRequest", request);
  expect(result.typeMismatches).toEqual([]);
  return result.violations.length === 0 ? "" : validationMessage(result.violations);
}

describe("CreateHyperParameterTuningJob in the stack's VPC", () => {
  it("its training job definition carries the stack's VpcConfig, valid against the API model", async () => {
    const plan = await tuningPlan(sweepText("learning_rate: [0.001, 0.01]", "strategy: bayesian\nsamples: 4"));
    const request = buildCreateTuningJobRequest(plan, plan.branches[0]!, { ...TUNING_STACK, ...VPC_ONLY });
    expect(request.TrainingJobDefinition?.VpcConfig).toEqual({
      Subnets: VPC_ONLY.vpcSubnetIds,
      SecurityGroupIds: VPC_ONLY.vpcSecurityGroupIds,
    });
    const result = validateShape(loadApiModel(), "CreateHyperParameterTuningJobRequest", request);
    expect({ violations: result.violations, typeMismatches: result.typeMismatches }).toEqual({ violations: [], typeMismatches: [] });
    expect(buildCreateTuningJobRequest(plan, plan.branches[0]!, TUNING_STACK).TrainingJobDefinition?.VpcConfig).toBeUndefined();
  });
});

describe("CreateTrainingJob in the stack's VPC", () => {
  const plan = makePlan({ jobs: 1 });
  const job = plan.jobs[0]!;

  it("carries exactly the stack's subnets and security groups, valid against the SageMaker API model", () => {
    const request = buildCreateTrainingJobRequest(plan, job, 0, VPC_STACK);
    expect(request.VpcConfig).toEqual({
      Subnets: ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"],
      SecurityGroupIds: ["sg-0123456789abcdef0"],
    });
    expect(violations(request)).toBe("");
  });

  it("has no VpcConfig when the stack does not require its VPC", () => {
    expect("VpcConfig" in buildCreateTrainingJobRequest(plan, job, 0, STACK)).toBe(false);
  });
});

/** The state the child's first Choice sends an item to (IsPresent and And are all it uses). */
function pickedTask(request: Record<string, unknown>): string {
  const map = stateMachineDocument({ campaignsUri: STACK.campaignsUri }).States[MAP_STATE] as AslState & {
    ItemProcessor: { States: Record<string, AslState & { Choices?: Rule[]; Default?: string }> };
  };
  type Rule = { Variable?: string; IsPresent?: boolean; And?: Rule[]; Next?: string };
  const holds = (rule: Rule): boolean =>
    rule.And !== undefined ? rule.And.every(holds) : (rule.Variable?.replace("$.request.", "") ?? "") in request === rule.IsPresent;
  const attempt = map.ItemProcessor.States[CHILD_STATES.attempt]!;
  return attempt.Choices?.find(holds)?.Next ?? attempt.Default ?? "";
}

describe("the Step Functions child passes VpcConfig through", () => {
  const states = (
    stateMachineDocument({ campaignsUri: STACK.campaignsUri }).States[MAP_STATE] as AslState & {
      ItemProcessor: { States: Record<string, AslState> };
    }
  ).ItemProcessor.States;

  for (const [shape, plan] of Object.entries({
    "on demand": makePlan({ jobs: 1 }),
    spot: makePlan({ jobs: 1, resources: { spot: true, maxWaitSeconds: 90_000 } }),
  })) {
    it(`${shape}, with and without the VPC: the task picked names exactly the request's fields`, () => {
      for (const stack of [STACK, VPC_STACK]) {
        const request = buildCreateTrainingJobRequest(plan, plan.jobs[0]!, 0, stack);
        const task = states[pickedTask(request as unknown as Record<string, unknown>)];
        const passed = Object.keys(task?.Parameters as Record<string, unknown>).map((key) => key.replace(/\.\$$/, ""));
        expect(passed.sort()).toEqual(Object.keys(request).sort());
      }
    });
  }

  it("still follows the definition's own rules", () => {
    expect(checkDefinition(JSON.parse(JSON.stringify(stateMachineDocument({ campaignsUri: STACK.campaignsUri }))))).toEqual([]);
  });
});
