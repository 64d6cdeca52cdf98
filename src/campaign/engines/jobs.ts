import { buildCreateTrainingJobRequest } from "../../backend/request.js";
import type { JobDetails } from "../../backend/types.js";
import type { JobsPlan } from "../../plan/types.js";
import { createDescriber } from "../describe.js";
import { runCampaign } from "../launcher.js";
import { reconcile } from "../reconcile.js";
import type { JobRecord } from "../records.js";
import type { CampaignState } from "../state.js";
import type { CampaignEngine, LaunchOutcome, LaunchSetup, PreparedLaunch } from "./types.js";

/**
 * The jobs engine: one SageMaker training job per planned point, created and followed from this
 * machine (src/campaign/launcher.ts), never more in progress than max_concurrency.
 */
export const jobsEngine: CampaignEngine<JobsPlan> = {
  engine: "jobs",
  requests: (plan, stack, context) => plan.jobs.map((job) => buildCreateTrainingJobRequest(plan, job, 0, stack, context)),
  prepare,
};

async function prepare(plan: JobsPlan, setup: LaunchSetup): Promise<PreparedLaunch> {
  const { world, journal, policy } = setup;
  const describer = createDescriber(world.backend);
  const reconciled = await reconcile({
    plan,
    backend: world.backend,
    journal,
    policy,
    describer,
    signal: setup.signal,
    ...(setup.observer !== undefined ? { observer: setup.observer } : {}),
  });
  return {
    before: reconciled.state.counts(),
    unplanned: reconciled.unplanned,
    unreadable: reconciled.unreadable,
    async run(observe) {
      const result = await runCampaign(
        {
          plan,
          backend: world.backend,
          clock: world.clock,
          journal,
          observe,
          policy,
          pollIntervalMs: setup.pollIntervalMs,
          signal: setup.signal,
          describer,
          buildRequest: (job, attempt) => buildCreateTrainingJobRequest(plan, job, attempt, setup.stack, setup.context),
          ...(world.events !== undefined ? { events: world.events } : {}),
          ...(setup.observer !== undefined ? { observer: setup.observer } : {}),
        },
        reconciled,
      );
      return outcomeOf(result.state, {
        outcome: result.outcome,
        ...(result.error !== undefined ? { error: result.error } : {}),
        follower: result.follower,
      });
    },
  };
}

/** The outcome as data: counts, what still runs, and every job as the report takes it. */
function outcomeOf(state: CampaignState, end: Pick<LaunchOutcome, "outcome" | "error" | "follower">): LaunchOutcome {
  const jobs: JobDetails[] = [];
  const terminated = new Map<string, string>();
  for (const record of state.records()) {
    const job = jobOf(record);
    if (job !== undefined) jobs.push(job);
    if (record.stopReason !== undefined) terminated.set(record.name, record.stopReason);
  }
  return { ...end, counts: state.counts(), running: state.holding, jobs, terminated };
}

/** What the report gets for a record: details of ended jobs, a snapshot of running ones, nothing for jobs not created. */
function jobOf(record: JobRecord): JobDetails | undefined {
  if (record.details !== undefined) return record.details;
  if (record.state === "not-started") return undefined;
  return {
    name: record.name,
    status: record.state === "stopping" ? "Stopping" : "InProgress",
    createdAt: record.createdAt ?? 0,
    metrics: {},
    hyperparameters: {},
    ...(record.secondaryStatus !== undefined ? { secondaryStatus: record.secondaryStatus } : {}),
  };
}
