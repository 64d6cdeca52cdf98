import type { Clock } from "../backend/clock.js";
import { createCloudWatchMetricSource } from "../backend/cloudwatch-metrics.js";
import { callerIdentity, endpointFromEnv, type Identity } from "../backend/identity.js";
import type { MetricSource } from "../backend/metric-source.js";
import { createSageMakerBackend } from "../backend/sagemaker.js";
import { createSqsEventSource, type JobEventSource } from "../backend/sqs-events.js";
import { createTuningBackend, type TuningBackend } from "../backend/tuning.js";
import type { TrainingBackend } from "../backend/types.js";
import { campaignPrefix } from "../plan/job-name.js";
import type { StackOutputs } from "../stack/outputs.js";
import type { LaunchRate } from "./policy.js";

/**
 * What a campaign runs against: the backend, the events (when the stack has a queue), the clock
 * and the pace. For AWS, built from the region, the stack outputs and the environment; for
 * --simulate, from the stand-in (simulate.ts), on a scaled clock.
 */
export interface World {
  readonly backend: TrainingBackend;
  /** Automatic Model Tuning jobs, in the same region and endpoint (the tuning engine, src/campaign/engines/tuning.ts). */
  readonly tuning?: TuningBackend;
  readonly events?: JobEventSource & { readonly waitsForEvents: boolean };
  readonly clock: Clock;
  readonly launchRate?: LaunchRate;
  /** Everything is simulated (the numbers shown are marked so). */
  readonly simulated: boolean;
  /** Known up front for a simulation; asked of STS for AWS (`identify`). */
  readonly identity?: Identity;
  /** Made-up stack outputs of a simulation. */
  readonly stack?: StackOutputs;
  /** The training jobs' per-epoch metrics (CloudWatch), numbered by `objective`'s datapoints (early termination, `status`). */
  readonly metricSource?: (objective: string) => MetricSource;
  close(): Promise<void>;
}

/** Where to connect: the region, the environment's endpoints, and the stack when there is one (its events queue). */
export interface ConnectRequest {
  readonly region: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly clock: Clock;
  readonly campaign: string;
  readonly stack?: StackOutputs;
}

/** ReceiveMessage long-poll wait: 20 s is SQS's maximum, and it returns as soon as an event arrives. */
const LONG_POLL_SECONDS = 20;

/**
 * SageMaker (and SQS, and CloudWatch's metrics) in the region. Credentials come from the SDK's chain; endpoints from
 * AWS_ENDPOINT_URL_SAGEMAKER / AWS_ENDPOINT_URL_SQS / AWS_ENDPOINT_URL_CLOUDWATCH (or AWS_ENDPOINT_URL) when set: a VPC
 * endpoint, the stand-in.
 */
export function connectToAws(request: ConnectRequest): World {
  const { region, env, clock, stack } = request;
  const endpoint = endpointFromEnv(env, "SAGEMAKER");
  const sqsEndpoint = endpointFromEnv(env, "SQS");
  const backend = createSageMakerBackend({ region, clock, ...(endpoint !== undefined ? { endpoint } : {}) });
  const queueUrl = stack?.eventsQueueUrl;
  const events =
    queueUrl !== undefined
      ? {
          ...createSqsEventSource({
            queueUrl,
            region,
            namePrefix: campaignPrefix(request.campaign),
            waitSeconds: LONG_POLL_SECONDS,
            clock,
            ...(sqsEndpoint !== undefined ? { endpoint: sqsEndpoint } : {}),
          }),
          waitsForEvents: true,
        }
      : undefined;
  const tuning = createTuningBackend({ region, clock, ...(endpoint !== undefined ? { endpoint } : {}) });
  // AWS_ENDPOINT_URL_CLOUDWATCH: the SDK service id of CloudWatch (docs/sources.md#early-termination-launch).
  const cloudWatchEndpoint = endpointFromEnv(env, "CLOUDWATCH");
  const metricSource = (objective: string): MetricSource =>
    createCloudWatchMetricSource({
      region,
      objective,
      clock,
      ...(cloudWatchEndpoint !== undefined ? { endpoint: cloudWatchEndpoint } : {}),
    });
  return {
    backend,
    tuning,
    clock,
    simulated: false,
    metricSource,
    ...(events !== undefined ? { events } : {}),
    close: async () => undefined,
  };
}

/** Who and where the AWS credentials of the environment are (STS GetCallerIdentity). */
export function identifyOnAws(request: Pick<ConnectRequest, "region" | "env" | "clock">): Promise<Identity> {
  return callerIdentity({ region: request.region, env: request.env, clock: request.clock });
}
