import type { QuotaLookup, QuotaReader } from "../backend/quotas.js";
import { SAGEMAKER_SERVICE_CODE } from "../backend/quotas.js";
import type { S3Reader } from "../backend/s3.js";
import type { TrainingUsageReader } from "../backend/training-usage.js";
import { BackendError } from "../backend/types.js";
import type { JobsPlan } from "../plan/types.js";
import type { StackOutputs } from "../stack/outputs.js";
import { checkCapacity, quotaNames, type Usage } from "./capacity.js";
import { dataTargets } from "./channels.js";
import { checkPrefixData, type ListingProgress } from "./data.js";
import { checkManifestData } from "./data-manifest.js";
import { checkIdentity, checkInstanceType, checkMaxRuntime, checkMaxWait } from "./guardrails.js";
import { type CallerIdentity, type CheckResult, type PreflightReport, tally } from "./report.js";

/**
 * The checks `segsweep preflight` prints and `launch` runs before its first create: who and
 * where, the stack's guardrails, the data in S3, the account's capacity. Returns data and prints
 * nothing; the clients are passed in (S3, Service Quotas, SageMaker reads only).
 */

export type { ListingProgress } from "./data.js";

/** Objects listed per prefix before the listing stops with a warning (raise with --max-objects). */
export const DEFAULT_MAX_OBJECTS = 1_000_000;

/** The AWS reads preflight makes. */
export interface PreflightClients {
  readonly s3: S3Reader;
  readonly quotas: QuotaReader;
  readonly usage: TrainingUsageReader;
}

export interface PreflightOptions {
  /** Who and where (STS GetCallerIdentity, the region the clients use, the SageMaker endpoint). */
  readonly identity: CallerIdentity;
  /** Services whose endpoint is not AWS's own, by SDK service id (shown on the first line). */
  readonly endpoints?: Readonly<Record<string, string>>;
  /** Objects listed per prefix at most (default DEFAULT_MAX_OBJECTS). */
  readonly maxObjects?: number;
  /** Called as big prefixes are listed, page by page. */
  readonly onProgress?: (progress: ListingProgress) => void;
  readonly signal?: AbortSignal;
}

async function readUsage(usage: TrainingUsageReader, signal: AbortSignal | undefined): Promise<Usage> {
  try {
    return { jobs: await usage.inProgressJobs(signal) };
  } catch (error) {
    if (signal?.aborted || !(error instanceof BackendError)) throw error;
    return { error: `Search: ${error.code}: ${error.message}` };
  }
}

async function capacityChecks(plan: JobsPlan, clients: PreflightClients, signal: AbortSignal | undefined): Promise<CheckResult[]> {
  const names = quotaNames(plan);
  const [quotas, usage]: [QuotaLookup, Usage] = await Promise.all([
    clients.quotas.findByName(SAGEMAKER_SERVICE_CODE, [names.perType, names.total], signal),
    readUsage(clients.usage, signal),
  ]);
  return checkCapacity(plan, quotas, usage);
}

function sumCalls(...sources: Readonly<Record<string, number>>[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const source of sources) for (const [operation, n] of Object.entries(source)) total[operation] = (total[operation] ?? 0) + n;
  return total;
}

/**
 * Runs every check of a plan against a stack and an account. Failed reads become failed or
 * warning results, never exceptions; it rejects only when `signal` aborts or on a bug.
 */
export async function runPreflight(
  plan: JobsPlan,
  stack: StackOutputs,
  clients: PreflightClients,
  options: PreflightOptions,
): Promise<PreflightReport> {
  const endpoints = { ...(options.endpoints ?? {}) };
  const guardrails = [checkIdentity(options.identity, stack, endpoints), checkInstanceType(plan, stack), checkMaxRuntime(plan, stack)];
  const wait = checkMaxWait(plan, stack);
  if (wait) guardrails.push(wait);
  const targets = dataTargets(plan.data, stack.datasetsUri);
  const dataOptions = {
    maxObjects: options.maxObjects ?? DEFAULT_MAX_OBJECTS,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const [prefixData, manifestData, capacity] = await Promise.all([
    checkPrefixData(plan, stack, targets.prefixes, clients.s3, dataOptions),
    checkManifestData(plan, stack, targets.manifests, clients.s3),
    capacityChecks(plan, clients, options.signal),
  ]);
  const checks = [...guardrails, ...prefixData, ...manifestData, ...capacity];
  return {
    campaign: plan.campaign,
    sweepFile: plan.sweepFile,
    identity: options.identity,
    endpoints,
    ...tally(checks),
    checks,
    calls: sumCalls(clients.s3.calls, clients.quotas.calls, clients.usage.calls),
  };
}
