import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { buildCreateTrainingJobRequest } from "../../src/backend/request.js";
import type { Describer } from "../../src/campaign/describe.js";
import { type CampaignOptions, type CampaignResult, runCampaign } from "../../src/campaign/launcher.js";
import { reconcile } from "../../src/campaign/reconcile.js";
import { plannedJobName } from "../../src/plan/job-name.js";
import type { JobsPlan } from "../../src/plan/types.js";
import type { StackOutputs } from "../../src/stack/outputs.js";
import type { StandinOptions, StandinStats } from "../../src/standin/index.js";

/** The benchmarks' plan of N points and their stand-in in a process of its own. */

/** A plan of `jobs` points (made-up hyperparameters, each point distinct), as plan/ would give it. */
export function benchPlan(campaign: string, jobs: number, concurrency: number): JobsPlan {
  const planned = Array.from({ length: jobs }, (_, i) => {
    const pointId = i.toString(16).padStart(12, "0");
    return {
      name: plannedJobName(campaign, pointId),
      pointId,
      hyperparameters: { num_classes: "21", num_training_samples: "1464", learning_rate: String((i + 1) / 1e5) },
      points: [i + 1],
    };
  });
  const resources = { instanceType: "ml.p3.2xlarge", instanceCount: 1 as const, volumeGb: 50, maxRuntimeSeconds: 86_400, spot: false };
  return {
    engine: "jobs",
    campaign,
    sweepFile: "bench/launch.ts",
    objective: "validation:mIOU",
    strategy: "grid",
    resources,
    data: {
      train: "voc/train/",
      validation: "voc/validation/",
      train_annotation: "voc/train_annotation/",
      validation_annotation: "voc/validation_annotation/",
    },
    limits: { maxConcurrency: concurrency, maxJobs: jobs, maxFailures: 0 },
    counts: { expanded: jobs, excluded: 0, duplicates: 0, jobs },
    jobs: planned,
    cost: {
      instanceType: resources.instanceType,
      instanceCount: 1,
      usdPerHour: 3.825,
      maxRuntimeSeconds: 86_400,
      perJobUsd: 91.8,
      totalUsd: 91.8 * jobs,
      spot: false,
    },
    warnings: [],
  };
}

export interface StandinProcess {
  readonly endpoint: string;
  readonly queueUrl?: string;
  stats(): Promise<StandinStats>;
  close(): Promise<void>;
}

/**
 * The stand-in in its own process, so the launcher's CPU time and memory are measured alone, on
 * the same scaled clock (origin and scale over the system clock). Run from bench/ (tsx) it forks
 * the .ts file through tsx; compiled (dist/bench/), the .js file as it is.
 */
export async function startStandinProcess(origin: number, scale: number, options: Omit<StandinOptions, "clock">): Promise<StandinProcess> {
  const compiled = import.meta.url.endsWith(".js");
  const script = fileURLToPath(new URL(`./standin-process.${compiled ? "js" : "ts"}`, import.meta.url));
  const child = fork(script, [JSON.stringify({ origin, scale, options })], {
    execArgv: compiled ? [] : ["--import", "tsx"],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  });
  const ready = await new Promise<{ endpoint: string; queueUrl?: string }>((resolve, reject) => {
    child.once("message", (message) => resolve(message as { endpoint: string; queueUrl?: string }));
    child.once("exit", (code) => reject(new Error(`the stand-in process exited (${code}) before it was ready`)));
  });
  return {
    ...ready,
    stats: () =>
      new Promise((resolve) => {
        child.once("message", (message) => resolve((message as { stats: StandinStats }).stats));
        child.send({ type: "stats" });
      }),
    close: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.send({ type: "close" });
      }),
  };
}

/** What a benchmark's campaign runs with: the launcher's options but the request builder, the observer hooks and the signal. */
export type BenchCampaign = Omit<CampaignOptions, "buildRequest" | "observe" | "signal" | "describer"> & {
  readonly describer: Describer;
  readonly stack: StackOutputs;
};

/** Reconciles then runs the campaign as `launch` does, silently and never interrupted. */
export async function reconcileAndRun(campaign: BenchCampaign): Promise<CampaignResult> {
  const { plan, backend, journal, policy, describer, stack, ...rest } = campaign;
  const reconciled = await reconcile({ plan, backend, journal, policy, describer });
  return runCampaign(
    {
      ...rest,
      plan,
      backend,
      journal,
      policy,
      describer,
      observe: () => undefined,
      signal: new AbortController().signal,
      buildRequest: (job, attempt) => buildCreateTrainingJobRequest(plan, job, attempt, stack),
    },
    reconciled,
  );
}
