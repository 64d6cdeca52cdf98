/**
 * Training job names. SageMaker: 1-63 characters matching ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$,
 * unique per account and region (CreateTrainingJob.TrainingJobName, API model).
 * A planned job is `<campaign>-<pointId>`; an automatic retry after a capacity or internal
 * error is a new job `<campaign>-<pointId>-r<N>` (names cannot be reused while the failed job exists).
 */
export { TRAINING_JOB_NAME_PATTERN as JOB_NAME_PATTERN } from "../catalog/sagemaker-api.js";

const ATTEMPT_SUFFIX = /-r(\d{1,2})$/;

/** The name of retry `attempt` (0 = the planned job itself) of a planned job. */
export function attemptName(plannedName: string, attempt: number): string {
  return attempt === 0 ? plannedName : `${plannedName}-r${attempt}`;
}

/** The planned job a SageMaker job name belongs to, and which attempt it is. */
export function parseJobName(name: string): { readonly plannedName: string; readonly attempt: number } {
  const match = ATTEMPT_SUFFIX.exec(name);
  return match ? { plannedName: name.slice(0, match.index), attempt: Number(match[1]) } : { plannedName: name, attempt: 0 };
}
