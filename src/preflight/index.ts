/**
 * Preflight: checks of a plan against the stack's guardrails, the data in S3 and the account's
 * capacity, before a GPU hour is spent (docs/preflight.md). `runPreflight` is the entry point for
 * `segsweep preflight` and for `launch`; the checks themselves are pure functions of what it reads.
 */

export { CallerIdentity, type CheckName, CheckResult, type CheckStatus, PreflightReport } from "./report.js";
export { DEFAULT_MAX_OBJECTS, type ListingProgress, type PreflightClients, type PreflightOptions, runPreflight } from "./run.js";
