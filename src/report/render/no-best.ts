import type { CampaignReport } from "../types.js";

/**
 * "Best: none yet", and why: when jobs completed without reporting the objective metric, the
 * usual cause is the metric's name or the algorithm's log lines; their training logs say which.
 * SageMaker writes a training job's logs to the CloudWatch log group /aws/sagemaker/TrainingJobs,
 * in streams named after the job (docs/sources.md#training-logs).
 */
export function noBestLine(report: CampaignReport): string {
  const completed = report.counts.completed;
  if (completed === 0) return `Best: none yet (no job has reported ${report.objective}).`;
  const jobs = completed === 1 ? "1 completed job" : `${completed} completed jobs`;
  return (
    `Best: none yet: ${jobs} reported no ${report.objective}. Their training logs say why: CloudWatch log group ` +
    "/aws/sagemaker/TrainingJobs, log streams starting with the job's name (`segsweep status` lists the names)."
  );
}
