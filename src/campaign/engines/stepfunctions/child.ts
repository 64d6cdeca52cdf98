import { type AslMachine, type AslState, escapeStringMatches, type Json, type Retrier } from "./asl.js";
import {
  END_CAUSE_RULES,
  type EndCauseRule,
  GENERIC_SAGEMAKER_ERROR,
  NEW_ATTEMPT_CAUSES,
  QUOTA_ERRORS,
  stepFunctionsErrorNames,
  THROTTLING_ERRORS,
  TRANSIENT_ERRORS,
} from "./policy.js";

/**
 * The child workflow: one Standard execution per item, that is per planned training. Its state is
 * `{request, name, attempt, maxRetries}`: the item (the CreateTrainingJob request of attempt 0),
 * the name of the attempt being made, its number and the campaign's retry budget. A job that ends
 * with a capacity or internal error loops back with `-r<attempt>` (a new job, as the launcher
 * does); an algorithm error ends the child as failed, so it counts against ToleratedFailureCount.
 * docs/server-side.md draws it.
 */

/** The child's state names (tests override the Task states by name). */
export const CHILD_STATES = {
  attempt: "Attempt",
  train: "Train",
  trainSpot: "Train on spot",
  trainVpc: "Train in the VPC",
  trainSpotVpc: "Train on spot in the VPC",
  whyEnded: "Why it ended",
  attemptsLeft: "Attempts left",
  nextAttempt: "Next attempt",
  stopped: "Stopped",
  failed: "Failed",
} as const;

/** Run a Job: create the training job and wait for its end (docs/sources.md#stepfunctions). */
export const SYNC_TRAINING_RESOURCE = "arn:aws:states:::sagemaker:createTrainingJob.sync";

/**
 * The CreateTrainingJob fields an item has besides its name (src/backend/request.ts), and those
 * only a spot item has. A JSONPath Task cannot pass an object through whole, and a path to a
 * missing field fails the state, so there is one Task per shape; a test fails when request.ts
 * sends a field that no shape lists.
 */
export const REQUEST_FIELDS = [
  "RoleArn",
  "AlgorithmSpecification",
  "HyperParameters",
  "InputDataConfig",
  "OutputDataConfig",
  "ResourceConfig",
  "StoppingCondition",
  "Tags",
] as const;
export const SPOT_REQUEST_FIELDS = ["EnableManagedSpotTraining", "CheckpointConfig"] as const;
/** Sent when the stack requires its VPC (stack outputs vpcSubnetIds / vpcSecurityGroupIds). */
export const VPC_REQUEST_FIELDS = ["VpcConfig"] as const;

/**
 * Retries of the create call, never of the job: throttling and transient errors briefly, a full
 * quota for about a day (the launcher waits for a job to end instead), the integration's generic
 * error as AWS's own SDK tests do. `States.TaskFailed` is never retried: it is the job's own
 * failure, and a retry would create the same name again (ResourceInUse).
 */
export const TRAIN_RETRY: readonly Retrier[] = [
  {
    ErrorEquals: stepFunctionsErrorNames([...THROTTLING_ERRORS, ...TRANSIENT_ERRORS]),
    IntervalSeconds: 2,
    BackoffRate: 2,
    MaxAttempts: 8,
    MaxDelaySeconds: 60,
    JitterStrategy: "FULL",
  },
  {
    ErrorEquals: stepFunctionsErrorNames(QUOTA_ERRORS),
    IntervalSeconds: 60,
    BackoffRate: 2,
    MaxAttempts: 100,
    MaxDelaySeconds: 900,
    JitterStrategy: "FULL",
  },
  {
    ErrorEquals: [GENERIC_SAGEMAKER_ERROR],
    IntervalSeconds: 5,
    BackoffRate: 2,
    MaxAttempts: 6,
    MaxDelaySeconds: 120,
    JitterStrategy: "FULL",
  },
];

/** `"Field":"value` as it may appear in the failure's Cause, a job description as JSON (compact or spaced). */
function jsonField(field: string, valueStart: string): string[] {
  return [`*"${field}":"${valueStart}`, `*"${field}": "${valueStart}`];
}

function caseVariants(text: string): string[] {
  const first = text.charAt(0).toUpperCase() + text.slice(1);
  const words = text.replace(/\b\w/g, (letter) => letter.toUpperCase());
  return [...new Set([text, first, words])];
}

/**
 * StringMatches patterns for one rule, on the Cause of a `.sync` failure: the job's description
 * as JSON (third-party evidence, docs/sources.md#stepfunctions-errors), or, should it be plain
 * text, the failure reason itself. ASL matching is case-sensitive: SageMaker's spellings are used.
 */
export function causePatterns(rule: EndCauseRule): string[] {
  const text = escapeStringMatches(rule.text);
  if (rule.match === "equals") return jsonField(rule.field, `${text}"*`);
  if (rule.match === "contains") return caseVariants(text).map((variant) => `*${variant}*`);
  const endings = [`${text}:*`, `${text} *`, `${text}"*`];
  return [...endings.flatMap((ending) => jsonField(rule.field, ending)), `${text}:*`, `${text} *`, text];
}

const causeMatches = (patterns: readonly string[]): Json => ({
  Or: patterns.map((pattern) => ({ Variable: "$.failure.Cause", StringMatches: pattern })),
});
const jobFailed: Json = { Variable: "$.failure.Error", StringEquals: "States.TaskFailed" };

function trainTask(fields: readonly string[]): AslState {
  const parameters: Record<string, Json> = { "TrainingJobName.$": "$.name" };
  for (const field of fields) parameters[`${field}.$`] = `$.request.${field}`;
  return {
    Type: "Task",
    Resource: SYNC_TRAINING_RESOURCE,
    Parameters: parameters,
    Retry: TRAIN_RETRY,
    Catch: [{ ErrorEquals: ["States.TaskFailed"], ResultPath: "$.failure", Next: CHILD_STATES.whyEnded }],
    End: true,
  };
}

/** The states that decide what an ended job means: a new attempt, a stop that does not count, or a failure. */
function endStates(): Record<string, AslState> {
  const newAttempt = END_CAUSE_RULES.filter((rule) => NEW_ATTEMPT_CAUSES.includes(rule.cause)).flatMap(causePatterns);
  const stopped = jsonField("TrainingJobStatus", 'Stopped"*');
  return {
    [CHILD_STATES.whyEnded]: {
      Type: "Choice",
      Choices: [
        { And: [jobFailed, causeMatches(newAttempt)], Next: CHILD_STATES.attemptsLeft },
        { And: [jobFailed, causeMatches(stopped)], Next: CHILD_STATES.stopped },
      ],
      Default: CHILD_STATES.failed,
    },
    [CHILD_STATES.attemptsLeft]: {
      Type: "Choice",
      Choices: [{ Variable: "$.attempt", NumericLessThanPath: "$.maxRetries", Next: CHILD_STATES.nextAttempt }],
      Default: CHILD_STATES.failed,
    },
    [CHILD_STATES.nextAttempt]: {
      Type: "Pass",
      Parameters: {
        "request.$": "$.request",
        "attempt.$": "States.MathAdd($.attempt, 1)",
        "maxRetries.$": "$.maxRetries",
        // attemptName() in src/plan/job-name.ts: `<planned name>-r<attempt>`.
        "name.$": "States.Format('{}-r{}', $.request.TrainingJobName, States.MathAdd($.attempt, 1))",
      },
      Next: CHILD_STATES.attempt,
    },
    // Stopped by someone or by max_runtime: like the launcher, not a failure of the point.
    [CHILD_STATES.stopped]: {
      Type: "Pass",
      Parameters: { "TrainingJobName.$": "$.name", TrainingJobStatus: "Stopped", "Cause.$": "$.failure.Cause" },
      End: true,
    },
    [CHILD_STATES.failed]: { Type: "Fail", ErrorPath: "$.failure.Error", CausePath: "$.failure.Cause" },
  };
}

/** The ItemProcessor's states (without ProcessorConfig). */
export function childMachine(): AslMachine {
  const spot = { Variable: "$.request.EnableManagedSpotTraining", IsPresent: true };
  const vpc = { Variable: "$.request.VpcConfig", IsPresent: true };
  return {
    StartAt: CHILD_STATES.attempt,
    States: {
      [CHILD_STATES.attempt]: {
        Type: "Choice",
        Choices: [
          { And: [spot, vpc], Next: CHILD_STATES.trainSpotVpc },
          { ...vpc, Next: CHILD_STATES.trainVpc },
          { ...spot, Next: CHILD_STATES.trainSpot },
        ],
        Default: CHILD_STATES.train,
      },
      [CHILD_STATES.train]: trainTask(REQUEST_FIELDS),
      [CHILD_STATES.trainSpot]: trainTask([...REQUEST_FIELDS, ...SPOT_REQUEST_FIELDS]),
      [CHILD_STATES.trainVpc]: trainTask([...REQUEST_FIELDS, ...VPC_REQUEST_FIELDS]),
      [CHILD_STATES.trainSpotVpc]: trainTask([...REQUEST_FIELDS, ...SPOT_REQUEST_FIELDS, ...VPC_REQUEST_FIELDS]),
      ...endStates(),
    },
  };
}
