import { classifyAwsError } from "../backend/classify.js";
import type { JobDetails, JobSnapshot } from "../backend/types.js";
import type { RunContext } from "./context.js";
import { nextAttempt, pastFailureLimit } from "./policy.js";
import { endedRecord, type JobRecord, plannedRecord } from "./records.js";

/**
 * Settling an ended job: its details (one describe, bounded with the campaign's others), its
 * state in the campaign's vocabulary (a job the campaign stopped is "terminated"), the journal, a
 * new attempt when the policy grants one, and the failure limit.
 */

/** The ended job's details: described now; when that fails, what the listing or event said. */
async function detailsOf(ctx: RunContext, ended: JobSnapshot): Promise<{ details: JobDetails; described: boolean }> {
  try {
    const read = await ctx.describer.describe(ended.name);
    // Deleted as soon as it ended: what the listing said is all there is.
    if (read !== undefined) return { details: read, described: true };
  } catch (error) {
    const failure = classifyAwsError(error);
    ctx.emit({
      type: "warning",
      message: `Could not describe ${ended.name} (${failure.code}: ${failure.message}); its metrics and billable time are missing here, \`segsweep report\` reads them.`,
    });
  }
  return { details: { ...ended, metrics: {}, hyperparameters: {} }, described: false };
}

/** Why a Stopped job stopped, when the campaign's own rule did it: the launcher's own stop, or the observer's word. */
async function stopReasonOf(ctx: RunContext, details: JobDetails): Promise<string | undefined> {
  if (details.status !== "Stopped") return undefined;
  const own = ctx.terminating.get(details.name);
  if (own !== undefined || ctx.observer === undefined) return own;
  try {
    return (await ctx.observer.explainStop(details.name, ctx.halt))?.reason;
  } catch {
    return undefined; // unexplained: a user's stop
  }
}

/** Settles an ended job; returns the point's next attempt when it gets one (to be scheduled). */
export async function settleEnded(ctx: RunContext, ended: JobSnapshot): Promise<JobRecord | undefined> {
  const { details, described } = await detailsOf(ctx, ended);
  const record = endedRecord(details, await stopReasonOf(ctx, details));
  ctx.state.put(record);
  const attempt = nextAttempt(ctx.policy, record);
  const next = attempt !== undefined ? plannedRecord(record.plannedName, attempt) : undefined;
  // The next attempt is planned before the end is told, so the counts never show a retried point as failed.
  if (next !== undefined) ctx.state.put(next);
  if (described) await ctx.record({ type: "ended", name: record.name, details });
  const metric = details.metrics[ctx.plan.objective];
  ctx.emit({
    type: "ended",
    name: record.name,
    state: record.state,
    ...(record.cause !== undefined ? { cause: record.cause } : {}),
    ...(details.failureReason !== undefined ? { failureReason: details.failureReason } : {}),
    ...(record.stopReason !== undefined ? { stopReason: record.stopReason } : {}),
    ...(metric !== undefined ? { metric } : {}),
    ...(details.billableSeconds !== undefined ? { billableSeconds: details.billableSeconds } : {}),
  });
  if (record.state !== "failed") return undefined;
  if (next !== undefined) {
    ctx.emit({ type: "retry", name: next.name, previous: record.name, cause: record.cause ?? "internal" });
    return next;
  }
  const failures = ctx.state.points("failed");
  if (pastFailureLimit(ctx.policy, failures)) {
    ctx.emit({ type: "failure-limit", failures, maxFailures: ctx.policy.maxFailures });
    ctx.stopLaunching("failure-limit");
  }
  return undefined;
}
