import { S3Client } from "@aws-sdk/client-s3";
import { SageMakerClient } from "@aws-sdk/client-sagemaker";
import { ServiceQuotasClient } from "@aws-sdk/client-service-quotas";
import { createQuotaReader } from "../../backend/quotas.js";
import { createS3Reader } from "../../backend/s3.js";
import { createTrainingUsageReader } from "../../backend/training-usage.js";
import type { PreflightClients } from "../../preflight/index.js";

/**
 * The SDK clients preflight reads through, in the stack's region. No endpoint is given: each
 * client takes it from the SDK's chain (AWS_ENDPOINT_URL_<SERVICE ID>, e.g. AWS_ENDPOINT_URL_S3,
 * AWS_ENDPOINT_URL_SERVICE_QUOTAS, then AWS_ENDPOINT_URL, then `endpoint_url` in the profile;
 * docs/sources.md#preflight), the same as the AWS CLI. Loaded only by `segsweep preflight`.
 */

/** Calls per request, first included: the SDK's standard retry (throttling, 5xx) with backoff. */
const MAX_ATTEMPTS = 5;

/** Hosts of AWS's own endpoints; any other S3 endpoint (moto, MinIO, a proxy) gets path-style requests. */
const AWS_HOST = /\.amazonaws\.com(\.cn)?$/;

async function configured(client: {
  config: { serviceConfiguredEndpoint?: () => Promise<string | undefined> };
}): Promise<string | undefined> {
  return (await client.config.serviceConfiguredEndpoint?.()) || undefined;
}

/** Opens the clients; `endpoints` names the services whose endpoint is configured, by SDK service id. */
export async function openPreflightClients(
  region: string,
): Promise<{ readonly clients: PreflightClients; readonly endpoints: Readonly<Record<string, string>> }> {
  let s3 = new S3Client({ region, maxAttempts: MAX_ATTEMPTS });
  const s3Endpoint = await configured(s3);
  // Virtual-host addressing (bucket.host) needs DNS that only AWS's endpoints have.
  if (s3Endpoint !== undefined && !AWS_HOST.test(new URL(s3Endpoint).hostname))
    s3 = new S3Client({ region, maxAttempts: MAX_ATTEMPTS, forcePathStyle: true });
  const quotas = new ServiceQuotasClient({ region, maxAttempts: MAX_ATTEMPTS });
  const sagemaker = new SageMakerClient({ region, maxAttempts: MAX_ATTEMPTS });
  const endpoints: Record<string, string> = {};
  for (const [service, url] of [
    ["S3", s3Endpoint],
    ["SageMaker", await configured(sagemaker)],
    ["Service Quotas", await configured(quotas)],
  ] as const) {
    if (url !== undefined) endpoints[service] = url;
  }
  return {
    clients: { s3: createS3Reader(s3), quotas: createQuotaReader(quotas), usage: createTrainingUsageReader(sagemaker) },
    endpoints,
  };
}
