/**
 * The Amazon States Language definition of a server-side campaign (docs/pulumi.md, "Server-side
 * campaigns"): a Distributed Map over the campaign's items (each one the exact CreateTrainingJob
 * request segsweep would send), read from S3 under `campaigns/`, one Standard child per item running
 * `sagemaker:createTrainingJob.sync`. Pure: the Pulumi program (index.ts) deploys what it returns.
 */

/** Where the definition reads and writes: the stack output `campaignsUri` (`s3://<bucket>/<prefix>`). */
export interface StateMachineDefinitionInput {
  readonly campaignsUri: string;
}

/** The bucket and key prefix (empty or ending with `/`) of `campaignsUri`. */
function campaignsLocation(campaignsUri: string): { readonly bucket: string; readonly prefix: string } {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(campaignsUri);
  if (match === null) throw new Error(`campaignsUri must be an s3:// URI, got ${JSON.stringify(campaignsUri)}`);
  const key = (match[2] ?? "").replace(/\/+$/, "");
  return { bucket: match[1] ?? "", prefix: key === "" ? "" : `${key}/` };
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
 * "maxFailures": n }`. The items key must lie under `campaignsUri`, where the state machine's role
 * may read; results go to `<prefix>_results/` (`_` cannot begin a campaign name).
 */
export function stateMachineDefinition(input: StateMachineDefinitionInput): string {
  const { bucket, prefix } = campaignsLocation(input.campaignsUri);
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
    Comment: `segsweep campaign: one SageMaker training job per item under ${input.campaignsUri}`,
    StartAt: "Trainings",
    States: {
      Trainings: {
        Type: "Map",
        ItemReader: {
          Resource: "arn:aws:states:::s3:getObject",
          ReaderConfig: { InputType: "JSON" },
          Parameters: { Bucket: bucket, "Key.$": "$.itemsKey" },
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
          Parameters: { Bucket: bucket, Prefix: `${prefix}_results` },
        },
        End: true,
      },
    },
  };
  return JSON.stringify(definition);
}
