import { runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import { describe, expect, it } from "vitest";
import type { PolicyDocument } from "../../src/infra/policies/document.js";
import { eventsQueuePolicy } from "../../src/infra/policies/events.js";
import { type OperatorPolicyArgs, operatorPolicy, operatorRoleTrustPolicy } from "../../src/infra/policies/operator.js";
import { bucketPolicy } from "../../src/infra/policies/storage.js";
import { algorithmRepositoryArn, trainingRolePolicy, trainingRoleTrustPolicy } from "../../src/infra/policies/training-role.js";

/**
 * The stack's IAM documents, evaluated by a real IAM policy evaluator (@cloud-copilot/iam-simulate,
 * AGPL, a dev dependency used only here). The documents come from the same pure functions the stack
 * deploys with (stack.test.ts checks that the deployed JSON is exactly theirs).
 */

const ACCOUNT = "123456789012";
const OTHER_ACCOUNT = "210987654321";
const scope = { partition: "aws", region: "us-east-1", accountId: ACCOUNT };
const BUCKET = "segsweep-data-bucket-a1b2c3d";
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/segsweep-training-role-1234567`;
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`;
const QUEUE_ARN = `arn:aws:sqs:us-east-1:${ACCOUNT}:segsweep-events-queue`;
const RULE_ARN = `arn:aws:events:us-east-1:${ACCOUNT}:rule/segsweep-events-rule`;
const IMAGE_REPO = algorithmRepositoryArn("aws", "us-east-1", "811284229777");
const JOB_ARN = `arn:aws:sagemaker:us-east-1:${ACCOUNT}:training-job/lr-sweep-0123456789ab`;
const ROLE_PRINCIPAL = `arn:aws:sts::${ACCOUNT}:assumed-role/segsweep-training-role-1234567/SageMaker`;
const OPERATOR = `arn:aws:iam::${ACCOUNT}:user/operator`;
const CI_ROLE = `arn:aws:iam::${OTHER_ACCOUNT}:role/github-actions-segsweep`;

const trainingPolicy = trainingRolePolicy({ scope, bucketName: BUCKET, imageRepositoryArn: IMAGE_REPO, kmsKeyArn: KEY_ARN });
const operatorArgs: OperatorPolicyArgs = {
  scope,
  bucketName: BUCKET,
  trainingRoleArn: ROLE_ARN,
  instanceTypes: ["ml.p3.2xlarge", "ml.g5.xlarge"],
  maxRuntimeSeconds: 43_200,
  maxKeepAliveSeconds: 0,
  campaignTagKey: "segsweep:campaign",
  eventsQueueArn: QUEUE_ARN,
  kmsKeyArn: KEY_ARN,
};
const opPolicy = operatorPolicy(operatorArgs);
/** KMS's default key policy, which the stack's key keeps: the account's IAM policies decide. */
const defaultKeyPolicy = {
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

type Context = Record<string, string | string[]>;
interface Request {
  readonly principal: string;
  readonly identity?: PolicyDocument | object | undefined;
  readonly action: string;
  readonly resource: string;
  readonly resourceAccount?: string;
  readonly resourcePolicy?: PolicyDocument | object | undefined;
  readonly context?: Context;
}

/** Runs one request through the evaluator; invalid policies or requests fail the test. */
async function decide(request: Request): Promise<string> {
  const simulation: Simulation = {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.resourceAccount ?? ACCOUNT },
      contextVariables: request.context ?? {},
    },
    identityPolicies: request.identity === undefined ? [] : [{ name: "identity", policy: request.identity }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(request.resourcePolicy !== undefined ? { resourcePolicy: request.resourcePolicy } : {}),
  };
  const result = await runSimulation(simulation, {});
  if (result.resultType === "error") throw new Error(`simulation rejected: ${JSON.stringify(result.errors)}`);
  // A context key the evaluator drops as not applicable would make a case pass for the wrong reason.
  const ignored =
    result.resultType === "single" ? (result.result.ignoredContextKeys ?? []) : result.results.flatMap((r) => r.ignoredContextKeys ?? []);
  if (ignored.length > 0) throw new Error(`context keys not applicable to ${request.action}: ${ignored.join(", ")}`);
  return result.overallResult;
}

const TLS: Context = { "aws:SecureTransport": "true", "s3:TlsVersion": "1.3" };
const asRole = (action: string, resource: string, context: Context = {}): Request => ({
  principal: ROLE_PRINCIPAL,
  identity: trainingPolicy,
  action,
  resource,
  context,
  ...(action.startsWith("s3:") ? { resourcePolicy: bucketPolicy("aws", BUCKET), context: { ...TLS, ...context } } : {}),
  ...(action.startsWith("kms:") ? { resourcePolicy: defaultKeyPolicy } : {}),
});
const asOperator = (action: string, resource: string, context: Context = {}): Request => ({
  principal: OPERATOR,
  identity: opPolicy,
  action,
  resource,
  context,
  ...(action.startsWith("s3:") ? { resourcePolicy: bucketPolicy("aws", BUCKET), context: { ...TLS, ...context } } : {}),
  ...(action.startsWith("kms:") ? { resourcePolicy: defaultKeyPolicy } : {}),
});
const object = (key: string, bucket = BUCKET) => `arn:aws:s3:::${bucket}/${key}`;
/** A CreateTrainingJob as segsweep sends it (src/backend/request.ts): tagged, bounded, listed type. */
const goodJob: Context = {
  "sagemaker:InstanceTypes": ["ml.g5.xlarge"],
  "sagemaker:MaxRuntimeInSeconds": "3600",
  "aws:RequestTag/segsweep:campaign": "lr-sweep",
  "aws:TagKeys": ["segsweep:campaign", "segsweep:point"],
};
const createJob = (context: Context) => asOperator("sagemaker:CreateTrainingJob", JOB_ARN, context);
const withoutKey = (context: Context, key: string): Context => Object.fromEntries(Object.entries(context).filter(([k]) => k !== key));
const logGroup = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/sagemaker/TrainingJobs`;

type Expected = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";
const cases: [string, Request, Expected][] = [
  // The execution role
  ["role reads datasets/x.png", asRole("s3:GetObject", object("datasets/x.png")), "Allowed"],
  ["role cannot read another bucket", asRole("s3:GetObject", object("datasets/x.png", "someone-elses-bucket"), {}), "ImplicitlyDenied"],
  ["role cannot write datasets/", asRole("s3:PutObject", object("datasets/x.png")), "ImplicitlyDenied"],
  ["role writes model artifacts under outputs/", asRole("s3:PutObject", object("outputs/lr-sweep/job/output/model.tar.gz")), "Allowed"],
  [
    "role cannot read outputs/ (it only writes them)",
    asRole("s3:GetObject", object("outputs/lr-sweep/job/output/model.tar.gz")),
    "ImplicitlyDenied",
  ],
  ["role reads checkpoints/", asRole("s3:GetObject", object("checkpoints/lr-sweep/job/ckpt-1")), "Allowed"],
  ["role deletes old checkpoints", asRole("s3:DeleteObject", object("checkpoints/lr-sweep/job/ckpt-1")), "Allowed"],
  ["role cannot touch campaigns/", asRole("s3:GetObject", object("campaigns/lr-sweep/journal.json")), "ImplicitlyDenied"],
  ["role lists a dataset channel", asRole("s3:ListBucket", `arn:aws:s3:::${BUCKET}`, { "s3:prefix": "datasets/voc/train/" }), "Allowed"],
  ["role cannot list campaigns/", asRole("s3:ListBucket", `arn:aws:s3:::${BUCKET}`, { "s3:prefix": "campaigns/" }), "ImplicitlyDenied"],
  [
    "plain-HTTP read is denied by the bucket policy",
    asRole("s3:GetObject", object("datasets/x.png"), { "aws:SecureTransport": "false" }),
    "ExplicitlyDenied",
  ],
  [
    "TLS 1.0 read is denied by the bucket policy",
    asRole("s3:GetObject", object("datasets/x.png"), { "s3:TlsVersion": "1.0" }),
    "ExplicitlyDenied",
  ],
  ["role writes training logs", asRole("logs:PutLogEvents", `${logGroup}:log-stream:lr-sweep-0123456789ab/algo-1-1700000000`), "Allowed"],
  [
    "role cannot write other log groups",
    asRole("logs:PutLogEvents", `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/x:log-stream:s`),
    "ImplicitlyDenied",
  ],
  [
    "role publishes training metrics",
    asRole("cloudwatch:PutMetricData", "*", { "cloudwatch:namespace": "/aws/sagemaker/TrainingJobs" }),
    "Allowed",
  ],
  [
    "role cannot publish to other namespaces",
    asRole("cloudwatch:PutMetricData", "*", { "cloudwatch:namespace": "AWS/EC2" }),
    "ImplicitlyDenied",
  ],
  ["role logs in to ECR", asRole("ecr:GetAuthorizationToken", "*"), "Allowed"],
  ["role pulls the algorithm image", asRole("ecr:BatchGetImage", IMAGE_REPO), "Allowed"],
  [
    "role cannot pull other images",
    asRole("ecr:BatchGetImage", `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/private-model`),
    "ImplicitlyDenied",
  ],
  ["role decrypts with the bucket key", asRole("kms:Decrypt", KEY_ARN), "Allowed"],
  [
    "role cannot use another key",
    asRole("kms:Decrypt", `arn:aws:kms:us-east-1:${ACCOUNT}:key/99999999-2222-3333-4444-555555555555`),
    "ImplicitlyDenied",
  ],
  ["role cannot launch training jobs itself", asRole("sagemaker:CreateTrainingJob", JOB_ARN, goodJob), "ImplicitlyDenied"],
  [
    "role cannot pass itself on",
    asRole("iam:PassRole", ROLE_ARN, { "iam:PassedToService": "sagemaker.amazonaws.com" }),
    "ImplicitlyDenied",
  ],
  // Who may assume the execution role
  ...(() => {
    const assume = (principal: string, sourceArn: string, sourceAccount = ACCOUNT): Request => ({
      principal,
      action: "sts:AssumeRole",
      resource: ROLE_ARN,
      resourcePolicy: trainingRoleTrustPolicy(scope),
      context: { "aws:SourceAccount": sourceAccount, "aws:SourceArn": sourceArn },
    });
    return [
      ["SageMaker assumes the role for this account's training job", assume("sagemaker.amazonaws.com", JOB_ARN), "Allowed"],
      [
        "SageMaker acting for another account's job is refused",
        assume("sagemaker.amazonaws.com", JOB_ARN.replace(ACCOUNT, OTHER_ACCOUNT), OTHER_ACCOUNT),
        "ImplicitlyDenied",
      ],
      [
        "SageMaker acting for a processing job is refused",
        assume("sagemaker.amazonaws.com", `arn:aws:sagemaker:us-east-1:${ACCOUNT}:processing-job/p1`),
        "ImplicitlyDenied",
      ],
      ["another service cannot assume the role", assume("ec2.amazonaws.com", JOB_ARN), "ImplicitlyDenied"],
    ] as [string, Request, Expected][];
  })(),
  // The operator policy and its guardrails
  ["operator launches a tagged, bounded job on a listed GPU type", createJob(goodJob), "Allowed"],
  [
    "a job on a GPU type not in the stack's list is denied",
    createJob({ ...goodJob, "sagemaker:InstanceTypes": ["ml.p4d.24xlarge"] }),
    "ExplicitlyDenied",
  ],
  [
    "a job on a non-GPU instance type is denied",
    createJob({ ...goodJob, "sagemaker:InstanceTypes": ["ml.m5.xlarge"] }),
    "ExplicitlyDenied",
  ],
  [
    "a job mixing a listed and an unlisted type is denied",
    createJob({ ...goodJob, "sagemaker:InstanceTypes": ["ml.g5.xlarge", "ml.c5.xlarge"] }),
    "ExplicitlyDenied",
  ],
  ["a job whose instance types IAM cannot see is denied", createJob(withoutKey(goodJob, "sagemaker:InstanceTypes")), "ExplicitlyDenied"],
  ["a job without the campaign tag is denied", createJob(withoutKey(goodJob, "aws:RequestTag/segsweep:campaign")), "ExplicitlyDenied"],
  ["a job over the maximum run time is denied", createJob({ ...goodJob, "sagemaker:MaxRuntimeInSeconds": "43201" }), "ExplicitlyDenied"],
  ["a job at exactly the maximum run time is allowed", createJob({ ...goodJob, "sagemaker:MaxRuntimeInSeconds": "43200" }), "Allowed"],
  ["a job without a run-time bound is denied", createJob(withoutKey(goodJob, "sagemaker:MaxRuntimeInSeconds")), "ExplicitlyDenied"],
  ["a job asking for a warm pool is denied", createJob({ ...goodJob, "sagemaker:KeepAlivePeriod": "600" }), "ExplicitlyDenied"],
  [
    "operator passes the execution role to SageMaker",
    asOperator("iam:PassRole", ROLE_ARN, { "iam:PassedToService": "sagemaker.amazonaws.com" }),
    "Allowed",
  ],
  [
    "operator cannot pass the role to another service",
    asOperator("iam:PassRole", ROLE_ARN, { "iam:PassedToService": "ec2.amazonaws.com" }),
    "ImplicitlyDenied",
  ],
  [
    "operator cannot pass another role",
    asOperator("iam:PassRole", `arn:aws:iam::${ACCOUNT}:role/admin`, { "iam:PassedToService": "sagemaker.amazonaws.com" }),
    "ImplicitlyDenied",
  ],
  [
    "operator stops a campaign job",
    asOperator("sagemaker:StopTrainingJob", JOB_ARN, { "aws:ResourceTag/segsweep:campaign": "lr-sweep" }),
    "Allowed",
  ],
  ["operator cannot stop another team's untagged job", asOperator("sagemaker:StopTrainingJob", JOB_ARN), "ImplicitlyDenied"],
  ["operator lists training jobs", asOperator("sagemaker:ListTrainingJobs", "*"), "Allowed"],
  ["operator describes a job", asOperator("sagemaker:DescribeTrainingJob", JOB_ARN), "Allowed"],
  ["operator writes campaign records", asOperator("s3:PutObject", object("campaigns/lr-sweep/journal.json")), "Allowed"],
  [
    "operator lists campaign records",
    asOperator("s3:ListBucket", `arn:aws:s3:::${BUCKET}`, { "s3:prefix": "campaigns/lr-sweep/" }),
    "Allowed",
  ],
  ["operator cannot overwrite datasets", asOperator("s3:PutObject", object("datasets/x.png")), "ImplicitlyDenied"],
  [
    "operator reads SageMaker quotas",
    asOperator("servicequotas:GetServiceQuota", `arn:aws:servicequotas:us-east-1:${ACCOUNT}:sagemaker/L-B6D80D9C`),
    "Allowed",
  ],
  [
    "operator cannot read other services' quotas",
    asOperator("servicequotas:GetServiceQuota", `arn:aws:servicequotas:us-east-1:${ACCOUNT}:ec2/L-1216C47A`),
    "ImplicitlyDenied",
  ],
  ["operator consumes job-state events", asOperator("sqs:ReceiveMessage", QUEUE_ARN), "Allowed"],
  ["operator cannot read other queues", asOperator("sqs:ReceiveMessage", `arn:aws:sqs:us-east-1:${ACCOUNT}:payments`), "ImplicitlyDenied"],
  [
    "operator cannot create tuning jobs",
    asOperator("sagemaker:CreateHyperParameterTuningJob", `arn:aws:sagemaker:us-east-1:${ACCOUNT}:hyper-parameter-tuning-job/x`, {
      "sagemaker:InstanceTypes": ["ml.g5.xlarge"],
    }),
    "ImplicitlyDenied",
  ],
  // The optional operator role
  [
    "a configured CI role assumes the operator role",
    {
      principal: CI_ROLE,
      identity: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] },
      action: "sts:AssumeRole",
      resource: `arn:aws:iam::${ACCOUNT}:role/segsweep-operator-role`,
      resourcePolicy: operatorRoleTrustPolicy("aws", [CI_ROLE, ACCOUNT]),
    },
    "Allowed",
  ],
  [
    "an unconfigured account cannot assume the operator role",
    {
      principal: `arn:aws:iam::555555555555:role/x`,
      identity: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] },
      action: "sts:AssumeRole",
      resource: `arn:aws:iam::${ACCOUNT}:role/segsweep-operator-role`,
      resourcePolicy: operatorRoleTrustPolicy("aws", [CI_ROLE, ACCOUNT]),
    },
    "ImplicitlyDenied",
  ],
  // Job-state events
  [
    "the stack's rule delivers to the queue",
    {
      principal: "events.amazonaws.com",
      action: "sqs:SendMessage",
      resource: QUEUE_ARN,
      resourcePolicy: eventsQueuePolicy(QUEUE_ARN, RULE_ARN),
      context: { "aws:SourceArn": RULE_ARN },
    },
    "Allowed",
  ],
  [
    "another rule cannot deliver to the queue",
    {
      principal: "events.amazonaws.com",
      action: "sqs:SendMessage",
      resource: QUEUE_ARN,
      resourcePolicy: eventsQueuePolicy(QUEUE_ARN, RULE_ARN),
      context: { "aws:SourceArn": `${RULE_ARN}-other` },
    },
    "ImplicitlyDenied",
  ],
];

describe("IAM documents under a real IAM evaluator", () => {
  it("covers at least 20 allow/deny cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases)("%s", async (_name, request, expected) => {
    expect(await decide(request)).toBe(expected);
  });

  it("without a KMS key the role gets no KMS permission at all", async () => {
    const noKey = trainingRolePolicy({ scope, bucketName: BUCKET, imageRepositoryArn: IMAGE_REPO });
    expect(await decide({ ...asRole("kms:Decrypt", KEY_ARN), identity: noKey })).toBe("ImplicitlyDenied");
  });

  it("without events the operator gets no SQS permission", async () => {
    const noEvents = operatorPolicy({ ...operatorArgs, eventsQueueArn: undefined });
    expect(await decide({ ...asOperator("sqs:ReceiveMessage", QUEUE_ARN), identity: noEvents })).toBe("ImplicitlyDenied");
  });

  it("a warm pool within a configured keep-alive cap is allowed", async () => {
    const warm = operatorPolicy({ ...operatorArgs, maxKeepAliveSeconds: 900 });
    expect(await decide({ ...createJob({ ...goodJob, "sagemaker:KeepAlivePeriod": "900" }), identity: warm })).toBe("Allowed");
    expect(await decide({ ...createJob({ ...goodJob, "sagemaker:KeepAlivePeriod": "901" }), identity: warm })).toBe("ExplicitlyDenied");
  });

  it("no statement grants a '*' resource except where IAM has no resource type", () => {
    const star = [...trainingPolicy.Statement, ...opPolicy.Statement]
      .filter((s) => s.Effect === "Allow" && [s.Resource].flat().includes("*"))
      .flatMap((s) => [s.Action].flat())
      .sort();
    expect(star).toEqual([
      "cloudwatch:PutMetricData",
      "ecr:GetAuthorizationToken",
      "sagemaker:ListTrainingJobs",
      "sagemaker:Search",
      "servicequotas:ListAWSDefaultServiceQuotas",
      "servicequotas:ListServiceQuotas",
    ]);
  });
});
