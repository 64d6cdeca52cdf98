import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { eventsQueuePolicy, TRAINING_JOB_STATE_CHANGE_PATTERN } from "./policies/events.js";

/** Arguments of {@link JobEvents}. */
export interface JobEventsArgs {
  readonly tags: Readonly<Record<string, string>>;
}

// SQS limits (SQS developer guide, quotas): retention 60 s to 14 days.
const FOUR_DAYS = 4 * 86_400;
const FOURTEEN_DAYS = 14 * 86_400;
/** Receives before a message moves to the dead-letter queue. */
export const MAX_RECEIVES = 100;

/**
 * Training job state changes, delivered by an EventBridge rule to an SQS queue the CLI reads, so
 * a campaign follows its jobs without polling. Undeliverable events, and messages received
 * MAX_RECEIVES times without being consumed (for example another team's jobs), land in a
 * dead-letter queue. Queues use SSE-SQS, which EventBridge can write to
 * without a KMS key policy.
 */
export class JobEvents extends pulumi.ComponentResource {
  readonly queueUrl: pulumi.Output<string>;
  readonly queueArn: pulumi.Output<string>;
  readonly deadLetterQueueArn: pulumi.Output<string>;
  readonly ruleArn: pulumi.Output<string>;

  constructor(name: string, args: JobEventsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("segsweep:events:JobEvents", name, {}, opts);
    const parent = { parent: this };
    const tags = { ...args.tags };
    const deadLetters = new aws.sqs.Queue(
      `${name}-dlq`,
      { messageRetentionSeconds: FOURTEEN_DAYS, sqsManagedSseEnabled: true, tags },
      parent,
    );
    const queue = new aws.sqs.Queue(
      `${name}-queue`,
      {
        messageRetentionSeconds: FOUR_DAYS,
        // Long polling: the CLI's ReceiveMessage waits up to 20 s (the SQS maximum) for events.
        receiveWaitTimeSeconds: 20,
        // One queue serves every campaign of the stack, and each launcher leaves other campaigns'
        // events in the queue (src/backend/sqs-events.ts). A short visibility timeout hands them
        // back quickly, and a high receive count keeps them from reaching the dead-letter queue
        // while concurrent launchers pass them over (SQS allows 1 to 1000 receives).
        visibilityTimeoutSeconds: 20,
        sqsManagedSseEnabled: true,
        redrivePolicy: deadLetters.arn.apply((arn) => JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: MAX_RECEIVES })),
        tags,
      },
      parent,
    );
    const rule = new aws.cloudwatch.EventRule(
      `${name}-rule`,
      {
        description: "SageMaker training job state changes, for segsweep",
        eventPattern: JSON.stringify(TRAINING_JOB_STATE_CHANGE_PATTERN),
        tags,
      },
      parent,
    );
    const queuePolicy = new aws.sqs.QueuePolicy(
      `${name}-queue-policy`,
      {
        queueUrl: queue.url,
        policy: pulumi.all([queue.arn, rule.arn]).apply(([queueArn, ruleArn]) => JSON.stringify(eventsQueuePolicy(queueArn, ruleArn))),
      },
      parent,
    );
    const deadLetterPolicy = new aws.sqs.QueuePolicy(
      `${name}-dlq-policy`,
      {
        queueUrl: deadLetters.url,
        policy: pulumi
          .all([deadLetters.arn, rule.arn])
          .apply(([queueArn, ruleArn]) => JSON.stringify(eventsQueuePolicy(queueArn, ruleArn))),
      },
      parent,
    );
    // No roleArn on an SQS target: EventBridge uses the queue policy (eb-use-resource-based.html).
    new aws.cloudwatch.EventTarget(
      `${name}-target`,
      {
        rule: rule.name,
        arn: queue.arn,
        deadLetterConfig: { arn: deadLetters.arn },
        retryPolicy: { maximumEventAgeInSeconds: 86_400, maximumRetryAttempts: 185 },
      },
      // After the queue policies, so the first events are not refused.
      { parent: this, dependsOn: [queuePolicy, deadLetterPolicy] },
    );
    this.queueUrl = queue.url;
    this.queueArn = queue.arn;
    this.deadLetterQueueArn = deadLetters.arn;
    this.ruleArn = rule.arn;
    this.registerOutputs({ queueUrl: this.queueUrl, queueArn: this.queueArn, ruleArn: this.ruleArn });
  }
}
