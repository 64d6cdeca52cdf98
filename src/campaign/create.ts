import { classifyAwsError } from "../backend/classify.js";
import { BackendError } from "../backend/types.js";
import type { RunContext } from "./context.js";
import type { JobRecord } from "./records.js";

/**
 * Creating one attempt's job: wait for a launch token, call CreateTrainingJob once (the backend
 * retries throttling itself), and on ResourceLimitExceeded step the concurrency down and wait for
 * one of the campaign's jobs to end. Any other refusal stops the launching: the request or the
 * account is wrong, and every other point would be refused too.
 */

/** Creates the record's job; true once it exists on SageMaker, false when launching stopped first. */
export async function createAttempt(ctx: RunContext, record: JobRecord): Promise<boolean> {
  const job = ctx.jobs.get(record.plannedName);
  if (job === undefined) return false;
  const request = ctx.buildRequest(job, record.attempt);
  for (let quotaRounds = 0; ; ) {
    try {
      await ctx.bucket.take(ctx.halt);
    } catch {
      return false;
    }
    // Checked right before the call: once launching stopped, no slot may turn into a create.
    if (ctx.halt.aborted) return false;
    let result: "created" | "exists";
    try {
      result = await ctx.backend.createJob(request);
    } catch (error) {
      const classified = classifyAwsError(error);
      if (classified.kind === "quota") {
        ctx.gate.quotaFull(classified.message, ctx.state.holding);
        if (!(await ctx.gate.waitForQuota(quotaRounds++, ctx.halt))) return false;
        continue;
      }
      const message = `CreateTrainingJob ${record.name}: ${classified.message}`;
      ctx.stopLaunching("error", new BackendError(classified.kind, message, classified.code, { cause: error }));
      return false;
    }
    // Created (or found created): it runs on SageMaker now, whatever happens to this process.
    ctx.state.put({ ...record, state: "in-progress" });
    ctx.emit({ type: "created", name: record.name, attempt: record.attempt, existed: result === "exists" });
    await ctx.record({ type: "created", name: record.name, at: ctx.clock.now() });
    return true;
  }
}
