import type { CreateHyperParameterTuningJobRequest } from "@aws-sdk/client-sagemaker";
import { buildCreateTuningJobRequest } from "../../src/backend/tuning-request.js";
import { planSweepFileOnItsEngine } from "../../src/plan/plan-file.js";
import { isTuningPlan, type TuningPlan } from "../../src/plan/tuning/types.js";
import type { StackOutputs } from "../../src/stack/outputs.js";
import { sweepText, writeSweep } from "../kit/cli.js";

/** Stack outputs for tests: a made-up account, bucket and role. */
export const STACK: StackOutputs = {
  region: "us-east-1",
  bucketName: "segsweep-test",
  datasetsUri: "s3://segsweep-test/datasets/",
  outputsUri: "s3://segsweep-test/outputs/",
  checkpointsUri: "s3://segsweep-test/checkpoints/",
  campaignsUri: "s3://segsweep-test/campaigns/",
  trainingRoleArn: "arn:aws:iam::123456789012:role/segsweep-training",
  operatorPolicyArn: "arn:aws:iam::123456789012:policy/segsweep-operator",
  trainingImage: "811284229777.dkr.ecr.us-east-1.amazonaws.com/semantic-segmentation:1",
  instanceTypes: ["ml.p3.2xlarge"],
};

/** The tuning plan of a sweep text (it must plan). */
export async function tuningPlan(text: string): Promise<TuningPlan> {
  const result = await planSweepFileOnItsEngine(writeSweep(text));
  if (!result.ok) throw new Error(result.diagnostics.map((d) => `${d.path}: ${d.message}`).join("\n"));
  if (!isTuningPlan(result.plan)) throw new Error("not a tuning plan");
  return result.plan;
}

/** The requests segsweep would send for a tuning sweep with these hyperparameter lines and top-level lines. */
export async function tuningRequests(hyperparameters: string, extra: string): Promise<CreateHyperParameterTuningJobRequest[]> {
  const plan = await tuningPlan(sweepText(hyperparameters, extra));
  return plan.branches.map((branch) => buildCreateTuningJobRequest(plan, branch, STACK, { gitCommit: "0123abc" }));
}

/** A Bayesian request over learning_rate and mini_batch_size: `jobs` training jobs, `parallel` at once. */
export async function bayesianRequest(jobs: number, parallel: number): Promise<CreateHyperParameterTuningJobRequest> {
  const [request] = await tuningRequests(
    "learning_rate: {log_uniform: [0.0001, 0.1]}\nmini_batch_size: [8, 16]",
    `strategy: bayesian\nsamples: ${jobs}\nlimits:\n  max_concurrency: ${parallel}\n  max_jobs: 10000`,
  );
  if (request === undefined) throw new Error("no request");
  return request;
}
