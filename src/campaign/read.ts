import type { JobDetails, TrainingBackend } from "../backend/types.js";
import { TAG_CAMPAIGN } from "../catalog/sagemaker-api.js";

/**
 * Reading a campaign for `status`, `report` and `stop`, in as few calls as SageMaker allows.
 * Every job of a campaign carries its `segsweep:campaign` tag (the operator policy requires it),
 * so one Search by that tag returns them all as full records, metrics and tags included, 100 per
 * call: a report of 10,000 ended jobs costs 100 calls instead of a listing plus 10,000 describes
 * (docs/sources.md#describe-list-search, #campaign). The records are SageMaker's own: nothing local stands in.
 */

/** Every job tagged with the campaign, as full records (Search). */
export function readCampaignJobs(backend: TrainingBackend, campaign: string, signal?: AbortSignal): Promise<JobDetails[]> {
  return backend.searchJobs({ [TAG_CAMPAIGN]: campaign }, signal !== undefined ? { signal } : {});
}
