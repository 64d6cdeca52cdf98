import "./promise-with-resolvers.js";
import type { CreateTrainingJobRequest } from "@aws-sdk/client-sagemaker";
import { StateMachine, type StateMachineDefinition } from "aws-local-stepfunctions";
import { describe, expect, it } from "vitest";
import { classifyEnd } from "../../../../src/backend/classify.js";
import { buildCreateTrainingJobRequest } from "../../../../src/backend/request.js";
import { CHILD_STATES } from "../../../../src/campaign/engines/stepfunctions/child.js";
import { stateMachineDocument } from "../../../../src/campaign/engines/stepfunctions/definition.js";
import { planExecution } from "../../../../src/campaign/engines/stepfunctions/execution.js";
import type { JobsPlan } from "../../../../src/plan/types.js";
import { makePlan, REASONS, STACK } from "./fixtures.js";
import { forLocalInterpreter } from "./swaps.js";

/**
 * The child workflow's behaviour on a real ASL interpreter (aws-local-stepfunctions 3.0.0): the
 * generated definition, with its Map made inline (swaps.ts), and the two training tasks overridden
 * by a fake SageMaker that records each request and ends each job as the case says.
 */

// Built once: the library validates the definition (with its own asl-validator) in the constructor.
const stateMachine = new StateMachine(
  forLocalInterpreter(stateMachineDocument({ campaignsUri: STACK.campaignsUri })) as unknown as StateMachineDefinition,
);

/** How the fake ends a job: its output, or a thrown error named as Step Functions names it. */
type Ending = { readonly output: unknown } | { readonly error: string; readonly cause: string };

/** A `.sync` failure: States.TaskFailed with the job's description as the Cause. */
const jobEnded = (status: "Failed" | "Stopped", failureReason?: string, secondaryStatus: string = status): Ending => ({
  error: "States.TaskFailed",
  cause: JSON.stringify({
    TrainingJobName: "x",
    TrainingJobStatus: status,
    SecondaryStatus: secondaryStatus,
    ...(failureReason ? { FailureReason: failureReason } : {}),
  }),
});
const completed: Ending = { output: { TrainingJobStatus: "Completed" } };

interface Run {
  readonly calls: CreateTrainingJobRequest[];
  readonly output?: unknown;
  readonly error?: { readonly name: string; readonly message: string };
}

/** Runs the campaign of `plan`; `end(request, callsSoFarForThisJob)` decides how each create ends. */
async function run(
  plan: JobsPlan,
  end: (request: CreateTrainingJobRequest, previous: number) => Ending,
  maxRetries?: number,
): Promise<Run> {
  const execution = planExecution({ plan, existingJobNames: [], stack: STACK, ...(maxRetries !== undefined ? { maxRetries } : {}) });
  if (execution === null) throw new Error("nothing to run");
  const calls: CreateTrainingJobRequest[] = [];
  const perJob = new Map<string, number>();
  const handler = async (input: unknown) => {
    const request = input as CreateTrainingJobRequest;
    calls.push(request);
    const planned = (request.TrainingJobName ?? "").replace(/-r\d+$/, "");
    const previous = perJob.get(planned) ?? 0;
    perJob.set(planned, previous + 1);
    const ending = end(request, previous);
    if ("output" in ending) return ending.output as never;
    throw Object.assign(new Error(ending.cause), { name: ending.error });
  };
  const { result } = stateMachine.run(
    { ...execution.input, inlineItems: JSON.parse(execution.items.body) },
    {
      overrides: {
        taskResourceLocalHandlers: { [CHILD_STATES.train]: handler, [CHILD_STATES.trainSpot]: handler },
        retryIntervalOverrides: { [CHILD_STATES.train]: 0, [CHILD_STATES.trainSpot]: 0 },
      },
    },
  );
  try {
    return { calls, output: await result };
  } catch (error) {
    const cause = (error as { cause?: { name: string; message: string } }).cause;
    return { calls, error: { name: cause?.name ?? "", message: cause?.message ?? String(error) } };
  }
}

const names = (calls: readonly CreateTrainingJobRequest[]) => calls.map((call) => call.TrainingJobName);

describe("the child workflow on aws-local-stepfunctions", () => {
  it("creates each planned job with exactly the request the launcher would send", async () => {
    const plan = makePlan({ jobs: 3 });
    const { calls, error } = await run(plan, () => completed);
    expect(error).toBeUndefined();
    expect(calls).toEqual(plan.jobs.map((job) => buildCreateTrainingJobRequest(plan, job, 0, STACK)));
  });

  it("creates spot jobs with their spot fields", async () => {
    const plan = makePlan({ jobs: 1, resources: { spot: true, maxWaitSeconds: 90_000 } });
    const { calls } = await run(plan, () => completed);
    expect(calls).toEqual([buildCreateTrainingJobRequest(plan, plan.jobs[0]!, 0, STACK)]);
    expect(calls[0]?.CheckpointConfig?.S3Uri).toMatch(/^s3:\/\/.+\/checkpoints\//);
  });

  it("after a capacity failure, creates attempt -r1: the same request under the next name", async () => {
    const plan = makePlan({ jobs: 2 });
    const [first, second] = plan.jobs;
    const { calls, error } = await run(plan, (request, previous) =>
      request.TrainingJobName === first?.name && previous === 0
        ? jobEnded("Failed", "CapacityError: Unable to provision requested ML compute capacity.")
        : completed,
    );
    expect(error).toBeUndefined();
    expect(names(calls).sort()).toEqual([first?.name, `${first?.name}-r1`, second?.name].sort());
    expect(calls.find((call) => call.TrainingJobName === `${first?.name}-r1`)).toEqual(
      buildCreateTrainingJobRequest(plan, first!, 1, STACK),
    );
  });

  it("gives up after -r2 when internal errors go on, failing with the job's own error", async () => {
    const plan = makePlan({ jobs: 1 });
    const { calls, error } = await run(plan, () => jobEnded("Failed", "InternalServerError: We encountered an internal error."));
    const name = plan.jobs[0]?.name;
    expect(names(calls)).toEqual([name, `${name}-r1`, `${name}-r2`]);
    expect(error?.name).toBe("States.TaskFailed");
    expect(error?.message).toMatch(/InternalServerError/);
  });

  it("takes the number of new attempts from the execution input", async () => {
    const plan = makePlan({ jobs: 1 });
    const { calls, error } = await run(plan, () => jobEnded("Failed", "CapacityError: none"), 0);
    expect(calls).toHaveLength(1);
    expect(error?.name).toBe("States.TaskFailed");
  });

  it("does not retry an algorithm error: the point fails once", async () => {
    const plan = makePlan({ jobs: 1 });
    const { calls, error } = await run(plan, () => jobEnded("Failed", "AlgorithmError: , exit code: 1"));
    expect(calls).toHaveLength(1);
    expect(error).toEqual({ name: "States.TaskFailed", message: expect.stringContaining("AlgorithmError") });
  });

  it("ends a stopped job's child without failing it, and retries a spot job whose capacity never came", async () => {
    const plan = makePlan({ jobs: 2, resources: { spot: true } });
    const [stopped, starved] = plan.jobs;
    const { calls, error } = await run(plan, (request, previous) => {
      if (request.TrainingJobName === stopped?.name) return jobEnded("Stopped", undefined, "MaxRuntimeExceeded");
      return previous === 0 ? jobEnded("Stopped", undefined, "MaxWaitTimeExceeded") : completed;
    });
    expect(error).toBeUndefined();
    expect(names(calls).sort()).toEqual([stopped?.name, starved?.name, `${starved?.name}-r1`].sort());
    expect(calls.find((call) => call.TrainingJobName === `${starved?.name}-r1`)).toEqual(
      buildCreateTrainingJobRequest(plan, starved!, 1, STACK),
    );
  });

  it("retries throttling and a full quota under the same name, and fails on a refused request", async () => {
    const plan = makePlan({ jobs: 1 });
    const name = plan.jobs[0]?.name;
    const api = (error: string): Ending => ({ error, cause: `${error}: Rate exceeded` });
    const retried = await run(plan, (_, previous) =>
      previous === 0 ? api("SageMaker.ThrottlingException") : previous === 1 ? api("SageMaker.ResourceLimitExceeded") : completed,
    );
    expect(names(retried.calls)).toEqual([name, name, name]);
    expect(retried.error).toBeUndefined();
    const refused = await run(plan, () => api("SageMaker.ValidationException"));
    expect(names(refused.calls)).toEqual([name]);
    expect(refused.error?.name).toBe("SageMaker.ValidationException");
  });

  it("decides new attempts from the failure reason as classifyEnd does, for every reason in the table", async () => {
    const plan = makePlan({ jobs: 1 });
    // Lower case and leading blanks are where ASL's case-sensitive matching differs (docs/server-side.md).
    for (const reason of REASONS.filter((text) => !/^\s|^[a-z]/.test(text))) {
      const cause = classifyEnd("Failed", reason, "Failed");
      const { calls } = await run(plan, (_, previous) => (previous === 0 ? jobEnded("Failed", reason) : completed));
      expect(calls.length, `${reason} -> ${cause}`).toBe(cause === "capacity" || cause === "internal" ? 2 : 1);
    }
  });

  it("also reads a plain-text cause that begins with the failure reason", async () => {
    const plan = makePlan({ jobs: 1 });
    const { calls } = await run(plan, (_, previous) =>
      previous === 0
        ? { error: "States.TaskFailed", cause: "CapacityError: Unable to provision requested ML compute capacity." }
        : completed,
    );
    expect(calls).toHaveLength(2);
  });
});
