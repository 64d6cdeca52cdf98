import type { CreateTrainingJobRequest } from "@aws-sdk/client-sagemaker";
import pLimit from "p-limit";
import { classifyAwsError, isRetryable, quotaFromMessage } from "../backend/classify.js";
import { backoffMs, type Clock } from "../backend/clock.js";
import type { JobEventSource } from "../backend/sqs-events.js";
import { BackendError, isTerminal, type JobDetails, type JobSnapshot, type TrainingBackend } from "../backend/types.js";
import type { LaunchPlan, PlannedJob } from "../plan/types.js";
import type { CampaignView, LaunchEvent, LaunchObserver } from "./events.js";
import { createFollower, type Follower } from "./follower.js";
import type { Journal } from "./journal.js";
import { createTokenBucket, DEFAULT_LAUNCH_RATE, type LaunchRate } from "./rate.js";
import { campaignPrefix, type Reconciled } from "./reconcile.js";
import { actualCostUsd, countPoints, deservesRetry, endedRecord, type JobRecord, type JobRecords, plannedRecord } from "./records.js";

/**
 * The scheduler: p-limit around "create, then wait until terminal", so the limit counts training
 * jobs in progress, not API calls (style.md item 9). A slot frees the moment the follower sees its
 * job end, and p-limit hands it to the next point at once. Everything it touches is passed in.
 */
export interface CampaignOptions {
  readonly plan: LaunchPlan;
  readonly backend: TrainingBackend;
  readonly buildRequest: (job: PlannedJob, attempt: number) => CreateTrainingJobRequest;
  readonly clock: Clock;
  readonly journal: Journal;
  readonly observe: LaunchObserver;
  readonly maxConcurrency: number;
  readonly pollIntervalMs: number;
  /** Aborted on Ctrl-C: stop launching, leave running jobs running. */
  readonly signal: AbortSignal;
  readonly events?: JobEventSource & { readonly waitsForEvents: boolean };
  /** With events: the safety listing's interval (default 10 poll intervals). */
  readonly reconcileIntervalMs?: number;
  /** Automatic new attempts after capacity or internal errors (default 2: `-r1`, `-r2`). */
  readonly maxRetries?: number;
  readonly launchRate?: LaunchRate;
  /** Backoff for creates that stay throttled after the backend's own retries. */
  readonly backoff?: { readonly baseMs: number; readonly capMs: number };
  readonly random?: () => number;
}

export type CampaignOutcome = "finished" | "failure-limit" | "interrupted" | "error";

export interface CampaignResult {
  readonly outcome: CampaignOutcome;
  readonly records: ReadonlyMap<string, JobRecord>;
  /** Why the campaign stopped when outcome is "error" (a BackendError, or a bug). */
  readonly error?: unknown;
  readonly concurrency: number;
  readonly follower: Follower["stats"];
}

export const DEFAULT_MAX_RETRIES = 2;

/** Runs the campaign from its reconciled state until every point ended, the failure limit, an error or Ctrl-C. */
export async function runCampaign(options: CampaignOptions, reconciled: Reconciled): Promise<CampaignResult> {
  const { plan, backend, clock, journal } = options;
  const records: JobRecords = new Map(reconciled.records);
  const jobs = new Map(plan.jobs.map((job) => [job.name, job]));
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  const random = options.random ?? Math.random;
  const backoff = { ...(options.backoff ?? { baseMs: 1000, capMs: 60_000 }), random };
  const limit = pLimit({ concurrency: options.maxConcurrency, rejectOnClear: true });
  const bucket = createTokenBucket(options.launchRate ?? DEFAULT_LAUNCH_RATE, clock);
  const halt = new AbortController();
  const startedAt = clock.now();
  const quotaWaiters: (() => void)[] = [];
  const probeAfterMs = 10 * options.pollIntervalMs;
  let lastQuotaAt = Number.NEGATIVE_INFINITY;
  let outcome: CampaignOutcome = "finished";
  let fatal: unknown;
  let pending = 0;
  let allSettled: () => void = () => undefined;
  const settled = new Promise<void>((resolve) => (allSettled = resolve));

  const running = (): number => [...records.values()].filter((record) => record.status === "in-progress").length;
  const view = (): CampaignView => ({
    counts: countPoints(records),
    costUsd: actualCostUsd(records, plan.cost.usdPerHour),
    concurrency: limit.concurrency,
    elapsedMs: clock.now() - startedAt,
  });
  const emit = (event: LaunchEvent): void => options.observe(event, view());
  const update = (record: JobRecord): void => void records.set(record.name, record);

  function stopLaunching(reason: Exclude<CampaignOutcome, "finished">): void {
    if (halt.signal.aborted) return;
    outcome = reason;
    halt.abort();
    limit.clearQueue();
  }
  const fail = (error: unknown): void => {
    if (halt.signal.aborted) return;
    fatal = error;
    stopLaunching("error");
  };

  /** A job ended: one quota waiter may try again, and after a quiet spell the concurrency creeps back up. */
  function jobEnded(): void {
    quotaWaiters.shift()?.();
    if (limit.concurrency < options.maxConcurrency && clock.now() - lastQuotaAt >= probeAfterMs) {
      limit.concurrency += 1;
      emit({ type: "concurrency", concurrency: limit.concurrency });
    }
  }

  const follower = createFollower({
    backend,
    clock,
    namePrefix: campaignPrefix(plan),
    pollIntervalMs: options.pollIntervalMs,
    reconcileIntervalMs: options.reconcileIntervalMs ?? 10 * options.pollIntervalMs,
    ...(options.events !== undefined ? { events: options.events } : {}),
    ...(reconciled.createdWatermark !== undefined ? { createdWatermark: reconciled.createdWatermark } : {}),
    pointsWaiting: () => limit.pendingCount > 0 || quotaWaiters.length > 0,
    onChange(snapshot) {
      const record = records.get(snapshot.name);
      if (record?.status === "in-progress") {
        const createdAt = snapshot.createdAt || record.createdAt;
        update({
          ...record,
          ...(createdAt !== undefined ? { createdAt } : {}),
          ...(snapshot.secondaryStatus !== undefined ? { secondaryStatus: snapshot.secondaryStatus } : {}),
        });
      }
      emit({
        type: "status",
        name: snapshot.name,
        status: snapshot.status,
        ...(snapshot.secondaryStatus !== undefined ? { secondaryStatus: snapshot.secondaryStatus } : {}),
      });
      if (isTerminal(snapshot.status)) jobEnded();
    },
  });

  /** ResourceLimitExceeded: step the concurrency down to what the account allows, and say which quota. */
  function stepDown(message: string): void {
    lastQuotaAt = clock.now();
    const target = Math.max(1, running());
    if (target >= limit.concurrency) return;
    limit.concurrency = target;
    const quota = quotaFromMessage(message);
    const named =
      quota.name !== undefined
        ? `SageMaker quota '${quota.name}'${quota.limit !== undefined ? ` (${quota.limit} instances)` : ""}`
        : "A SageMaker quota";
    emit({
      type: "quota",
      ...(quota.name !== undefined ? { quota: quota.name } : {}),
      ...(quota.limit !== undefined ? { quotaLimit: quota.limit } : {}),
      concurrency: target,
      message:
        `${named} is full: running at most ${target} job${target === 1 ? "" : "s"} at once instead of ${options.maxConcurrency}; ` +
        `the other points wait for a job to end. To run more, ask for a higher quota in Service Quotas${quota.name !== undefined ? ` ('${quota.name}')` : ""}.`,
    });
  }

  /** Waits for a job to end or, when none of ours runs, for a growing pause; false when launching stopped. */
  async function waitForQuota(round: number): Promise<boolean> {
    const wake = new AbortController();
    const signal = AbortSignal.any([halt.signal, wake.signal]);
    const waiter = (): void => wake.abort();
    quotaWaiters.push(waiter);
    try {
      await clock.sleep(backoffMs(round, { baseMs: 4 * options.pollIntervalMs, capMs: 40 * options.pollIntervalMs, random }), signal);
    } catch {
      // Woken by a job's end, or halted.
    } finally {
      const index = quotaWaiters.indexOf(waiter);
      if (index >= 0) quotaWaiters.splice(index, 1);
    }
    return !halt.signal.aborted;
  }

  /** Creates the record's job, waiting out launch rate, throttling and full quotas; false when launching stopped. */
  async function create(record: JobRecord): Promise<boolean> {
    const job = jobs.get(record.plannedName);
    if (job === undefined) return false;
    const request = options.buildRequest(job, record.attempt);
    let throttled = 0;
    let quotaRounds = 0;
    for (;;) {
      try {
        await bucket.take(halt.signal);
      } catch {
        return false;
      }
      let result: "created" | "exists";
      try {
        result = await backend.createJob(request);
      } catch (error) {
        const classified = classifyAwsError(error);
        if (classified.kind === "quota") {
          stepDown(classified.message);
          if (!(await waitForQuota(quotaRounds++))) return false;
          continue;
        }
        if (!isRetryable(classified.kind)) {
          fail(
            new BackendError(classified.kind, `CreateTrainingJob ${record.name}: ${classified.message}`, classified.code, { cause: error }),
          );
          return false;
        }
        const waitMs = backoffMs(throttled++, backoff);
        emit({ type: "throttled", operation: "CreateTrainingJob", waitMs });
        try {
          await clock.sleep(waitMs, halt.signal);
        } catch {
          return false;
        }
        continue;
      }
      // Created (or found created): it runs on SageMaker now, whatever happens to this process.
      update({ ...record, status: "in-progress" });
      emit({ type: "created", name: record.name, attempt: record.attempt, existed: result === "exists" });
      await journal.append({ type: "created", name: record.name, at: clock.now() });
      return true;
    }
  }

  async function describeEnded(snapshot: JobSnapshot): Promise<JobDetails> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await backend.describeJob(snapshot.name);
      } catch (error) {
        const classified = classifyAwsError(error);
        // Deleted as soon as it ended: what the listing said is all there is.
        if (classified.kind === "not-found") return { ...snapshot, metrics: {}, hyperparameters: {} };
        if (!isRetryable(classified.kind) || halt.signal.aborted) throw classified;
        await clock.sleep(backoffMs(attempt, backoff), halt.signal);
      }
    }
  }

  /** The final describe (metrics, billable time, failure reason), then a new attempt or the failure count. */
  async function settleEnded(snapshot: JobSnapshot): Promise<void> {
    const details = await describeEnded(snapshot);
    const ended = endedRecord(details);
    update(ended);
    // The next attempt is planned before the end is told, so the counts never show a retried point as failed.
    const next = deservesRetry(ended, maxRetries) ? plannedRecord(ended.plannedName, ended.attempt + 1) : undefined;
    if (next !== undefined) update(next);
    await journal.append({ type: "ended", name: ended.name, details });
    const metric = details.metrics[plan.objective];
    emit({
      type: "ended",
      name: ended.name,
      status: ended.status,
      ...(ended.endCause !== undefined ? { cause: ended.endCause } : {}),
      ...(details.failureReason !== undefined ? { failureReason: details.failureReason } : {}),
      ...(metric !== undefined ? { metric } : {}),
      ...(details.billableSeconds !== undefined ? { billableSeconds: details.billableSeconds } : {}),
    });
    if (ended.status !== "failed") return;
    if (next !== undefined) {
      emit({ type: "retry", name: next.name, previous: ended.name, cause: ended.endCause ?? "internal" });
      if (!halt.signal.aborted) schedule(next);
      return;
    }
    const failures = countPoints(records).failed;
    if (failures > plan.limits.maxFailures) {
      emit({ type: "failure-limit", failures, maxFailures: plan.limits.maxFailures });
      stopLaunching("failure-limit");
    }
  }

  async function occupySlot(record: JobRecord): Promise<JobSnapshot | undefined> {
    if (record.status === "planned" && !(await create(record))) return undefined;
    return follower.watch(record.name, record.createdAt);
  }

  function schedule(record: JobRecord): void {
    pending++;
    limit(() => occupySlot(record))
      .then((end) => (end === undefined ? undefined : settleEnded(end)))
      .catch(fail)
      .finally(() => {
        if (--pending === 0) allSettled();
      });
  }

  if (countPoints(records).failed > plan.limits.maxFailures) {
    outcome = "failure-limit";
    return { outcome, records, concurrency: limit.concurrency, follower: follower.stats };
  }
  const onAbort = (): void => stopLaunching("interrupted");
  if (options.signal.aborted) onAbort();
  options.signal.addEventListener("abort", onAbort, { once: true });
  const following = follower.run(halt.signal).catch(fail);
  // Jobs already running take their slots first; then the points still to launch, in plan order.
  const initial = [...records.values()];
  for (const record of initial) if (record.status === "in-progress" && !halt.signal.aborted) schedule(record);
  for (const record of initial) if (record.status === "planned" && !halt.signal.aborted) schedule(record);
  if (pending === 0) allSettled();
  await settled;
  halt.abort();
  await following;
  options.signal.removeEventListener("abort", onAbort);
  // Said once every create in flight has answered, so the count of jobs left running is exact.
  if (outcome !== "finished") emit({ type: "stopped-launching", reason: outcome, running: running() });
  return { outcome, records, concurrency: limit.concurrency, follower: follower.stats, ...(fatal !== undefined ? { error: fatal } : {}) };
}
