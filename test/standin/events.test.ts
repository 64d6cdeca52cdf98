import { CreateTrainingJobCommand, StopTrainingJobCommand } from "@aws-sdk/client-sagemaker";
import {
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueUrlCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { describe, expect, it, vi } from "vitest";
import { HOUR, manualClock, rejection, sageMakerClient, sqsClient, standin, trainingRequest } from "./helpers.js";

interface StateChange {
  readonly id: string;
  readonly source: string;
  readonly "detail-type": string;
  readonly resources: string[];
  readonly detail: {
    TrainingJobName: string;
    TrainingJobStatus: string;
    SecondaryStatus: string;
    FailureReason?: string;
    CreationTime: number;
    Tags: Record<string, string>;
  };
}

/** Receives (and deletes) until the queue has nothing visible. */
async function drain(sqs: SQSClient, queueUrl: string): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
    if (Messages.length === 0) return all;
    all.push(...Messages);
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? "" })),
      }),
    );
  }
}

const parse = (message: Message): StateChange => JSON.parse(message.Body ?? "{}") as StateChange;

describe("training job state change events on SQS", () => {
  it("sends one EventBridge-shaped event per primary status change, in order", async () => {
    const clock = manualClock();
    const target = await standin({
      clock,
      events: true,
      duration: () => 3600,
      outcome: ({ name }) => (name === "ev-fail" ? { failure: "internal" } : "completed"),
    });
    const sagemaker = sageMakerClient(target);
    const sqs = sqsClient(target);
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: "segsweep-events" }));
    expect(QueueUrl).toBe(target.queueUrl);
    const queueUrl = QueueUrl ?? "";

    await sagemaker.send(new CreateTrainingJobCommand(trainingRequest("ev-ok")));
    await sagemaker.send(new CreateTrainingJobCommand(trainingRequest("ev-fail")));
    await sagemaker.send(new CreateTrainingJobCommand(trainingRequest("ev-stop")));
    clock.advance(600_000);
    await sagemaker.send(new StopTrainingJobCommand({ TrainingJobName: "ev-stop" }));
    clock.advance(HOUR);

    const events = (await drain(sqs, queueUrl)).map(parse);
    const changes = events.map((e) => `${e.detail.TrainingJobName}:${e.detail.TrainingJobStatus}`);
    expect(changes.slice(0, 3).sort()).toEqual(["ev-fail:InProgress", "ev-ok:InProgress", "ev-stop:InProgress"]);
    expect(changes.filter((c) => c.startsWith("ev-stop"))).toEqual(["ev-stop:InProgress", "ev-stop:Stopping", "ev-stop:Stopped"]);
    expect(changes.filter((c) => c.startsWith("ev-ok"))).toEqual(["ev-ok:InProgress", "ev-ok:Completed"]);
    expect(changes.filter((c) => c.startsWith("ev-fail"))).toEqual(["ev-fail:InProgress", "ev-fail:Failed"]);

    const failed = events.find((e) => e.detail.TrainingJobStatus === "Failed");
    expect(failed).toMatchObject({
      source: "aws.sagemaker",
      "detail-type": "SageMaker Training Job State Change",
      resources: ["arn:aws:sagemaker:us-east-1:123456789012:training-job/ev-fail"],
      detail: {
        SecondaryStatus: "Failed",
        FailureReason: "InternalServerError: We encountered an internal error. Please try again.",
        CreationTime: Date.UTC(2030, 0, 1),
        Tags: { "segsweep:campaign": "demo" },
      },
    });
    expect(await drain(sqs, queueUrl)).toEqual([]);
  });

  it("delivers some events twice, with the same event id, at the duplicate rate", async () => {
    const clock = manualClock();
    const target = await standin({ clock, events: { duplicateRate: 0.5 }, duration: () => 600 });
    const sagemaker = sageMakerClient(target);
    for (let i = 0; i < 20; i++) await sagemaker.send(new CreateTrainingJobCommand(trainingRequest(`dup-${i}`)));
    clock.advance(HOUR);
    const events = (await drain(sqsClient(target), target.queueUrl ?? "")).map(parse);
    const distinct = new Set(events.map((e) => e.id));
    expect(distinct.size).toBe(40);
    expect(events.length).toBeGreaterThan(45);
    expect(events.length).toBeLessThan(75);
  });

  it("returns a message not deleted in time once its visibility timeout is over", async () => {
    const clock = manualClock();
    const target = await standin({ clock, events: true });
    await sageMakerClient(target).send(new CreateTrainingJobCommand(trainingRequest("vis")));
    const sqs = sqsClient(target);
    const queueUrl = target.queueUrl ?? "";
    const first = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, VisibilityTimeout: 10, MessageSystemAttributeNames: ["ApproximateReceiveCount"] }),
    );
    expect(first.Messages).toHaveLength(1);
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }))).Messages).toBeUndefined();
    clock.advance(10_000);
    const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MessageSystemAttributeNames: ["All"] }));
    expect(again.Messages?.[0]?.MessageId).toBe(first.Messages?.[0]?.MessageId);
    expect(again.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe("2");
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: again.Messages?.[0]?.ReceiptHandle }));
    clock.advance(60_000);
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }))).Messages).toBeUndefined();
  });

  it("holds a long poll until an event happens on the clock, or the wait ends on the clock", async () => {
    const clock = manualClock();
    const target = await standin({ clock, events: true, duration: () => 600 });
    const sqs = sqsClient(target);
    const queueUrl = target.queueUrl ?? "";
    await sageMakerClient(target).send(new CreateTrainingJobCommand(trainingRequest("poll")));
    await drain(sqs, queueUrl);

    const waiting = sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 20 }));
    await vi.waitFor(() => expect(target.stats().calls.ReceiveMessage).toBe(3));
    clock.advance(600_000);
    const answered = await waiting;
    expect(answered.Messages?.map((m) => parse(m).detail.TrainingJobStatus)).toEqual(["Completed"]);

    const empty = sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 5 }));
    await vi.waitFor(() => expect(target.stats().calls.ReceiveMessage).toBe(4));
    clock.advance(5000);
    expect((await empty).Messages).toBeUndefined();
  });

  it("answers long polls at once on close", async () => {
    const target = await standin({ clock: manualClock(), events: true });
    const waiting = sqsClient(target).send(new ReceiveMessageCommand({ QueueUrl: target.queueUrl, WaitTimeSeconds: 20 }));
    await vi.waitFor(() => expect(target.stats().calls.ReceiveMessage).toBe(1));
    await target.close();
    expect((await waiting).Messages).toBeUndefined();
  });

  it("speaks SQS's errors: unknown queue, bad receipt handle, out-of-range parameters, bad batches", async () => {
    const target = await standin({ events: true });
    const sqs = sqsClient(target);
    const queueUrl = target.queueUrl ?? "";
    expect((await rejection(sqs.send(new GetQueueUrlCommand({ QueueName: "nope" })))).name).toBe("QueueDoesNotExist");
    expect((await rejection(sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: "forged" })))).name).toBe(
      "ReceiptHandleIsInvalid",
    );
    const tooMany = await rejection(sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 11 })));
    expect(tooMany.message).toBe("Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.");
    expect((await rejection(sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: [] })))).name).toBe("EmptyBatchRequest");
    const entries = [
      { Id: "a", ReceiptHandle: "x" },
      { Id: "a", ReceiptHandle: "y" },
    ];
    expect((await rejection(sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries })))).name).toBe(
      "BatchEntryIdsNotDistinct",
    );
    const partial = await sqs.send(
      new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: [{ Id: "only", ReceiptHandle: "forged" }] }),
    );
    expect(partial.Failed).toEqual([expect.objectContaining({ Id: "only", Code: "ReceiptHandleIsInvalid", SenderFault: true })]);
  });

  it("has no queue when events are off", async () => {
    const target = await standin();
    expect(target.queueUrl).toBeUndefined();
    expect((await rejection(sqsClient(target).send(new GetQueueUrlCommand({ QueueName: "segsweep-events" })))).name).toBe(
      "QueueDoesNotExist",
    );
  });

  it("throttles SQS calls named in throttleRate with RequestThrottled, which the SDK retries", async () => {
    const target = await standin({ clock: manualClock(), events: true, throttleRate: { ReceiveMessage: 0.5 }, seed: 5 });
    const sqs = sqsClient(target, 20);
    let attempts = 0;
    for (let i = 0; i < 10; i++)
      attempts += (await sqs.send(new ReceiveMessageCommand({ QueueUrl: target.queueUrl }))).$metadata.attempts ?? 1;
    expect(attempts).toBeGreaterThan(10);
    expect(target.stats().throttled).toBe(attempts - 10);
  });
});
