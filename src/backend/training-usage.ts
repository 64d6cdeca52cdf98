import { type SageMakerClient, SearchCommand, type SearchCommandOutput } from "@aws-sdk/client-sagemaker";
import { LIST_PAGE_SIZE } from "../catalog/sagemaker-api.js";
import { classifyAwsError } from "./classify.js";

/**
 * The training instances in use in the account now: what counts against the training quotas
 * before a campaign starts. One Search call per 100 in-progress jobs (docs/sources.md#describe-list-search):
 * each result is the whole training-job record, instance type included, where ListTrainingJobs
 * (StatusEquals=InProgress) would need a DescribeTrainingJob per job for it.
 */

/** An in-progress training job and the instances it holds. */
export interface RunningJob {
  readonly name: string;
  readonly instanceType: string;
  readonly instanceCount: number;
  readonly spot: boolean;
}

export interface TrainingUsageReader {
  /** Every InProgress training job of the account in the client's region. Rejects with a BackendError. */
  inProgressJobs(signal?: AbortSignal): Promise<RunningJob[]>;
  readonly calls: Readonly<Record<string, number>>;
}

/** The TrainingUsageReader over an SDK client. Retries (throttling, 5xx) are the SDK's. */
export function createTrainingUsageReader(client: SageMakerClient): TrainingUsageReader {
  const calls: Record<string, number> = {};
  return {
    calls,
    async inProgressJobs(signal) {
      const jobs: RunningJob[] = [];
      let token: string | undefined;
      do {
        calls.Search = (calls.Search ?? 0) + 1;
        let page: SearchCommandOutput;
        try {
          page = await client.send(
            new SearchCommand({
              Resource: "TrainingJob",
              SearchExpression: { Filters: [{ Name: "TrainingJobStatus", Operator: "Equals", Value: "InProgress" }] },
              MaxResults: LIST_PAGE_SIZE,
              NextToken: token,
            }),
            signal ? { abortSignal: signal } : {},
          );
        } catch (error) {
          throw classifyAwsError(error);
        }
        for (const record of page.Results ?? []) {
          const job = record.TrainingJob;
          if (job === undefined) continue;
          jobs.push({
            name: job.TrainingJobName ?? "",
            instanceType: job.ResourceConfig?.InstanceType ?? "unknown",
            instanceCount: job.ResourceConfig?.InstanceCount ?? 1,
            spot: job.EnableManagedSpotTraining === true,
          });
        }
        token = page.NextToken || undefined;
      } while (token !== undefined);
      return jobs;
    },
  };
}
