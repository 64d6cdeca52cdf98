import { hashUnit, hashUuid } from "../util/random.js";
import type { JobRecord, JobStore } from "./jobs.js";
import type { Transition } from "./lifecycle.js";
import type { ResolvedOptions } from "./options.js";
import { describeJob, tagList } from "./render.js";

/**
 * "SageMaker Training Job State Change" events, as EventBridge delivers them to an SQS target
 * (docs/sources.md#events): the message body is the event envelope, `detail` carries the job's
 * DescribeTrainingJob fields at the moment of the change (the event schema's properties, times as
 * epoch milliseconds). One event per change of the primary status, the first at creation; some are
 * delivered twice, as "SageMaker AI may send multiple events to EventBridge for each state change".
 * Events are produced lazily: each request first brings every job up to the clock.
 */

/** Fields of the describe answer that go into `detail` (the CDK event schema's properties, plus FailureReason). */
const DETAIL_FIELDS = [
  "TrainingJobName",
  "TrainingJobArn",
  "TrainingJobStatus",
  "SecondaryStatus",
  "FailureReason",
  "SecondaryStatusTransitions",
  "HyperParameters",
  "AlgorithmSpecification",
  "InputDataConfig",
  "OutputDataConfig",
  "ResourceConfig",
  "StoppingCondition",
  "ModelArtifacts",
  "RoleArn",
  "CreationTime",
  "TrainingStartTime",
  "TrainingEndTime",
  "LastModifiedTime",
] as const;

const TIME_FIELDS = new Set(["CreationTime", "TrainingStartTime", "TrainingEndTime", "LastModifiedTime"]);

/** Where events go: the queue's `send(body, at)`. */
export interface EventSink {
  send(body: string, atMs: number): void;
}

function eventBody(
  options: ResolvedOptions,
  store: JobStore,
  echoed: readonly string[],
  job: JobRecord,
  transition: Transition,
  index: number,
): string {
  const atMs = store.msAt(job, transition.at);
  const described = describeJob(store, echoed, job, atMs);
  const detail: Record<string, unknown> = {};
  for (const field of DETAIL_FIELDS) {
    const value = described[field];
    if (value === undefined) continue;
    detail[field] = TIME_FIELDS.has(field) && typeof value === "number" ? Math.round(value * 1000) : value;
  }
  detail.Tags = Object.fromEntries(tagList(job).map((tag) => [tag.Key, tag.Value]));
  return JSON.stringify({
    version: "0",
    id: hashUuid(options.seed, job.arn, index, "event"),
    "detail-type": "SageMaker Training Job State Change",
    source: "aws.sagemaker",
    account: options.accountId,
    time: new Date(Math.floor(atMs / 1000) * 1000).toISOString().replace(".000Z", "Z"),
    region: options.region,
    resources: [job.arn],
    detail,
  });
}

/**
 * Turns every primary status change that has happened by `now` and was not sent yet into an
 * event, in time order across jobs, with duplicates at `duplicateRate`.
 */
export function emitEvents(
  options: ResolvedOptions,
  store: JobStore,
  echoed: readonly string[],
  sink: EventSink,
  duplicateRate: number,
  now: number,
): void {
  const due: { atMs: number; job: JobRecord; transition: Transition; index: number }[] = [];
  for (const job of store.unsent) {
    const transitions = job.timeline.transitions;
    while (job.emitted < transitions.length) {
      const transition = transitions[job.emitted];
      if (transition === undefined) break;
      const atMs = store.msAt(job, transition.at);
      if (atMs > now) break;
      const previous = transitions[job.emitted - 1];
      if (previous === undefined || previous.status !== transition.status) due.push({ atMs, job, transition, index: job.emitted });
      job.emitted += 1;
    }
    if (job.emitted >= transitions.length) store.unsent.delete(job);
  }
  due.sort((a, b) => a.atMs - b.atMs);
  for (const { atMs, job, transition, index } of due) {
    const body = eventBody(options, store, echoed, job, transition, index);
    sink.send(body, atMs);
    if (hashUnit(options.seed, job.arn, index, "duplicate") < duplicateRate) sink.send(body, atMs);
  }
}
