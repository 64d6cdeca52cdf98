import { join } from "node:path";
import { type Clock, systemClock } from "../backend/clock.js";
import { createCloudWatchMetricSource } from "../backend/cloudwatch-metrics.js";
import { simulatedIdentity } from "../backend/identity.js";
import { createSageMakerBackend } from "../backend/sagemaker.js";
import { createSqsEventSource } from "../backend/sqs-events.js";
import { createTuningBackend } from "../backend/tuning.js";
import { semanticSegmentationImage } from "../catalog/images.js";
import { campaignPrefix } from "../plan/job-name.js";
import { type LaunchPlan, plannedTrainingJobs } from "../plan/types.js";
import type { StackOutputs } from "../stack/outputs.js";
import { noRehearsal, readRehearsal, resumedClock, writeRehearsal } from "./simulated-state.js";
import type { World } from "./world.js";

/**
 * `segsweep launch FILE --simulate`: the whole launch path (real SDK, retries, events, report)
 * against the local SageMaker stand-in, started in this process. Time runs fast: one scaled clock
 * drives both the stand-in and the launcher, so every duration, poll interval and elapsed time is
 * in simulated SageMaker time while the campaign takes seconds. Nothing touches AWS: made-up stack
 * outputs and credentials, never the user's own.
 */

/** Made-up credentials: the stand-in does not check signatures, and the user's are never read. */
const SIMULATED_CREDENTIALS = { accessKeyId: "SIMULATED", secretAccessKey: "simulated-secret" };

/** A simulated job's typical length (the stand-in's log-normal median), capped by max_runtime. */
const TYPICAL_JOB_SECONDS = 3600;

/** Aim: a campaign's simulation takes about this many real seconds. */
const TARGET_REAL_SECONDS = 20;

/** Stack outputs for a stack that does not exist: account 000000000000, bucket segsweep-simulated. */
export function simulatedStackOutputs(region: string): StackOutputs {
  const bucket = "s3://segsweep-simulated";
  let trainingImage: string;
  try {
    trainingImage = semanticSegmentationImage(region);
  } catch {
    trainingImage = semanticSegmentationImage("us-east-1");
  }
  return {
    region,
    bucketName: "segsweep-simulated",
    datasetsUri: `${bucket}/datasets/`,
    outputsUri: `${bucket}/outputs/`,
    checkpointsUri: `${bucket}/checkpoints/`,
    campaignsUri: `${bucket}/campaigns/`,
    trainingRoleArn: "arn:aws:iam::000000000000:role/segsweep-simulated-training",
    operatorPolicyArn: "arn:aws:iam::000000000000:policy/segsweep-simulated-operator",
    trainingImage,
    instanceTypes: ["ml.p3.2xlarge"],
  };
}

/**
 * A clock running `scale` times faster than `base` from `origin` on: `sleep(ms)` waits ms/scale
 * of base time. Two processes given the same origin and scale share one simulated time.
 */
export function scaledClock(scale: number, base: Clock = systemClock, origin: number = base.now()): Clock {
  return {
    now: () => origin + (base.now() - origin) * scale,
    sleep: (ms, signal) => base.sleep(ms / scale, signal),
  };
}

/** The time scale that makes `plan` take about `targetSeconds` of real time: rounds of jobs × typical length. */
export function simulationTimeScale(plan: LaunchPlan, maxConcurrency: number, targetSeconds = TARGET_REAL_SECONDS): number {
  const typical = Math.min(TYPICAL_JOB_SECONDS, plan.resources.maxRuntimeSeconds);
  const rounds = Math.max(1, Math.ceil(plannedTrainingJobs(plan) / Math.max(1, maxConcurrency)));
  return Math.max(1, Math.round((rounds * typical * 1.5) / targetSeconds));
}

export interface SimulationOptions {
  readonly region: string;
  readonly maxConcurrency?: number;
  readonly seed?: number;
  /** Real seconds the rehearsal should take (default 20). */
  readonly targetSeconds?: number;
  /** Where the rehearsal keeps its state between commands (simulated-state.ts); without it, nothing is kept. */
  readonly stateDir?: string;
  /** Only open a rehearsal kept in `stateDir` (status, report, stop); never start a new one. */
  readonly existingOnly?: boolean;
}

/** Starts the stand-in (a dynamic import, so a normal launch never loads it) and connects to it. */
export async function startSimulation(plan: LaunchPlan, options: SimulationOptions): Promise<World> {
  const { startStandin } = await import("../standin/index.js");
  const kept = await keptState(plan, options);
  const clock = kept.clock;
  const standin = await startStandin({
    clock,
    seed: kept.seed,
    ...(kept.recorder !== undefined ? { recorder: kept.recorder } : {}),
    region: options.region,
    durationLogNormal: { medianSeconds: Math.min(TYPICAL_JOB_SECONDS, plan.resources.maxRuntimeSeconds * 0.6), sigma: 0.5 },
    // A rehearsal shows what failures look like: some bad points, some of SageMaker's own errors.
    failureRates: { algorithm: 0.05, capacity: 0.03, internal: 0.02 },
    events: true,
  });
  const backend = createSageMakerBackend({ region: options.region, endpoint: standin.endpoint, credentials: SIMULATED_CREDENTIALS, clock });
  const queueUrl = standin.queueUrl;
  const events =
    queueUrl !== undefined
      ? {
          ...createSqsEventSource({
            queueUrl,
            region: options.region,
            namePrefix: campaignPrefix(plan.campaign),
            // A long poll on the stand-in's (scaled) clock: it answers as soon as an event is there.
            waitSeconds: 20,
            endpoint: standin.endpoint,
            credentials: SIMULATED_CREDENTIALS,
            clock,
          }),
          waitsForEvents: true,
        }
      : undefined;
  const tuning = createTuningBackend({ region: options.region, endpoint: standin.endpoint, credentials: SIMULATED_CREDENTIALS, clock });
  return {
    backend,
    tuning,
    clock,
    simulated: true,
    identity: simulatedIdentity(options.region, standin.endpoint),
    stack: { ...simulatedStackOutputs(options.region), ...(queueUrl !== undefined ? { eventsQueueUrl: queueUrl } : {}) },
    ...(events !== undefined ? { events } : {}),
    // The stand-in serves CloudWatch's GetMetricData on the same endpoint, from its learning curves.
    metricSource: (objective) =>
      createCloudWatchMetricSource({
        region: options.region,
        objective,
        endpoint: standin.endpoint,
        credentials: SIMULATED_CREDENTIALS,
        clock,
      }),
    close: async () => {
      // The simulated time reached, so the next command on this rehearsal resumes there.
      kept.recorder?.record({ kind: "clock", at: clock.now() });
      await standin.close();
    },
  };
}

/** The rehearsal's seed, clock and recorder: kept in `stateDir` and resumed, or new (and kept when `stateDir` is given). */
async function keptState(plan: LaunchPlan, options: SimulationOptions) {
  const fresh = {
    campaign: plan.campaign,
    region: options.region,
    seed: options.seed ?? 1,
    scale: simulationTimeScale(plan, options.maxConcurrency ?? plan.limits.maxConcurrency, options.targetSeconds),
  };
  if (options.stateDir === undefined) return { seed: fresh.seed, clock: scaledClock(fresh.scale) };
  const { fileRecorder, savedUntil } = await import("../standin/saved-calls.js");
  const recorder = fileRecorder(join(options.stateDir, "standin.jsonl"));
  const rehearsal = readRehearsal(options.stateDir);
  if (rehearsal === undefined && options.existingOnly === true) throw noRehearsal(plan.campaign);
  if (rehearsal === undefined) writeRehearsal(options.stateDir, fresh);
  const settings = rehearsal ?? fresh;
  const until = savedUntil(recorder.saved);
  return {
    seed: settings.seed,
    recorder,
    clock: until === undefined ? scaledClock(settings.scale) : resumedClock(settings.scale, until, systemClock),
  };
}
