import type { CurvePoint } from "./curves.js";
import type { JobRecord, JobStore } from "./jobs.js";
import { trainingPhase } from "./lifecycle.js";

/**
 * What a simulated job has told the world about its training so far: the epochs it has finished
 * (each at a moment of its Training phase), the log lines it wrote, and the metric definitions
 * SageMaker applies to them. CloudWatch metrics (cloudwatch.ts) and CloudWatch Logs (logs.ts) are
 * both views of this, so they always agree with each other and with FinalMetricDataList.
 */

/** The CloudWatch namespace, dimension and log group of training jobs (docs/sources.md#training-metrics). */
export const TRAINING_NAMESPACE = "/aws/sagemaker/TrainingJobs";
export const TRAINING_DIMENSION = "TrainingJobName";
export const TRAINING_LOG_GROUP = "/aws/sagemaker/TrainingJobs";

/** A finished epoch and when it was reported (clock ms). */
export interface ReportedEpoch {
  readonly point: CurvePoint;
  readonly atMs: number;
}

/**
 * The stand-in's metric definitions, in the `#quality_metric` form of SageMaker's MXNet built-in
 * algorithms. The semantic segmentation algorithm's real lines are unconfirmed
 * (docs/sources.md#training-metrics): clients read these from DescribeTrainingJob instead of
 * hard-coding them, as they must against SageMaker.
 */
export const METRIC_DEFINITIONS: readonly { readonly Name: string; readonly Regex: string }[] = [
  { Name: "train:loss", Regex: "#quality_metric: host=\\S+, epoch=\\S+, train loss <loss>=(\\S+)" },
  { Name: "validation:mIOU", Regex: "#quality_metric: host=\\S+, epoch=\\S+, validation mIOU <score>=(\\S+)" },
  { Name: "validation:pixel_accuracy", Regex: "#quality_metric: host=\\S+, epoch=\\S+, validation pixel_accuracy <score>=(\\S+)" },
];

/** The value of each published metric at one epoch. */
export function metricValues(point: CurvePoint): Readonly<Record<string, number>> {
  return { "train:loss": point.trainLoss, "validation:mIOU": point.mIOU, "validation:pixel_accuracy": point.pixelAccuracy };
}

/** SageMaker seconds after creation at which each trained epoch ends: evenly over the natural run's Training phase. */
function epochSeconds(job: JobRecord): number[] {
  const { start, length } = trainingPhase(job.naturalSeconds);
  const count = job.curve.epochs.length;
  return job.curve.epochs.map((_, index) => start + (length * (index + 1)) / count);
}

/** When the job stopped training: its first Stopping, Failed or Completed transition (SageMaker seconds). */
function trainingCutoff(job: JobRecord): number {
  return job.timeline.transitions.find((t) => t.status !== "InProgress")?.at ?? Number.POSITIVE_INFINITY;
}

/** The epochs the job had finished by `now`, and their clock times; `delaySeconds` later than they happened. */
export function reportedEpochs(store: JobStore, job: JobRecord, now: number, delaySeconds = 0): ReportedEpoch[] {
  const elapsed = store.secondsAt(job, now);
  const cutoff = trainingCutoff(job);
  const out: ReportedEpoch[] = [];
  const times = epochSeconds(job);
  for (let index = 0; index < times.length; index++) {
    const at = times[index] ?? 0;
    const point = job.curve.epochs[index];
    if (point === undefined || at > cutoff || at + delaySeconds > elapsed + 1e-6) break;
    out.push({ point, atMs: store.msAt(job, at) });
  }
  return out;
}

/** The log stream of the job's (only) instance: `<job>/algo-1-<epoch seconds of the start>`, once its container runs. */
export function logStreamName(store: JobStore, job: JobRecord): string | undefined {
  const started = job.timeline.trainingStartAt;
  if (started === undefined) return undefined;
  return `${job.name}/algo-1-${Math.floor(store.msAt(job, started) / 1000)}`;
}

/** One log event. */
export interface LogLine {
  readonly timestamp: number;
  readonly message: string;
}

/** A thread id as MXNet prints it; any stable number will do. */
const THREAD = "140452895745216";

function stamp(ms: number, level = "INFO"): string {
  const d = new Date(ms);
  const two = (n: number): string => String(n).padStart(2, "0");
  const date = `${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())}/${d.getUTCFullYear()}`;
  return `[${date} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${level} ${THREAD}]`;
}

/** The log lines the job had written by `now`, oldest first. */
export function logLines(store: JobStore, job: JobRecord, now: number): LogLine[] {
  const started = job.timeline.trainingStartAt;
  if (started === undefined || store.secondsAt(job, now) < started) return [];
  const startMs = store.msAt(job, started);
  const lines: LogLine[] = [
    {
      timestamp: startMs,
      message: `${stamp(startMs)} Reading default configuration from /opt/amazon/lib/python3.8/site-packages/algorithm/default-input.json`,
    },
    { timestamp: startMs, message: `${stamp(startMs)} Final configuration: ${JSON.stringify(job.hyperParameters)}` },
  ];
  for (const { point, atMs } of reportedEpochs(store, job, now)) {
    const e = point.epoch - 1;
    lines.push(
      { timestamp: atMs - 2, message: `${stamp(atMs)} #quality_metric: host=algo-1, epoch=${e}, train loss <loss>=${point.trainLoss}` },
      { timestamp: atMs - 1, message: `${stamp(atMs)} #quality_metric: host=algo-1, epoch=${e}, validation mIOU <score>=${point.mIOU}` },
      {
        timestamp: atMs,
        message: `${stamp(atMs)} #quality_metric: host=algo-1, epoch=${e}, validation pixel_accuracy <score>=${point.pixelAccuracy}`,
      },
    );
  }
  return lines;
}
