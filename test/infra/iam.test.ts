import { describe, expect, it } from "vitest";
import { eventsQueuePolicy } from "../../src/infra/policies/events.js";
import { operatorRoleTrustPolicy } from "../../src/infra/policies/operator.js";
import { algorithmRepositoryArn, trainingRolePolicy, trainingRoleTrustPolicy } from "../../src/infra/policies/training-role.js";
import {
  ACCOUNT,
  BUCKET,
  bucket,
  decide,
  type Expected,
  goodJob,
  JOB_ARN,
  KEY_ARN,
  LOG_GROUP,
  OTHER_ACCOUNT,
  object,
  QUEUE_ARN,
  type Request,
  ROLE_ARN,
  requestAs,
  scope,
  TUNING_JOB_ARN,
} from "./iam-kit.js";

/**
 * The execution role, who may assume it and the operator role, and the events queue, under a real
 * IAM evaluator (iam-kit.ts). The operator policy: iam-operator.test.ts; the state machine:
 * iam-state-machine.test.ts; the VPC: iam-network.test.ts.
 */

const RULE_ARN = `arn:aws:events:us-east-1:${ACCOUNT}:rule/segsweep-events-rule`;
const IMAGE_REPO = algorithmRepositoryArn("aws", "us-east-1", "811284229777");
const ROLE_PRINCIPAL = `arn:aws:sts::${ACCOUNT}:assumed-role/segsweep-training-role-1234567/SageMaker`;
const CI_ROLE = `arn:aws:iam::${OTHER_ACCOUNT}:role/github-actions-segsweep`;

const trainingPolicy = trainingRolePolicy({ scope, bucketName: BUCKET, imageRepositoryArn: IMAGE_REPO, kmsKeyArn: KEY_ARN });
const asRole = requestAs(ROLE_PRINCIPAL, trainingPolicy);
const logGroup = LOG_GROUP;

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
  ["role lists a dataset channel", asRole("s3:ListBucket", bucket(), { "s3:prefix": "datasets/voc/train/" }), "Allowed"],
  ["role cannot list campaigns/", asRole("s3:ListBucket", bucket(), { "s3:prefix": "campaigns/" }), "ImplicitlyDenied"],
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
      [
        "SageMaker assumes the role for a tuning job of this account (the source ARN its training jobs present is undocumented)",
        assume("sagemaker.amazonaws.com", TUNING_JOB_ARN),
        "Allowed",
      ],
      [
        "SageMaker acting for another account's tuning job is refused",
        assume("sagemaker.amazonaws.com", TUNING_JOB_ARN.replace(ACCOUNT, OTHER_ACCOUNT), OTHER_ACCOUNT),
        "ImplicitlyDenied",
      ],
    ] as [string, Request, Expected][];
  })(),
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

describe("the execution role, its trust and the events queue under a real IAM evaluator", () => {
  it.each(cases)("%s", async (_name, request, expected) => {
    expect(await decide(request)).toBe(expected);
  });

  it("without a KMS key the role gets no KMS permission at all", async () => {
    const noKey = trainingRolePolicy({ scope, bucketName: BUCKET, imageRepositoryArn: IMAGE_REPO });
    expect(await decide({ ...asRole("kms:Decrypt", KEY_ARN), identity: noKey })).toBe("ImplicitlyDenied");
  });

  it("grants a '*' resource only where IAM has no resource type", () => {
    const star = trainingPolicy.Statement.filter((s) => s.Effect === "Allow" && [s.Resource].flat().includes("*"))
      .flatMap((s) => [s.Action].flat())
      .sort();
    expect(star).toEqual(["cloudwatch:PutMetricData", "ecr:GetAuthorizationToken"]);
  });
});
