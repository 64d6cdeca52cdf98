import { classifyAwsError } from "../backend/classify.js";
import type { RunContext } from "./context.js";
import type { RunningJob, StopDecision } from "./observer.js";

/**
 * The observation seam at work: every `observer.intervalMs` on the campaign's clock the observer
 * (an early-termination rule, src/campaign/stopping/) looks at the jobs in progress and names
 * those to stop; the launcher stops each with StopTrainingJob, never twice, and the job settles
 * as "terminated" once SageMaker says Stopped. A Stopping job keeps its slot until then.
 */

/** The jobs in progress that the campaign has not asked to stop. */
export function runningJobs(ctx: RunContext): RunningJob[] {
  const running: RunningJob[] = [];
  for (const record of ctx.state.holdingJobs()) {
    if (record.state !== "in-progress" || ctx.terminating.has(record.name)) continue;
    running.push({
      name: record.name,
      plannedName: record.plannedName,
      attempt: record.attempt,
      ...(record.createdAt !== undefined ? { createdAt: record.createdAt } : {}),
    });
  }
  return running;
}

/** Asks SageMaker to stop one job the observer decided on; nothing when it is not ours, not running, or already asked. */
export async function terminate(ctx: RunContext, decision: StopDecision): Promise<void> {
  const record = ctx.state.get(decision.name);
  if (record === undefined || record.state !== "in-progress" || ctx.terminating.has(decision.name)) return;
  ctx.terminating.set(decision.name, decision.reason);
  ctx.emit({ type: "terminating", name: decision.name, reason: decision.reason });
  try {
    await ctx.backend.stopJob(decision.name);
  } catch (error) {
    // It may have ended between the tick and the stop: its end is told as it is.
    const failure = classifyAwsError(error);
    ctx.emit({ type: "warning", message: `Could not stop ${decision.name} (${failure.code}: ${failure.message}).` });
  }
}

/** Observes until `signal` aborts. An observer that fails is a warning; the campaign goes on. */
export async function observeRunning(ctx: RunContext, signal: AbortSignal): Promise<void> {
  const observer = ctx.observer;
  if (observer === undefined) return;
  while (!signal.aborted) {
    try {
      await ctx.clock.sleep(observer.intervalMs, signal);
    } catch {
      return;
    }
    const running = runningJobs(ctx);
    if (running.length === 0) continue;
    let decisions: readonly StopDecision[];
    try {
      decisions = await observer.observe(running, signal);
    } catch (error) {
      if (signal.aborted) return;
      const message = error instanceof Error ? error.message : String(error);
      ctx.emit({
        type: "warning",
        message: `The stopping rule could not look at the running jobs (${message}); it tries again next time.`,
      });
      continue;
    }
    for (const decision of decisions) await terminate(ctx, decision);
  }
}
