import { type PolicyDocument, policyDocument } from "./document.js";

/** EventBridge's service principal. */
export const EVENTS_SERVICE = "events.amazonaws.com";

/**
 * The EventBridge pattern of SageMaker training job state changes (events-ref-sagemaker.html;
 * docs/sources.md#events). Every status is delivered: the CLI follows
 * InProgress -> Stopping as well as terminal states.
 */
export const TRAINING_JOB_STATE_CHANGE_PATTERN = {
  source: ["aws.sagemaker"],
  "detail-type": ["SageMaker Training Job State Change"],
} as const;

/**
 * Queue policy: EventBridge may send to `queueArn`, but only for the stack's rule (aws:SourceArn;
 * docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sqs-permissions).
 * Used for the events queue and its dead-letter queue (the target's DLQ needs the same grant).
 */
export function eventsQueuePolicy(queueArn: string, ruleArn: string): PolicyDocument {
  return policyDocument([
    {
      Sid: "StackRuleOnly",
      Effect: "Allow",
      Principal: { Service: EVENTS_SERVICE },
      Action: "sqs:SendMessage",
      Resource: queueArn,
      Condition: { ArnEquals: { "aws:SourceArn": ruleArn } },
    },
  ]);
}
