import {
  ListAWSDefaultServiceQuotasCommand,
  ListServiceQuotasCommand,
  type ServiceQuota,
  type ServiceQuotasClient,
} from "@aws-sdk/client-service-quotas";
import { classifyAwsError } from "./classify.js";

/**
 * Reading service quotas by name through @aws-sdk/client-service-quotas (the SDK chain honours
 * AWS_ENDPOINT_URL_SERVICE_QUOTAS). Quotas are looked up by the name SageMaker uses in its
 * ResourceLimitExceeded messages ("ml.p3.2xlarge for training job usage"), not by code: codes are
 * only known from third-party tables (docs/sources.md#quotas). The applied value comes from
 * ListServiceQuotas; a quota it does not list (AWS lists only quotas with an applied value) is
 * taken from ListAWSDefaultServiceQuotas and marked as the default.
 */

/** Service Quotas' service code for SageMaker (docs/sources.md#quotas). */
export const SAGEMAKER_SERVICE_CODE = "sagemaker";

/** ListServiceQuotas and ListAWSDefaultServiceQuotas: MaxResults 1..100 (Service Quotas API reference). */
const QUOTA_PAGE_SIZE = 100;

/** One quota's value. */
export interface QuotaValue {
  readonly name: string;
  readonly code: string | undefined;
  readonly value: number;
  /** True for the account's applied value; false for AWS's default (the applied value could not be listed). */
  readonly applied: boolean;
}

/** The quotas found by name, and why any could not be read ("ListServiceQuotas: AccessDeniedException: ..."). */
export interface QuotaLookup {
  readonly found: ReadonlyMap<string, QuotaValue>;
  readonly errors: readonly string[];
}

export interface QuotaReader {
  /** Looks the named quotas of a service up; never throws for an API that refuses or is missing: see `errors`. */
  findByName(serviceCode: string, names: readonly string[], signal?: AbortSignal): Promise<QuotaLookup>;
  readonly calls: Readonly<Record<string, number>>;
}

/** An error in one line: the AWS error name and the first line of its message, or the HTTP status of an answer that is not the API's. */
function describeError(error: unknown): string {
  const classified = classifyAwsError(error);
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  // The SDK could not parse the answer (an HTML error page, say): the endpoint does not serve this API.
  if (classified.code === "SyntaxError") return `HTTP ${status ?? "error"}: the endpoint did not answer as Service Quotas does`;
  // The first sentence says it; AWS's further advice ("Choose a different Region...") does not fit a line.
  return `${classified.code}: ${classified.message.split("\n")[0]?.split(/(?<=\.) /)[0] ?? ""}`;
}

type Page = { readonly Quotas?: ServiceQuota[] | undefined; readonly NextToken?: string | undefined };

/** Pages through one listing until every name in `missing` is found; records what it finds. */
async function scan(
  listing: { readonly operation: string; readonly applied: boolean; fetch(token: string | undefined): Promise<Page> },
  missing: Set<string>,
  found: Map<string, QuotaValue>,
  calls: Record<string, number>,
): Promise<void> {
  let token: string | undefined;
  do {
    calls[listing.operation] = (calls[listing.operation] ?? 0) + 1;
    const page = await listing.fetch(token);
    for (const quota of page.Quotas ?? []) {
      const name = quota.QuotaName;
      if (name === undefined || !missing.has(name) || quota.Value === undefined) continue;
      found.set(name, { name, code: quota.QuotaCode, value: quota.Value, applied: listing.applied });
      missing.delete(name);
    }
    token = page.NextToken || undefined;
  } while (token !== undefined && missing.size > 0);
}

async function findByName(
  client: ServiceQuotasClient,
  calls: Record<string, number>,
  serviceCode: string,
  names: readonly string[],
  signal: AbortSignal | undefined,
): Promise<QuotaLookup> {
  const found = new Map<string, QuotaValue>();
  const missing = new Set(names);
  const errors: string[] = [];
  const options = signal ? { abortSignal: signal } : {};
  const page = { ServiceCode: serviceCode, MaxResults: QUOTA_PAGE_SIZE };
  const listings = [
    {
      operation: "ListServiceQuotas",
      applied: true,
      fetch: (token: string | undefined) => client.send(new ListServiceQuotasCommand({ ...page, NextToken: token }), options),
    },
    {
      operation: "ListAWSDefaultServiceQuotas",
      applied: false,
      fetch: (token: string | undefined) => client.send(new ListAWSDefaultServiceQuotasCommand({ ...page, NextToken: token }), options),
    },
  ];
  for (const listing of listings) {
    if (missing.size === 0) break;
    try {
      await scan(listing, missing, found, calls);
    } catch (error) {
      if (signal?.aborted) throw error;
      errors.push(`${listing.operation}: ${describeError(error)}`);
    }
  }
  return { found, errors };
}

/** The QuotaReader over an SDK client. Retries (throttling, 5xx) are the SDK's. */
export function createQuotaReader(client: ServiceQuotasClient): QuotaReader {
  const calls: Record<string, number> = {};
  return { calls, findByName: (serviceCode, names, signal) => findByName(client, calls, serviceCode, names, signal) };
}
