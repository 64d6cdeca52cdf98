/**
 * A small, valid campaign state machine definition for the component's tests, independent of the
 * campaign engine's generator: a Distributed Map reading its items from S3 under `campaigns/`, one
 * Standard child per item running `sagemaker:createTrainingJob.sync`.
 */
export function testDefinition(campaignsUri: string): string {
  const [, bucket = "", prefix = ""] = /^s3:\/\/([^/]+)\/(.*)$/.exec(campaignsUri) ?? [];
  return JSON.stringify({
    StartAt: "Trainings",
    States: {
      Trainings: {
        Type: "Map",
        ItemReader: {
          Resource: "arn:aws:states:::s3:getObject",
          ReaderConfig: { InputType: "JSON" },
          Parameters: { Bucket: bucket, "Key.$": "$.itemsKey" },
        },
        MaxConcurrency: 2,
        ItemProcessor: {
          ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
          StartAt: "Train",
          States: {
            Train: {
              Type: "Task",
              Resource: "arn:aws:states:::sagemaker:createTrainingJob.sync",
              Parameters: { "TrainingJobName.$": "$.TrainingJobName", "RoleArn.$": "$.RoleArn" },
              End: true,
            },
          },
        },
        ResultWriter: { Resource: "arn:aws:states:::s3:putObject", Parameters: { Bucket: bucket, Prefix: `${prefix}test-results` } },
        End: true,
      },
    },
  });
}
