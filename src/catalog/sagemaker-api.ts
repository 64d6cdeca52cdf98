/**
 * SageMaker API facts that more than one stage relies on, in one place (sources: docs/sources.md,
 * "SageMaker API"). The sweep schema, the planner, the backend, the stand-in and the Pulumi
 * program all read them from here, so a limit is written once.
 */

/** CreateTrainingJob.TrainingJobName: 1-63 characters (API model, TrainingJobName). */
export const TRAINING_JOB_NAME_MAX = 63;

/** CreateTrainingJob.TrainingJobName's pattern (API model, TrainingJobName). */
export const TRAINING_JOB_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/** StoppingCondition.MaxRuntimeInSeconds: at most 28 days (API model, MaxRuntimeInSeconds). */
export const MAX_RUNTIME_LIMIT_SECONDS = 28 * 86_400;

/** ListTrainingJobs and Search: MaxResults 1..100 (API model, MaxResults). */
export const LIST_PAGE_SIZE = 100;

/** ListTrainingJobs.NameContains: at most 63 characters of [a-zA-Z0-9-] (API model, NameContains). */
export const NAME_CONTAINS_PATTERN = /^[a-zA-Z0-9-]{1,63}$/;

/** S3Uri of an input channel or output path: at most 1,024 characters (API model, S3Uri). */
export const S3_URI_MAX = 1024;

/** Tag values: at most 256 characters of [\p{L}\p{Z}\p{N}_.:/=+\-@] (API model, TagValue). */
export const TAG_VALUE_MAX = 256;
export const TAG_VALUE_FORBIDDEN = /[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu;

/** The tags segsweep puts on every job it creates; the operator policy keys its guardrails on the first. */
export const TAG_CAMPAIGN = "segsweep:campaign";
export const TAG_POINT = "segsweep:point";
export const TAG_SWEEP_FILE = "segsweep:sweep-file";
export const TAG_GIT_COMMIT = "segsweep:git-commit";
