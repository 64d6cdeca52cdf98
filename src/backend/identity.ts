import { GetCallerIdentityCommand, STSClient, type STSClientConfig } from "@aws-sdk/client-sts";
import { type Clock, systemClock } from "./clock.js";
import { createRetrier, SAGEMAKER_RETRY } from "./retry.js";

/**
 * Who and where: the AWS account the credentials belong to (STS GetCallerIdentity), the region,
 * and the SageMaker endpoint when it is not AWS's own (AWS_ENDPOINT_URL_SAGEMAKER or
 * AWS_ENDPOINT_URL: a VPC endpoint, the stand-in, moto). The launch's first line names them, and
 * the local journal is kept per identity, so what was learnt of one account never stands in for
 * another's answer. GetCallerIdentity needs no permission; the endpoint variables are the SDK's
 * own (docs/sources.md#campaign).
 */
export interface Identity {
  /** The 12-digit account id. */
  readonly account: string;
  readonly region: string;
  /** The SageMaker endpoint, when not the region's default. */
  readonly endpoint?: string;
  /** The caller's ARN (a user or an assumed role). */
  readonly arn?: string;
  /** A made-up identity (`launch --simulate`): no AWS account was asked. */
  readonly simulated?: boolean;
}

/** The variables the SDK reads endpoints from; the service-specific one wins (AWS SDK "service-specific endpoints"). */
export function endpointFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  service: "SAGEMAKER" | "STS" | "SQS" | "SFN" | "S3" | "CLOUDWATCH",
): string | undefined {
  return nonEmpty(env[`AWS_ENDPOINT_URL_${service}`]) ?? nonEmpty(env.AWS_ENDPOINT_URL);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

export interface IdentityOptions {
  readonly region: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The SageMaker endpoint in use, when it was given explicitly rather than by the environment. */
  readonly sageMakerEndpoint?: string;
  /** A ready client (tests). */
  readonly client?: STSClient;
  readonly credentials?: STSClientConfig["credentials"];
  readonly clock?: Clock;
}

/** Asks STS who the credentials belong to; rejects with a BackendError (classified, after retries). */
export async function callerIdentity(options: IdentityOptions): Promise<Identity> {
  const stsEndpoint = endpointFromEnv(options.env, "STS");
  const client =
    options.client ??
    new STSClient({
      region: options.region,
      maxAttempts: 1,
      ...(stsEndpoint !== undefined ? { endpoint: stsEndpoint } : {}),
      ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
    });
  const retrier = createRetrier({ clock: options.clock ?? systemClock, policy: SAGEMAKER_RETRY });
  const answer = await retrier.run("GetCallerIdentity", () => client.send(new GetCallerIdentityCommand({})));
  const endpoint = options.sageMakerEndpoint ?? endpointFromEnv(options.env, "SAGEMAKER");
  return {
    account: answer.Account ?? "unknown",
    region: options.region,
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(answer.Arn !== undefined ? { arn: answer.Arn } : {}),
  };
}

/** The identity of a rehearsal: account 000000000000, the stand-in's endpoint. */
export function simulatedIdentity(region: string, endpoint: string): Identity {
  return { account: "000000000000", region, endpoint, simulated: true };
}

/** One line naming the identity, for the first line of `launch` and its confirmation prompt. */
export function describeIdentity(identity: Identity): string {
  const where = identity.endpoint !== undefined ? `${identity.region} via ${identity.endpoint}` : identity.region;
  return `${identity.simulated ? "simulated account" : "account"} ${identity.account}, ${where}`;
}
