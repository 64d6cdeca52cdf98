/**
 * The Amazon States Language definition of a server-side campaign (docs/pulumi.md, "Server-side
 * campaigns"): a Distributed Map over the campaign's items (each one the exact CreateTrainingJob
 * request segsweep would send), read from S3 under `campaigns/`, one Standard child per item running
 * `sagemaker:createTrainingJob.sync`. Pure: the Pulumi program (index.ts) deploys what it returns.
 */

/** Where the definition reads and writes. */
export interface StateMachineDefinitionInput {
  /** The stack's bucket. */
  readonly campaignsBucket: string;
  /** Prefix under which the CLI writes each campaign's items file. */
  readonly campaignsPrefix: string;
  /** Prefix under which the Map Run's results are written. */
  readonly resultsPrefix: string;
}

/**
 * API throttling, quota and transient SageMaker errors, in both spellings in use
 * (docs/sources.md#infra-step-functions). Never `States.TaskFailed`: that is a failed or stopped job, and
 * a retry would re-create the same job name and get ResourceInUse.
 */
export const RETRIED_ERRORS = [
  "SageMaker.AmazonSageMakerException",
  "SageMaker.ThrottlingException",
  "SageMaker.ResourceLimitExceededException",
  "SageMaker.ResourceLimitExceeded",
] as const;

/**
 * The execution input: `{ "itemsKey": "<key of the items JSON array>", "maxConcurrency": n,
 * "maxFailures": n }`. The items key must lie under `campaignsPrefix`, where the state machine's
 * role may read.
 */
export function stateMachineDefinition(input: StateMachineDefinitionInput): string {
  const train = {
    Type: "Task",
    // One item is one whole CreateTrainingJob request: JSONata passes it through as the task's arguments.
    QueryLanguage: "JSONata",
    Resource: "arn:aws:states:::sagemaker:createTrainingJob.sync",
    Arguments: "{% $states.input %}",
    Retry: [{ ErrorEquals: [...RETRIED_ERRORS], IntervalSeconds: 30, BackoffRate: 2, MaxAttempts: 6, JitterStrategy: "FULL" }],
    End: true,
  };
  const definition = {
    Comment: `segsweep campaign: one SageMaker training job per item under ${input.campaignsPrefix}`,
    StartAt: "Trainings",
    States: {
      Trainings: {
        Type: "Map",
        ItemReader: {
          Resource: "arn:aws:states:::s3:getObject",
          ReaderConfig: { InputType: "JSON" },
          Parameters: { Bucket: input.campaignsBucket, "Key.$": "$.itemsKey" },
        },
        MaxConcurrencyPath: "$.maxConcurrency",
        ToleratedFailureCountPath: "$.maxFailures",
        // One child per item (no ItemBatcher): one child, one training job.
        ItemProcessor: {
          ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
          StartAt: "Train",
          States: { Train: train },
        },
        ResultWriter: {
          Resource: "arn:aws:states:::s3:putObject",
          Parameters: { Bucket: input.campaignsBucket, Prefix: input.resultsPrefix },
        },
        End: true,
      },
    },
  };
  return JSON.stringify(definition);
}
