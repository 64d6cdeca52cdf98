import { TRAINING_JOB_NAME_MAX } from "../catalog/sagemaker-api.js";

/**
 * Training job names: the one place that builds and reads them. SageMaker allows 1-63 characters
 * matching ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$, unique per account and region
 * (CreateTrainingJob.TrainingJobName, API model; docs/sources.md#create-training-job).
 *
 * A planned job (one point) is `<campaign>-<pointId>`, the point id being 12 hex digits of a hash
 * of what defines the training. An automatic new attempt after a capacity or internal error is a
 * new job `<campaign>-<pointId>-r<N>`, N from 1 to 99: a name cannot be reused while the failed
 * job exists. Campaign names (sweep/definition.ts) are short enough that every attempt name fits.
 */
export { TRAINING_JOB_NAME_PATTERN as JOB_NAME_PATTERN } from "../catalog/sagemaker-api.js";

/** Hex digits of the point id in a job name: 48 bits keep collisions negligible for any plannable campaign. */
export const POINT_ID_HEX = 12;

/** The highest attempt number a name can carry (`-r99`). */
export const MAX_ATTEMPT = 99;

/** The longest suffix a campaign name gets: `-<pointId>-r99`. */
export const JOB_NAME_SUFFIX_MAX = 1 + POINT_ID_HEX + `-r${MAX_ATTEMPT}`.length;

/** The longest campaign name whose every attempt name fits SageMaker's limit. */
export const CAMPAIGN_NAME_LIMIT = TRAINING_JOB_NAME_MAX - JOB_NAME_SUFFIX_MAX;

const POINT_ID = `[0-9a-f]{${POINT_ID_HEX}}`;
const ATTEMPT = `[1-9][0-9]{0,${String(MAX_ATTEMPT).length - 1}}`;
/** `<planned name>` (which ends in the point id) and an optional `-r<N>`. */
const ATTEMPT_NAME = new RegExp(`^(.+-(${POINT_ID}))(?:-r(${ATTEMPT}))?$`);

/** The planned job name of a point: `<campaign>-<pointId>`. */
export function plannedJobName(campaign: string, pointId: string): string {
  return `${campaign}-${pointId}`;
}

/** What every job name of a campaign starts with (ListTrainingJobs NameContains, the events filter). */
export function campaignPrefix(campaign: string): string {
  return `${campaign}-`;
}

/** The name of attempt `attempt` (0 = the planned job itself) of a planned job. */
export function attemptName(plannedName: string, attempt: number): string {
  if (!Number.isInteger(attempt) || attempt < 0 || attempt > MAX_ATTEMPT) {
    throw new RangeError(`attempt must be a whole number from 0 to ${MAX_ATTEMPT}; got ${attempt}`);
  }
  return attempt === 0 ? plannedName : `${plannedName}-r${attempt}`;
}

/** A name of segsweep's shape, taken apart; undefined for any other name. */
export interface ParsedJobName {
  /** `<campaign>-<pointId>`. */
  readonly plannedName: string;
  readonly pointId: string;
  /** 0 for the planned name itself, N for `-rN`. */
  readonly attempt: number;
}

/** Takes a job name apart: the planned job it is an attempt of, and which attempt. */
export function parseJobName(name: string): ParsedJobName | undefined {
  const match = ATTEMPT_NAME.exec(name);
  if (match === null) return undefined;
  const [, plannedName = "", pointId = "", attempt] = match;
  return { plannedName, pointId, attempt: attempt === undefined ? 0 : Number(attempt) };
}

/**
 * Whether a name has the shape of this campaign's job names, `<campaign>-<pointId>[-r<N>]`, so
 * that campaign "seg" does not claim the jobs of "seg-large".
 */
export function isCampaignJobName(campaign: string, name: string): boolean {
  const parsed = parseJobName(name);
  return parsed !== undefined && parsed.plannedName === plannedJobName(campaign, parsed.pointId);
}
