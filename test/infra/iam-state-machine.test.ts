import { describe, expect, it } from "vitest";
import {
  type StateMachineRolePolicyArgs,
  stateMachineRolePolicy,
  stateMachineTrustPolicy,
} from "../../src/infra/policies/state-machine.js";
import {
  ACCOUNT,
  BUCKET,
  bucket,
  type Context,
  campaignTagged,
  decide,
  type Expected,
  goodJob,
  goodJobInVpc,
  JOB_ARN,
  KEY_ARN,
  OTHER_ACCOUNT,
  object,
  type Request,
  ROLE_ARN,
  requestAs,
  SECURITY_GROUPS,
  SUBNETS,
  scope,
  TUNING_JOB_ARN,
  tagsOfCreate,
  withoutKey,
} from "./iam-kit.js";

/** The campaign state machine's role and its trust under a real IAM evaluator. */

const NAME = "segsweep-dev-campaigns";
const STATES = `arn:aws:states:us-east-1:${ACCOUNT}`;
const MACHINE_ARN = `${STATES}:stateMachine:${NAME}`;
const PRINCIPAL = `arn:aws:sts::${ACCOUNT}:assumed-role/segsweep-campaigns-role-1234567/StatesSession`;
const args: StateMachineRolePolicyArgs = {
  scope,
  bucketName: BUCKET,
  trainingRoleArn: ROLE_ARN,
  stateMachineName: NAME,
  instanceTypes: ["ml.p3.2xlarge", "ml.g5.xlarge"],
  maxRuntimeSeconds: 43_200,
  maxKeepAliveSeconds: 0,
  campaignTagKey: "segsweep:campaign",
  kmsKeyArn: KEY_ARN,
};
const policy = stateMachineRolePolicy(args);
const asMachine = requestAs(PRINCIPAL, policy);
const create = (context: Context) => asMachine("sagemaker:CreateTrainingJob", JOB_ARN, context);
const SYNC_RULE = `arn:aws:events:us-east-1:${ACCOUNT}:rule/StepFunctionsGetEventsForSageMakerTrainingJobsRule`;

const cases: [string, Request, Expected][] = [
  // Training jobs, under the operators' guardrails
  ["creates a tagged, bounded job on a listed GPU type", create(goodJob), "Allowed"],
  ["a job on an unlisted type is denied", create({ ...goodJob, "sagemaker:InstanceTypes": ["ml.p4d.24xlarge"] }), "ExplicitlyDenied"],
  ["a job over the maximum run time is denied", create({ ...goodJob, "sagemaker:MaxRuntimeInSeconds": "43201" }), "ExplicitlyDenied"],
  ["a job without a run-time bound is denied", create(withoutKey(goodJob, "sagemaker:MaxRuntimeInSeconds")), "ExplicitlyDenied"],
  ["a job without the campaign tag is denied", create(withoutKey(goodJob, "aws:RequestTag/segsweep:campaign")), "ExplicitlyDenied"],
  ["a job asking for a warm pool is denied", create({ ...goodJob, "sagemaker:KeepAlivePeriod": "600" }), "ExplicitlyDenied"],
  ["tags its jobs at creation", asMachine("sagemaker:AddTags", JOB_ARN, tagsOfCreate("CreateTrainingJob")), "Allowed"],
  [
    "cannot tag an existing job",
    asMachine("sagemaker:AddTags", JOB_ARN, withoutKey(tagsOfCreate("CreateTrainingJob"), "sagemaker:TaggingAction")),
    "ExplicitlyDenied",
  ],
  ["describes a campaign job (.sync)", asMachine("sagemaker:DescribeTrainingJob", JOB_ARN, campaignTagged), "Allowed"],
  ["cannot describe another team's job", asMachine("sagemaker:DescribeTrainingJob", JOB_ARN), "ImplicitlyDenied"],
  ["stops a campaign job (an aborted .sync task)", asMachine("sagemaker:StopTrainingJob", JOB_ARN, campaignTagged), "Allowed"],
  ["cannot stop another team's job", asMachine("sagemaker:StopTrainingJob", JOB_ARN), "ImplicitlyDenied"],
  ["reads a job's tags", asMachine("sagemaker:ListTags", JOB_ARN), "Allowed"],
  ["cannot create tuning jobs", asMachine("sagemaker:CreateHyperParameterTuningJob", TUNING_JOB_ARN, goodJob), "ImplicitlyDenied"],
  [
    "passes the execution role to SageMaker",
    asMachine("iam:PassRole", ROLE_ARN, { "iam:PassedToService": "sagemaker.amazonaws.com" }),
    "Allowed",
  ],
  [
    "cannot pass the role to another service",
    asMachine("iam:PassRole", ROLE_ARN, { "iam:PassedToService": "lambda.amazonaws.com" }),
    "ImplicitlyDenied",
  ],
  [
    "cannot pass another role",
    asMachine("iam:PassRole", `arn:aws:iam::${ACCOUNT}:role/admin`, { "iam:PassedToService": "sagemaker.amazonaws.com" }),
    "ImplicitlyDenied",
  ],
  // The managed rule of .sync
  ["creates the managed rule .sync needs", asMachine("events:PutRule", SYNC_RULE), "Allowed"],
  ["targets the managed rule", asMachine("events:PutTargets", SYNC_RULE), "Allowed"],
  ["reads the managed rule", asMachine("events:DescribeRule", SYNC_RULE), "Allowed"],
  [
    "cannot retarget the stack's own events rule",
    asMachine("events:PutTargets", `arn:aws:events:us-east-1:${ACCOUNT}:rule/segsweep-events-rule`),
    "ImplicitlyDenied",
  ],
  ["cannot delete the managed rule", asMachine("events:DeleteRule", SYNC_RULE), "ImplicitlyDenied"],
  // Items and results under campaigns/
  ["lists campaign items", asMachine("s3:ListBucket", bucket(), { "s3:prefix": "campaigns/lr-sweep/" }), "Allowed"],
  ["reads a campaign's items", asMachine("s3:GetObject", object("campaigns/lr-sweep/items/5d41402a.json")), "Allowed"],
  ["writes map run results", asMachine("s3:PutObject", object("campaigns/_results/0a1b/SUCCEEDED_0.json")), "Allowed"],
  [
    "lists the parts of a result upload",
    asMachine("s3:ListMultipartUploadParts", object("campaigns/_results/0a1b/SUCCEEDED_0.json")),
    "Allowed",
  ],
  ["aborts a result upload", asMachine("s3:AbortMultipartUpload", object("campaigns/_results/0a1b/SUCCEEDED_0.json")), "Allowed"],
  ["decrypts with the bucket key", asMachine("kms:Decrypt", KEY_ARN), "Allowed"],
  ["cannot list datasets", asMachine("s3:ListBucket", bucket(), { "s3:prefix": "datasets/" }), "ImplicitlyDenied"],
  ["cannot read datasets", asMachine("s3:GetObject", object("datasets/voc/train/a.jpg")), "ImplicitlyDenied"],
  ["cannot write model artifacts", asMachine("s3:PutObject", object("outputs/lr-sweep/j/output/model.tar.gz")), "ImplicitlyDenied"],
  ["cannot delete campaign records", asMachine("s3:DeleteObject", object("campaigns/lr-sweep/journal.json")), "ImplicitlyDenied"],
  ["cannot write another bucket", asMachine("s3:PutObject", object("campaigns/x.json", "other-bucket")), "ImplicitlyDenied"],
  // Its own Distributed Map
  ["starts its own child executions", asMachine("states:StartExecution", MACHINE_ARN), "Allowed"],
  ["cannot start another state machine", asMachine("states:StartExecution", `${STATES}:stateMachine:payments`), "ImplicitlyDenied"],
  ["describes a child execution", asMachine("states:DescribeExecution", `${STATES}:execution:${NAME}/Trainings:0a1b2c3d`), "Allowed"],
  ["stops a child execution", asMachine("states:StopExecution", `${STATES}:execution:${NAME}/Trainings:0a1b2c3d`), "Allowed"],
  [
    "cannot stop another state machine's execution",
    asMachine("states:StopExecution", `${STATES}:execution:payments:run-1`),
    "ImplicitlyDenied",
  ],
];

/** Who may assume the role. */
const assume = (service: string, sourceArn: string, sourceAccount = ACCOUNT): Request => ({
  principal: service,
  action: "sts:AssumeRole",
  resource: `arn:aws:iam::${ACCOUNT}:role/segsweep-campaigns-role-1234567`,
  resourcePolicy: stateMachineTrustPolicy(scope, NAME),
  context: { "aws:SourceAccount": sourceAccount, "aws:SourceArn": sourceArn },
});
const trustCases: [string, Request, Expected][] = [
  ["Step Functions assumes the role for the campaign state machine", assume("states.amazonaws.com", MACHINE_ARN), "Allowed"],
  ["and for a version of it", assume("states.amazonaws.com", `${MACHINE_ARN}:1`), "Allowed"],
  ["not for another state machine of the account", assume("states.amazonaws.com", `${STATES}:stateMachine:payments`), "ImplicitlyDenied"],
  ["not for one whose name extends the campaign one", assume("states.amazonaws.com", `${MACHINE_ARN}-evil`), "ImplicitlyDenied"],
  [
    "not for a state machine of that name in another account",
    assume("states.amazonaws.com", MACHINE_ARN.replace(ACCOUNT, OTHER_ACCOUNT), OTHER_ACCOUNT),
    "ImplicitlyDenied",
  ],
  ["not for another service", assume("lambda.amazonaws.com", MACHINE_ARN), "ImplicitlyDenied"],
];

describe("the campaign state machine's role under a real IAM evaluator", () => {
  it.each(cases)("%s", async (_name, request, expected) => {
    expect(await decide(request)).toBe(expected);
  });

  it.each(trustCases)("trust: %s", async (_name, request, expected) => {
    expect(await decide(request)).toBe(expected);
  });

  it("with requireVpc, it creates jobs only in the stack's VPC", async () => {
    const inVpc = stateMachineRolePolicy({ ...args, network: { subnetIds: SUBNETS, securityGroupIds: SECURITY_GROUPS } });
    expect(await decide({ ...create(goodJobInVpc), identity: inVpc })).toBe("Allowed");
    expect(await decide({ ...create(goodJob), identity: inVpc })).toBe("ExplicitlyDenied");
    expect(await decide({ ...create({ ...goodJobInVpc, "sagemaker:VpcSubnets": ["subnet-0ffffffffffffffff"] }), identity: inVpc })).toBe(
      "ExplicitlyDenied",
    );
  });

  it("grants no '*' resource at all", () => {
    const star = policy.Statement.filter((s) => s.Effect === "Allow" && [s.Resource].flat().includes("*"));
    expect(star).toEqual([]);
  });
});
