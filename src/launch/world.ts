import type { Clock } from "../backend/clock.js";
import { createSageMakerBackend } from "../backend/sagemaker.js";
import { createSqsEventSource, type JobEventSource } from "../backend/sqs-events.js";
import type { TrainingBackend } from "../backend/types.js";
import type { StackOutputs } from "../stack/outputs.js";
import type { LaunchRate } from "./rate.js";

/**
 * What a launch runs against: the backend, the events (when the stack has a queue), the clock and
 * the pace. For AWS, built from the stack outputs and the environment; for --simulate, from the
 * stand-in (simulate.ts), on a scaled clock.
 */
export interface LaunchWorld {
  readonly backend: TrainingBackend;
  readonly events?: JobEventSource & { readonly waitsForEvents: boolean };
  readonly clock: Clock;
  readonly stack: StackOutputs;
  readonly launchRate?: LaunchRate;
  /** Everything is simulated (the numbers shown are marked so). */
  readonly simulated: boolean;
  close(): Promise<void>;
}

/** ReceiveMessage long-poll wait: 20 s is SQS's maximum, and it returns as soon as an event arrives. */
const LONG_POLL_SECONDS = 20;

/**
 * SageMaker (and SQS) in the stack's region. Credentials come from the SDK's chain; endpoints from
 * AWS_ENDPOINT_URL_SAGEMAKER / AWS_ENDPOINT_URL_SQS when set (a VPC endpoint, the stand-in).
 */
export function connectToAws(
  stack: StackOutputs,
  env: Readonly<Record<string, string | undefined>>,
  clock: Clock,
  campaign: string,
): LaunchWorld {
  const endpoint = nonEmpty(env.AWS_ENDPOINT_URL_SAGEMAKER);
  const sqsEndpoint = nonEmpty(env.AWS_ENDPOINT_URL_SQS);
  const backend = createSageMakerBackend({ region: stack.region, clock, ...(endpoint !== undefined ? { endpoint } : {}) });
  const events =
    stack.eventsQueueUrl !== undefined
      ? {
          ...createSqsEventSource({
            queueUrl: stack.eventsQueueUrl,
            region: stack.region,
            namePrefix: `${campaign}-`,
            waitSeconds: LONG_POLL_SECONDS,
            clock,
            ...(sqsEndpoint !== undefined ? { endpoint: sqsEndpoint } : {}),
          }),
          waitsForEvents: true,
        }
      : undefined;
  return { backend, clock, stack, simulated: false, ...(events !== undefined ? { events } : {}), close: async () => undefined };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}
