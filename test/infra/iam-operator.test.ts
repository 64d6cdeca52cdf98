import { describe, expect, it } from "vitest";
import { type OperatorPolicyArgs, operatorPolicy } from "../../src/infra/policies/operator.js";
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
  LOG_GROUP,
  object,
  QUEUE_ARN,
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

/** The operator policy under a real IAM evaluator: every permission allowed where it must be and refused where it must not. */

const OPERATOR = `arn:aws:iam::${ACCOUNT}:user/operator`;
const STATE_MACHINE = "segsweep-dev-campaigns";
const STATES = `arn:aws:states:us-east-1:${ACCOUNT}`;
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
const asOperator = requestAs(OPERATOR, opPolicy);
const createJob = (context: Context) => asOperator("sagemaker:CreateTrainingJob", JOB_ARN, context);
const createTuningJob = (context: Context) => asOperator("sagemaker:CreateHyperParameterTuningJob", TUNING_JOB_ARN, context);
/** Some other policy of the same principal that lets it tag anything in SageMaker. */
const broadTagging = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sagemaker:AddTags", Resource: "*" }] };

const cases: [string, Request, Expected][] = [
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
  // Tags only at creation: the tag-then-stop hole stays closed
  ["the tags of a legitimate create are allowed", asOperator("sagemaker:AddTags", JOB_ARN, tagsOfCreate("CreateTrainingJob")), "Allowed"],
  [
    "tagging an existing job (no TaggingAction) is denied",
    asOperator("sagemaker:AddTags", JOB_ARN, withoutKey(tagsOfCreate("CreateTrainingJob"), "sagemaker:TaggingAction")),
    "ExplicitlyDenied",
  ],
  [
    "tagging an existing job is denied even where another policy grants AddTags",
    {
      ...asOperator("sagemaker:AddTags", JOB_ARN, withoutKey(tagsOfCreate("CreateTrainingJob"), "sagemaker:TaggingAction")),
      identity: [opPolicy, broadTagging],
    },
    "ExplicitlyDenied",
  ],
  [
    "tags applied by a create of another kind of resource are not ours to give",
    asOperator("sagemaker:AddTags", JOB_ARN, tagsOfCreate("CreateEndpoint")),
    "ImplicitlyDenied",
  ],
  [
    "operator cannot remove tags",
    asOperator("sagemaker:DeleteTags", JOB_ARN, { "aws:TagKeys": ["segsweep:campaign"] }),
    "ImplicitlyDenied",
  ],
  [
    "stopping still requires the campaign tag",
    asOperator("sagemaker:StopTrainingJob", JOB_ARN, { "aws:ResourceTag/team": "vision" }),
    "ImplicitlyDenied",
  ],
  // Tuning jobs: the same guardrails
  ["operator launches a tagged, bounded tuning job on a listed GPU type", createTuningJob(goodJob), "Allowed"],
  [
    "a tuning job on an unlisted type is denied",
    createTuningJob({ ...goodJob, "sagemaker:InstanceTypes": ["ml.p4d.24xlarge"] }),
    "ExplicitlyDenied",
  ],
  [
    "a tuning job whose types IAM cannot see is denied",
    createTuningJob(withoutKey(goodJob, "sagemaker:InstanceTypes")),
    "ExplicitlyDenied",
  ],
  [
    "a tuning job over the maximum run time is denied",
    createTuningJob({ ...goodJob, "sagemaker:MaxRuntimeInSeconds": "43201" }),
    "ExplicitlyDenied",
  ],
  [
    "a tuning job without a run-time bound is denied",
    createTuningJob(withoutKey(goodJob, "sagemaker:MaxRuntimeInSeconds")),
    "ExplicitlyDenied",
  ],
  [
    "a tuning job without the campaign tag is denied",
    createTuningJob(withoutKey(goodJob, "aws:RequestTag/segsweep:campaign")),
    "ExplicitlyDenied",
  ],
  [
    "the tags of a tuning job's create are allowed",
    asOperator("sagemaker:AddTags", TUNING_JOB_ARN, tagsOfCreate("CreateHyperParameterTuningJob")),
    "Allowed",
  ],
  [
    "tagging an existing tuning job is denied",
    asOperator("sagemaker:AddTags", TUNING_JOB_ARN, { "aws:RequestTag/segsweep:campaign": "x", "aws:TagKeys": ["segsweep:campaign"] }),
    "ExplicitlyDenied",
  ],
  [
    "operator describes a campaign tuning job",
    asOperator("sagemaker:DescribeHyperParameterTuningJob", TUNING_JOB_ARN, campaignTagged),
    "Allowed",
  ],
  [
    "operator cannot describe another team's tuning job",
    asOperator("sagemaker:DescribeHyperParameterTuningJob", TUNING_JOB_ARN),
    "ImplicitlyDenied",
  ],
  [
    "operator lists a campaign tuning job's training jobs",
    asOperator("sagemaker:ListTrainingJobsForHyperParameterTuningJob", TUNING_JOB_ARN, campaignTagged),
    "Allowed",
  ],
  [
    "operator cannot list another team's tuning job's training jobs",
    asOperator("sagemaker:ListTrainingJobsForHyperParameterTuningJob", TUNING_JOB_ARN),
    "ImplicitlyDenied",
  ],
  ["operator stops a campaign tuning job", asOperator("sagemaker:StopHyperParameterTuningJob", TUNING_JOB_ARN, campaignTagged), "Allowed"],
  [
    "operator cannot stop another team's tuning job",
    asOperator("sagemaker:StopHyperParameterTuningJob", TUNING_JOB_ARN),
    "ImplicitlyDenied",
  ],
  ["operator lists tuning jobs", asOperator("sagemaker:ListHyperParameterTuningJobs", "*"), "Allowed"],
  // The bucket
  ["operator writes campaign records", asOperator("s3:PutObject", object("campaigns/lr-sweep/journal.json")), "Allowed"],
  ["operator lists campaign records", asOperator("s3:ListBucket", bucket(), { "s3:prefix": "campaigns/lr-sweep/" }), "Allowed"],
  ["preflight lists a dataset channel", asOperator("s3:ListBucket", bucket(), { "s3:prefix": "datasets/voc/train/" }), "Allowed"],
  ["preflight reads a label map", asOperator("s3:GetObject", object("datasets/voc/label_map/train_label_map.json")), "Allowed"],
  [
    "report downloads a model artifact",
    asOperator("s3:GetObject", object("outputs/lr-sweep/lr-sweep-0123456789ab/output/model.tar.gz")),
    "Allowed",
  ],
  [
    "operator cannot list model artifacts or checkpoints",
    asOperator("s3:ListBucket", bucket(), { "s3:prefix": "checkpoints/" }),
    "ImplicitlyDenied",
  ],
  ["operator cannot list the whole bucket", asOperator("s3:ListBucket", bucket()), "ImplicitlyDenied"],
  ["operator cannot read checkpoints", asOperator("s3:GetObject", object("checkpoints/lr-sweep/job/ckpt-1")), "ImplicitlyDenied"],
  ["operator cannot overwrite datasets", asOperator("s3:PutObject", object("datasets/x.png")), "ImplicitlyDenied"],
  ["operator cannot delete datasets", asOperator("s3:DeleteObject", object("datasets/x.png")), "ImplicitlyDenied"],
  [
    "operator cannot overwrite model artifacts",
    asOperator("s3:PutObject", object("outputs/lr-sweep/j/output/model.tar.gz")),
    "ImplicitlyDenied",
  ],
  [
    "operator cannot read another bucket's datasets",
    asOperator("s3:GetObject", object("datasets/x.png", "other-bucket")),
    "ImplicitlyDenied",
  ],
  ["operator decrypts with the bucket key", asOperator("kms:Decrypt", KEY_ARN), "Allowed"],
  // What jobs report
  [
    "operator reads a job's log stream",
    asOperator("logs:GetLogEvents", `${LOG_GROUP}:log-stream:lr-sweep-0123456789ab/algo-1-1700000000`),
    "Allowed",
  ],
  ["operator filters the training log group", asOperator("logs:FilterLogEvents", LOG_GROUP), "Allowed"],
  ["operator lists a job's log streams", asOperator("logs:DescribeLogStreams", LOG_GROUP), "Allowed"],
  [
    "operator cannot read other log groups",
    asOperator("logs:GetLogEvents", `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/payments:log-stream:s`),
    "ImplicitlyDenied",
  ],
  [
    "operator cannot write training logs",
    asOperator("logs:PutLogEvents", `${LOG_GROUP}:log-stream:lr-sweep-0123456789ab/algo-1-1`),
    "ImplicitlyDenied",
  ],
  ["operator reads metrics of running jobs", asOperator("cloudwatch:GetMetricData", "*"), "Allowed"],
  [
    "operator cannot publish metrics",
    asOperator("cloudwatch:PutMetricData", "*", { "cloudwatch:namespace": "/aws/sagemaker/TrainingJobs" }),
    "ImplicitlyDenied",
  ],
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
  ["operator lists quotas", asOperator("servicequotas:ListServiceQuotas", "*"), "Allowed"],
  ["operator reads a default quota", asOperator("servicequotas:GetAWSDefaultServiceQuota", "*"), "Allowed"],
  [
    "operator cannot ask for a quota increase",
    asOperator("servicequotas:RequestServiceQuotaIncrease", `arn:aws:servicequotas:us-east-1:${ACCOUNT}:sagemaker/L-B6D80D9C`),
    "ImplicitlyDenied",
  ],
  ["operator consumes job-state events", asOperator("sqs:ReceiveMessage", QUEUE_ARN), "Allowed"],
  ["operator cannot read other queues", asOperator("sqs:ReceiveMessage", `arn:aws:sqs:us-east-1:${ACCOUNT}:payments`), "ImplicitlyDenied"],
];

/** With requireVpc: every create names the stack's subnets and security group, and nothing else. */
const inVpc = requestAs(OPERATOR, operatorPolicy({ ...operatorArgs, network: { subnetIds: SUBNETS, securityGroupIds: SECURITY_GROUPS } }));
const vpcCases: [string, Request, Expected][] = [
  ["a job in the stack's subnets and security group is allowed", inVpc("sagemaker:CreateTrainingJob", JOB_ARN, goodJobInVpc), "Allowed"],
  [
    "a job on one of the stack's subnets is allowed",
    inVpc("sagemaker:CreateTrainingJob", JOB_ARN, { ...goodJobInVpc, "sagemaker:VpcSubnets": [SUBNETS[0] as string] }),
    "Allowed",
  ],
  ["a job without VpcConfig is denied", inVpc("sagemaker:CreateTrainingJob", JOB_ARN, goodJob), "ExplicitlyDenied"],
  [
    "a job in another subnet is denied",
    inVpc("sagemaker:CreateTrainingJob", JOB_ARN, { ...goodJobInVpc, "sagemaker:VpcSubnets": ["subnet-0ffffffffffffffff"] }),
    "ExplicitlyDenied",
  ],
  [
    "a job mixing a stack subnet and another is denied",
    inVpc("sagemaker:CreateTrainingJob", JOB_ARN, {
      ...goodJobInVpc,
      "sagemaker:VpcSubnets": [SUBNETS[0] as string, "subnet-0ffffffffffffffff"],
    }),
    "ExplicitlyDenied",
  ],
  [
    "a job in the stack's subnets without a security group is denied",
    inVpc("sagemaker:CreateTrainingJob", JOB_ARN, withoutKey(goodJobInVpc, "sagemaker:VpcSecurityGroupIds")),
    "ExplicitlyDenied",
  ],
  [
    "a job behind another security group is denied",
    inVpc("sagemaker:CreateTrainingJob", JOB_ARN, { ...goodJobInVpc, "sagemaker:VpcSecurityGroupIds": ["sg-0ffffffffffffffff"] }),
    "ExplicitlyDenied",
  ],
  ["a tuning job in the stack's VPC is allowed", inVpc("sagemaker:CreateHyperParameterTuningJob", TUNING_JOB_ARN, goodJobInVpc), "Allowed"],
  [
    "a tuning job without VpcConfig is denied",
    inVpc("sagemaker:CreateHyperParameterTuningJob", TUNING_JOB_ARN, goodJob),
    "ExplicitlyDenied",
  ],
];

/** With serverSideCampaigns: executions of the campaign state machine, and of no other. */
const withMachine = requestAs(OPERATOR, operatorPolicy({ ...operatorArgs, campaignStateMachineName: STATE_MACHINE }));
const stateMachineCases: [string, Request, Expected][] = [
  ["operator starts a campaign execution", withMachine("states:StartExecution", `${STATES}:stateMachine:${STATE_MACHINE}`), "Allowed"],
  ["operator lists the campaign executions", withMachine("states:ListExecutions", `${STATES}:stateMachine:${STATE_MACHINE}`), "Allowed"],
  [
    "operator cannot start another state machine",
    withMachine("states:StartExecution", `${STATES}:stateMachine:payments`),
    "ImplicitlyDenied",
  ],
  [
    "operator describes a campaign execution",
    withMachine("states:DescribeExecution", `${STATES}:execution:${STATE_MACHINE}:lr-sweep-5d41402a`),
    "Allowed",
  ],
  [
    "operator stops a campaign execution",
    withMachine("states:StopExecution", `${STATES}:execution:${STATE_MACHINE}:lr-sweep-5d41402a`),
    "Allowed",
  ],
  [
    "operator cannot stop another state machine's execution",
    withMachine("states:StopExecution", `${STATES}:execution:payments:run-1`),
    "ImplicitlyDenied",
  ],
  [
    "operator cannot stop an execution of a state machine whose name extends the campaign one",
    withMachine("states:StopExecution", `${STATES}:execution:${STATE_MACHINE}-evil:run-1`),
    "ImplicitlyDenied",
  ],
  [
    "operator lists a campaign execution's map runs",
    withMachine("states:ListMapRuns", `${STATES}:execution:${STATE_MACHINE}:lr-sweep-5d41402a`),
    "Allowed",
  ],
  [
    "operator describes a campaign map run",
    withMachine("states:DescribeMapRun", `${STATES}:mapRun:${STATE_MACHINE}/Trainings:0a1b2c3d`),
    "Allowed",
  ],
  [
    "operator cannot describe another state machine's map run",
    withMachine("states:DescribeMapRun", `${STATES}:mapRun:payments/Map:0a1b2c3d`),
    "ImplicitlyDenied",
  ],
  [
    "operator cannot change the state machine",
    withMachine("states:UpdateStateMachine", `${STATES}:stateMachine:${STATE_MACHINE}`),
    "ImplicitlyDenied",
  ],
  [
    "without serverSideCampaigns no execution can be started",
    asOperator("states:StartExecution", `${STATES}:stateMachine:${STATE_MACHINE}`),
    "ImplicitlyDenied",
  ],
];

describe("the operator policy under a real IAM evaluator", () => {
  it.each(cases)("%s", async (_name, request, expected) => {
    expect(await decide(request)).toBe(expected);
  });

  it.each(vpcCases)("requireVpc: %s", async (_name, request, expected) => {
    expect(await decide(request)).toBe(expected);
  });

  it.each(stateMachineCases)("serverSideCampaigns: %s", async (_name, request, expected) => {
    expect(await decide(request)).toBe(expected);
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

  it("grants a '*' resource only where IAM has no resource-level permission", () => {
    const full = operatorPolicy({
      ...operatorArgs,
      campaignStateMachineName: STATE_MACHINE,
      network: { subnetIds: SUBNETS, securityGroupIds: SECURITY_GROUPS },
    });
    const star = full.Statement.filter((s) => s.Effect === "Allow" && [s.Resource].flat().includes("*"))
      .flatMap((s) => [s.Action].flat())
      .sort();
    expect(star).toEqual([
      "cloudwatch:GetMetricData",
      "sagemaker:ListHyperParameterTuningJobs",
      "sagemaker:ListTrainingJobs",
      "sagemaker:Search",
      "servicequotas:GetAWSDefaultServiceQuota",
      "servicequotas:ListAWSDefaultServiceQuotas",
      "servicequotas:ListServiceQuotas",
    ]);
  });
});
