import { createHash } from "node:crypto";
import type { CreateTrainingJobRequest } from "@aws-sdk/client-sagemaker";
import { buildCreateTrainingJobRequest, type RequestContext } from "../../../backend/request.js";
import { parseJobName } from "../../../plan/job-name.js";
import type { JobsPlan } from "../../../plan/types.js";
import type { StackOutputs } from "../../../stack/outputs.js";

/**
 * A campaign's items: what the Distributed Map iterates over. One item per planned training that
 * has no SageMaker job yet (no attempt of it exists), each the exact CreateTrainingJob request of
 * its first attempt as `segsweep launch --dry-run` prints it. A relaunch after a sweep change thus
 * carries only what is missing; the child derives the names of later attempts from the item.
 */
export interface CampaignItems {
  /** In plan order. */
  readonly items: readonly CreateTrainingJobRequest[];
  /** The items file: a JSON array (ItemReader InputType JSON), exactly the bytes written to S3. */
  readonly body: string;
  /** 16 hex characters of the body's SHA-256: names the file and the execution. */
  readonly hash: string;
  /** Planned jobs left out because SageMaker has a job of theirs already. */
  readonly alreadyLaunched: readonly string[];
}

/** Hex characters of the items hash: 64 bits, so two different item sets share a name with probability ~2^-64. */
export const ITEMS_HASH_LENGTH = 16;

/** The items of `plan` given the names of the SageMaker jobs that already exist (any attempt, any status). */
export function campaignItems(
  plan: JobsPlan,
  existingJobNames: Iterable<string>,
  stack: StackOutputs,
  context: RequestContext = {},
): CampaignItems {
  const launched = new Set<string>();
  for (const name of existingJobNames) {
    const plannedName = parseJobName(name)?.plannedName;
    if (plannedName !== undefined) launched.add(plannedName);
  }
  const items: CreateTrainingJobRequest[] = [];
  const alreadyLaunched: string[] = [];
  for (const job of plan.jobs) {
    if (launched.has(job.name)) alreadyLaunched.push(job.name);
    else items.push(buildCreateTrainingJobRequest(plan, job, 0, stack, context));
  }
  const body = JSON.stringify(items);
  const hash = createHash("sha256").update(body).digest("hex").slice(0, ITEMS_HASH_LENGTH);
  return { items, body, hash, alreadyLaunched };
}
