import { z } from "zod";

/**
 * What `segsweep preflight` finds, as data: one result per check, each pass, warn or fail with
 * the numbers behind it. The same value is printed as lines, as JSON (`--json`), and read by
 * `launch` before its first create. This schema is the JSON's documentation (docs/preflight.md).
 */

export const CheckStatus = z.enum(["pass", "warn", "fail"]).describe("fail stops a launch; warn is printed and lets it go on");
export type CheckStatus = z.infer<typeof CheckStatus>;

export const CheckName = z
  .enum([
    "identity",
    "instance-type",
    "max-runtime",
    "max-wait",
    "data-location",
    "prefix",
    "listing",
    "images",
    "annotations",
    "pairs",
    "samples",
    "label-map",
    "manifest",
    "quota",
  ])
  .describe("which check this is; one check may give several results (one per channel, per value, per quota)");
export type CheckName = z.infer<typeof CheckName>;

export const CheckResult = z.object({
  check: CheckName,
  subject: z.string().describe("what was checked: an s3:// URI, an instance type, a quota's name, a hyperparameter value"),
  status: CheckStatus,
  message: z.string().describe("one line saying what was found, with the numbers"),
  fix: z.string().optional().describe("what would make it pass: a command or a change to the sweep file"),
  numbers: z
    .record(z.string(), z.number().nullable())
    .describe("the figures behind the message, e.g. {images: 1464, annotations: 1463}; null = could not be read"),
  examples: z.array(z.string()).optional().describe("the first few offending keys or lines, relative to the subject"),
});
export type CheckResult = z.infer<typeof CheckResult>;

/** Who runs the check and where: the value `launch` also names before it creates anything. */
export const CallerIdentity = z.object({
  account: z.string().describe("the AWS account id of the credentials (STS GetCallerIdentity)"),
  arn: z.string().optional().describe("the caller's ARN"),
  region: z.string().describe("the region every client talks to (the stack's)"),
  endpoint: z.string().optional().describe("the SageMaker endpoint when not AWS's own (AWS_ENDPOINT_URL_SAGEMAKER)"),
});
export type CallerIdentity = z.infer<typeof CallerIdentity>;

export const PreflightReport = z.object({
  campaign: z.string(),
  sweepFile: z.string(),
  identity: CallerIdentity,
  endpoints: z
    .record(z.string(), z.string())
    .describe("services whose endpoint is not AWS's own, by SDK service id (S3, SageMaker, Service Quotas, STS)"),
  ok: z.boolean().describe("true when no check failed"),
  counts: z.object({ pass: z.number().int(), warn: z.number().int(), fail: z.number().int() }),
  checks: z.array(CheckResult).describe("in the order they ran: who and where, guardrails, data, capacity"),
  calls: z.record(z.string(), z.number().int()).describe("AWS API calls made, by operation"),
});
export type PreflightReport = z.infer<typeof PreflightReport>;

/** A result; `numbers` defaults to none. */
export function result(
  check: CheckName,
  subject: string,
  status: CheckStatus,
  message: string,
  extra: { readonly numbers?: Record<string, number | null>; readonly fix?: string; readonly examples?: readonly string[] } = {},
): CheckResult {
  return {
    check,
    subject,
    status,
    message,
    numbers: { ...(extra.numbers ?? {}) },
    ...(extra.fix !== undefined ? { fix: extra.fix } : {}),
    ...(extra.examples !== undefined && extra.examples.length > 0 ? { examples: [...extra.examples] } : {}),
  };
}

/** Counts by status, and ok when nothing failed. */
export function tally(checks: readonly CheckResult[]): { ok: boolean; counts: PreflightReport["counts"] } {
  const counts = { pass: 0, warn: 0, fail: 0 };
  for (const check of checks) counts[check.status]++;
  return { ok: counts.fail === 0, counts };
}
