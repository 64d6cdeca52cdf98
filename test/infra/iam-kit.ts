import { runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import type { PolicyDocument } from "../../src/infra/policies/document.js";
import { bucketPolicy } from "../../src/infra/policies/storage.js";

/**
 * Shared by the IAM tests: one request through a real IAM policy evaluator
 * (@cloud-copilot/iam-simulate, AGPL, a dev dependency used only in tests), over the documents the
 * stack deploys (stack.test.ts checks that the deployed JSON is exactly what the pure functions
 * return).
 */

export const ACCOUNT = "123456789012";
export const OTHER_ACCOUNT = "210987654321";
export const scope = { partition: "aws", region: "us-east-1", accountId: ACCOUNT };
export const BUCKET = "segsweep-data-bucket-a1b2c3d";
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/segsweep-training-role-1234567`;
export const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`;
export const QUEUE_ARN = `arn:aws:sqs:us-east-1:${ACCOUNT}:segsweep-events-queue`;
export const JOB_ARN = `arn:aws:sagemaker:us-east-1:${ACCOUNT}:training-job/lr-sweep-0123456789ab`;
export const TUNING_JOB_ARN = `arn:aws:sagemaker:us-east-1:${ACCOUNT}:hyper-parameter-tuning-job/lr-sweep-5d41402a`;
export const LOG_GROUP = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/sagemaker/TrainingJobs`;
export const SUBNETS = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"];
export const SECURITY_GROUPS = ["sg-0a1b2c3d4e5f60003"];
export const VPC_ID = "vpc-0a1b2c3d4e5f60004";

export type Context = Record<string, string | string[]>;
export type Expected = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

export interface Request {
  readonly principal: string;
  /** The identity policies of the principal (one or more). */
  readonly identity?: PolicyDocument | object | readonly (PolicyDocument | object)[] | undefined;
  readonly action: string;
  readonly resource: string;
  readonly resourceAccount?: string;
  readonly resourcePolicy?: PolicyDocument | object | undefined;
  readonly vpcEndpointPolicy?: PolicyDocument | object | undefined;
  readonly context?: Context;
}

/** Runs one request through the evaluator; invalid policies or requests fail the test. */
export async function decide(request: Request): Promise<string> {
  const identities = request.identity === undefined ? [] : Array.isArray(request.identity) ? request.identity : [request.identity];
  const simulation: Simulation = {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.resourceAccount ?? ACCOUNT },
      contextVariables: request.context ?? {},
    },
    identityPolicies: identities.map((policy, index) => ({ name: `identity-${index}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(request.resourcePolicy !== undefined ? { resourcePolicy: request.resourcePolicy } : {}),
    ...(request.vpcEndpointPolicy !== undefined ? { vpcEndpointPolicies: [{ name: "endpoint", policy: request.vpcEndpointPolicy }] } : {}),
  };
  const result = await runSimulation(simulation, {});
  if (result.resultType === "error") throw new Error(`simulation rejected: ${JSON.stringify(result.errors)}`);
  // A context key the evaluator drops as not applicable would make a case pass for the wrong reason.
  const ignored =
    result.resultType === "single" ? (result.result.ignoredContextKeys ?? []) : result.results.flatMap((r) => r.ignoredContextKeys ?? []);
  if (ignored.length > 0) throw new Error(`context keys not applicable to ${request.action}: ${ignored.join(", ")}`);
  return result.overallResult;
}

export const TLS: Context = { "aws:SecureTransport": "true", "s3:TlsVersion": "1.3" };

/** KMS's default key policy, which the stack's key keeps: the account's IAM policies decide. */
export const defaultKeyPolicy = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "Enable IAM User Permissions",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: "kms:*",
      Resource: "*",
    },
  ],
};

/** A request by `principal` with `identity`, with the bucket's or the key's resource policy where one applies. */
export function requestAs(principal: string, identity: Request["identity"]) {
  return (action: string, resource: string, context: Context = {}): Request => ({
    principal,
    identity,
    action,
    resource,
    context,
    ...(action.startsWith("s3:") ? { resourcePolicy: bucketPolicy("aws", BUCKET), context: { ...TLS, ...context } } : {}),
    ...(action.startsWith("kms:") ? { resourcePolicy: defaultKeyPolicy } : {}),
  });
}

export const object = (key: string, bucket = BUCKET) => `arn:aws:s3:::${bucket}/${key}`;
export const bucket = (name = BUCKET) => `arn:aws:s3:::${name}`;

/** A create as segsweep sends it (src/backend/request.ts): tagged, bounded, on a listed type. */
export const goodJob: Context = {
  "sagemaker:InstanceTypes": ["ml.g5.xlarge"],
  "sagemaker:MaxRuntimeInSeconds": "3600",
  "aws:RequestTag/segsweep:campaign": "lr-sweep",
  "aws:TagKeys": ["segsweep:campaign", "segsweep:point"],
};
/** The same, in the stack's VPC. */
export const goodJobInVpc: Context = { ...goodJob, "sagemaker:VpcSubnets": SUBNETS, "sagemaker:VpcSecurityGroupIds": SECURITY_GROUPS };
/** The tags of a create, as SageMaker authorizes them: AddTags with the create's API name. */
export const tagsOfCreate = (api: string): Context => ({
  "sagemaker:TaggingAction": api,
  "aws:RequestTag/segsweep:campaign": "lr-sweep",
  "aws:TagKeys": ["segsweep:campaign"],
});
export const withoutKey = (context: Context, key: string): Context =>
  Object.fromEntries(Object.entries(context).filter(([k]) => k !== key));
export const campaignTagged: Context = { "aws:ResourceTag/segsweep:campaign": "lr-sweep" };
