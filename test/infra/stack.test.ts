import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { eventsQueuePolicy, TRAINING_JOB_STATE_CHANGE_PATTERN } from "../../src/infra/policies/events.js";
import { operatorPolicy, operatorRoleTrustPolicy } from "../../src/infra/policies/operator.js";
import { bucketPolicy } from "../../src/infra/policies/storage.js";
import { algorithmRepositoryArn, trainingRolePolicy, trainingRoleTrustPolicy } from "../../src/infra/policies/training-role.js";
import type { StackOutputValues } from "../../src/infra/stack.js";
import { parseStackOutputs } from "../../src/stack/read.js";
import { deploy as deploy_, json } from "./deploy.js";
import { ACCOUNT_ID, createRecorder, fakeQuotaCode, outputValue } from "./mocks.js";

/**
 * The Pulumi program (index.ts) run against recording mocks: assertions on the inputs of the
 * resources it declares and on its outputs, for the defaults and for a fully configured stack.
 */

const recorder = createRecorder();
let program: () => StackOutputValues;

beforeAll(async () => {
  // Mocks first, then the program: a static import would register resources before the mocks exist.
  await recorder.install("segsweep", "dev");
  program = (await import("../../index.js")).default;
});

const deploy = (config: Record<string, string> = {}, region = "us-east-1") => deploy_(recorder, program, config, region);
const scope = { partition: "aws", region: "us-east-1", accountId: ACCOUNT_ID };

describe("the stack with only aws:region set", () => {
  let stack: Awaited<ReturnType<typeof deploy>>;
  beforeAll(async () => {
    stack = await deploy();
  });

  it("exports exactly the outputs segsweep reads, which the CLI's reader accepts", () => {
    expect(Object.keys(stack.outputs).sort()).toEqual([
      "bucketName",
      "campaignsUri",
      "checkpointsUri",
      "datasetsUri",
      "eventsQueueUrl",
      "instanceTypes",
      "maxKeepAliveSeconds",
      "maxRuntimeSeconds",
      "operatorPolicyArn",
      "outputsUri",
      "region",
      "trainingImage",
      "trainingRoleArn",
    ]);
    const bucket = stack.one("aws:s3/bucket:Bucket").inputs;
    const parsed = parseStackOutputs(JSON.stringify(stack.outputs), "pulumi stack output --json");
    expect(parsed).toMatchObject({
      region: "us-east-1",
      datasetsUri: `s3://${String(stack.outputs.bucketName)}/datasets/`,
      outputsUri: `s3://${String(stack.outputs.bucketName)}/outputs/`,
      checkpointsUri: `s3://${String(stack.outputs.bucketName)}/checkpoints/`,
      campaignsUri: `s3://${String(stack.outputs.bucketName)}/campaigns/`,
      trainingImage: "811284229777.dkr.ecr.us-east-1.amazonaws.com/semantic-segmentation:1",
      instanceTypes: ["ml.p3.2xlarge", "ml.g4dn.xlarge", "ml.g5.xlarge"],
      maxRuntimeSeconds: 86_400,
      maxKeepAliveSeconds: 0,
    });
    expect(parsed.vpcSubnetIds).toBeUndefined();
    expect(parsed.campaignStateMachineArn).toBeUndefined();
    expect(bucket.bucket).toBeUndefined(); // generated name
    expect(bucket.forceDestroy).toBe(false);
  });

  it("blocks all public access and disables ACLs", () => {
    expect(stack.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(stack.one("aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs.rule).toEqual({
      objectOwnership: "BucketOwnerEnforced",
    });
  });

  it("encrypts with SSE-S3 and keeps versions", () => {
    expect(stack.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs.rules).toEqual([
      { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
    ]);
    expect(stack.one("aws:s3/bucketVersioning:BucketVersioning").inputs.versioningConfiguration).toEqual({ status: "Enabled" });
  });

  it("denies non-TLS requests on the bucket and its objects", () => {
    const policy = json(stack.one("aws:s3/bucketPolicy:BucketPolicy"), "policy");
    expect(policy).toEqual(bucketPolicy("aws", String(stack.outputs.bucketName)));
    expect(policy).toMatchObject({
      Statement: expect.arrayContaining([
        expect.objectContaining({
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        }),
      ]),
    });
  });

  it("expires checkpoints and old versions, aborts stale uploads, after versioning exists", () => {
    const lifecycle = stack.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration");
    expect(lifecycle.inputs.rules).toEqual([
      { id: "expire-checkpoints", status: "Enabled", filter: { prefix: "checkpoints/" }, expiration: { days: 14 } },
      { id: "expire-noncurrent-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 30 } },
      { id: "abort-incomplete-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
    ]);
    expect(lifecycle.dependencies.some((urn) => urn.endsWith("::segsweep-data-versioning"))).toBe(true);
  });

  it("lets only SageMaker, for this account's training and tuning jobs, assume the execution role", () => {
    const trust = json(stack.one("aws:iam/role:Role", "segsweep-training-role"), "assumeRolePolicy");
    expect(trust).toEqual(trainingRoleTrustPolicy(scope));
    expect(trust).toMatchObject({
      Statement: [
        {
          Principal: { Service: "sagemaker.amazonaws.com" },
          Condition: {
            StringEquals: { "aws:SourceAccount": ACCOUNT_ID },
            ArnLike: {
              "aws:SourceArn": [
                `arn:aws:sagemaker:us-east-1:${ACCOUNT_ID}:training-job/*`,
                `arn:aws:sagemaker:us-east-1:${ACCOUNT_ID}:hyper-parameter-tuning-job/*`,
              ],
            },
          },
        },
      ],
    });
  });

  it("deploys exactly the policy documents the IAM tests evaluate", () => {
    const bucketName = String(stack.outputs.bucketName);
    expect(json(stack.one("aws:iam/policy:Policy", "segsweep-training-policy"), "policy")).toEqual(
      trainingRolePolicy({ scope, bucketName, imageRepositoryArn: algorithmRepositoryArn("aws", "us-east-1", "811284229777") }),
    );
    const queue = stack.one("aws:sqs/queue:Queue", "segsweep-events-queue");
    expect(json(stack.one("aws:iam/policy:Policy", "segsweep-operator-policy"), "policy")).toEqual(
      operatorPolicy({
        scope,
        bucketName,
        trainingRoleArn: String(stack.outputs.trainingRoleArn),
        instanceTypes: ["ml.p3.2xlarge", "ml.g4dn.xlarge", "ml.g5.xlarge"],
        maxRuntimeSeconds: 86_400,
        maxKeepAliveSeconds: 0,
        campaignTagKey: "segsweep:campaign",
        eventsQueueArn: `arn:aws:sqs:us-east-1:${ACCOUNT_ID}:${queue.name}`,
      }),
    );
    expect(stack.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment").inputs).toEqual({
      role: `segsweep-training-role-1234567`,
      policyArn: `arn:aws:iam::${ACCOUNT_ID}:policy/segsweep-training-policy-1234567`,
    });
  });

  it("routes training job state changes to a queue only the stack's rule may write to", () => {
    const rule = stack.one("aws:cloudwatch/eventRule:EventRule");
    expect(json(rule, "eventPattern")).toEqual(TRAINING_JOB_STATE_CHANGE_PATTERN);
    const ruleArn = `arn:aws:events:us-east-1:${ACCOUNT_ID}:rule/${rule.name}`;
    const queueArn = `arn:aws:sqs:us-east-1:${ACCOUNT_ID}:segsweep-events-queue`;
    const dlqArn = `arn:aws:sqs:us-east-1:${ACCOUNT_ID}:segsweep-events-dlq`;
    const target = stack.one("aws:cloudwatch/eventTarget:EventTarget");
    expect(target.inputs).toMatchObject({ rule: rule.name, arn: queueArn, deadLetterConfig: { arn: dlqArn } });
    expect(target.inputs.roleArn).toBeUndefined();
    expect(target.dependencies.filter((urn) => urn.includes("QueuePolicy"))).toHaveLength(2);
    expect(json(stack.one("aws:sqs/queuePolicy:QueuePolicy", "segsweep-events-queue-policy"), "policy")).toEqual(
      eventsQueuePolicy(queueArn, ruleArn),
    );
    expect(json(stack.one("aws:sqs/queuePolicy:QueuePolicy", "segsweep-events-dlq-policy"), "policy")).toEqual(
      eventsQueuePolicy(dlqArn, ruleArn),
    );
    const queue = stack.one("aws:sqs/queue:Queue", "segsweep-events-queue").inputs;
    expect(JSON.parse(String(queue.redrivePolicy))).toEqual({ deadLetterTargetArn: dlqArn, maxReceiveCount: 100 });
    expect(queue.sqsManagedSseEnabled).toBe(true);
  });

  it("requests no quotas and makes no operator role unless configured", () => {
    expect(stack.all("aws:servicequotas/serviceQuota:ServiceQuota")).toEqual([]);
    expect(stack.calls.filter((c) => c.token.startsWith("aws:servicequotas"))).toEqual([]);
    expect(stack.all("aws:iam/role:Role").map((r) => r.name)).toEqual(["segsweep-training-role"]);
    expect(stack.all("aws:kms/key:Key")).toEqual([]);
  });

  it("tags every taggable resource with its stack", () => {
    const taggable = stack.resources.filter((r) => r.type.startsWith("aws:") && "tags" in r.inputs);
    expect(taggable.length).toBeGreaterThanOrEqual(7);
    for (const resource of taggable) expect(resource.inputs.tags, resource.name).toEqual({ "segsweep:stack": "segsweep/dev" });
  });

  it("parents every resource to a segsweep component and derives its name from it", () => {
    const components = stack.resources.filter((r) => r.type.startsWith("segsweep:"));
    expect(components.map((c) => c.type).sort()).toEqual([
      "segsweep:capacity:GpuCapacity",
      "segsweep:events:JobEvents",
      "segsweep:iam:OperatorAccess",
      "segsweep:iam:TrainingRole",
      "segsweep:storage:TrainingBucket",
    ]);
    for (const resource of stack.resources.filter((r) => r.type.startsWith("aws:"))) {
      const parent = components.find((c) => resource.parent.endsWith(`${c.type}::${c.name}`));
      expect(parent, `${resource.type} ${resource.name}`).toBeDefined();
      expect(resource.name.startsWith(`${parent?.name}-`)).toBe(true);
    }
  });
});

describe("a fully configured stack", () => {
  const ciRole = "arn:aws:iam::210987654321:role/github-actions-segsweep";
  let stack: Awaited<ReturnType<typeof deploy>>;
  beforeAll(async () => {
    stack = await deploy(
      {
        bucketName: "acme-segmentation-campaigns",
        instanceTypes: JSON.stringify(["ml.g5.xlarge", "ml.p3.2xlarge"]),
        quotas: JSON.stringify({ "ml.g5.xlarge": { onDemand: 2, spot: 4 } }),
        totalTrainingInstancesQuota: "6",
        maxRuntimeSeconds: "7200",
        checkpointExpirationDays: "3",
        createKmsKey: "true",
        events: "false",
        operatorPrincipals: JSON.stringify([ciRole, "210987654321"]),
        tags: JSON.stringify({ team: "vision" }),
      },
      "eu-west-1",
    );
  });

  it("exports the key and the operator role, and no queue", () => {
    expect(stack.outputs).toMatchObject({
      region: "eu-west-1",
      bucketName: "acme-segmentation-campaigns",
      kmsKeyArn: expect.stringMatching(/^arn:aws:kms:eu-west-1:/),
      operatorRoleArn: expect.stringMatching(/:role\/segsweep-operator-role-/),
      trainingImage: "685385470294.dkr.ecr.eu-west-1.amazonaws.com/semantic-segmentation:1",
      instanceTypes: ["ml.g5.xlarge", "ml.p3.2xlarge"],
      maxRuntimeSeconds: 7200,
    });
    expect(stack.outputs).not.toHaveProperty("eventsQueueUrl");
    expect(() => parseStackOutputs(JSON.stringify(stack.outputs), "stack.json")).not.toThrow();
    expect(stack.all("aws:sqs/queue:Queue")).toEqual([]);
    expect(stack.all("aws:cloudwatch/eventRule:EventRule")).toEqual([]);
  });

  it("encrypts with the created, rotating KMS key and a bucket key", () => {
    expect(stack.one("aws:kms/key:Key").inputs).toMatchObject({ enableKeyRotation: true });
    expect(stack.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs.rules).toEqual([
      {
        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: stack.outputs.kmsKeyArn },
        bucketKeyEnabled: true,
      },
    ]);
    const rolePolicy = json(stack.one("aws:iam/policy:Policy", "segsweep-training-policy"), "policy") as {
      Statement: { Sid: string; Resource: unknown }[];
    };
    expect(rolePolicy.Statement.find((s) => s.Sid === "UseBucketKey")?.Resource).toBe(stack.outputs.kmsKeyArn);
  });

  it("requests the configured quotas, codes looked up by quota name, kept on delete", () => {
    const expected = [
      ["ml.g5.xlarge for training job usage", 2],
      ["ml.g5.xlarge for spot training job usage", 4],
      ["Number of instances across all training jobs", 6],
    ] as const;
    const lookups = stack.calls.filter((c) => c.token === "aws:servicequotas/getServiceQuota:getServiceQuota");
    expect(lookups.map((c) => c.inputs).sort((a, b) => String(a.quotaName).localeCompare(String(b.quotaName)))).toEqual(
      expected.map(([quotaName]) => ({ serviceCode: "sagemaker", quotaName })).sort((a, b) => a.quotaName.localeCompare(b.quotaName)),
    );
    const quotas = stack.all("aws:servicequotas/serviceQuota:ServiceQuota");
    expect(quotas.map((q) => q.inputs).sort((a, b) => Number(a.value) - Number(b.value))).toEqual(
      expected.map(([quotaName, value]) => ({ serviceCode: "sagemaker", quotaCode: fakeQuotaCode(quotaName), value })),
    );
    for (const quota of quotas) expect(quota.retainOnDelete, quota.name).toBe(true);
  });

  it("guards the configured instance types and run time, and trusts the configured principals", () => {
    const policy = json(stack.one("aws:iam/policy:Policy", "segsweep-operator-policy"), "policy") as {
      Statement: { Sid: string; Condition?: Record<string, Record<string, unknown>> }[];
    };
    const sid = (name: string) => policy.Statement.find((s) => s.Sid === name);
    expect(sid("DenyUnlistedInstanceTypes")?.Condition).toEqual({
      "ForAnyValue:StringNotEquals": { "sagemaker:InstanceTypes": ["ml.g5.xlarge", "ml.p3.2xlarge"] },
    });
    expect(sid("DenyLongRuntime")?.Condition).toEqual({ NumericGreaterThan: { "sagemaker:MaxRuntimeInSeconds": "7200" } });
    expect(sid("ConsumeJobStateEvents")).toBeUndefined();
    const operatorRole = stack.one("aws:iam/role:Role", "segsweep-operator-role");
    expect(json(operatorRole, "assumeRolePolicy")).toEqual(operatorRoleTrustPolicy("aws", [ciRole, "210987654321"]));
    expect(stack.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "segsweep-operator-role-policy").inputs.policyArn).toBe(
      stack.outputs.operatorPolicyArn,
    );
  });

  it("applies the configured bucket name, lifecycle days and tags", () => {
    expect(stack.one("aws:s3/bucket:Bucket").inputs.bucket).toBe("acme-segmentation-campaigns");
    const rules = stack.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs.rules as {
      id: string;
      expiration?: unknown;
    }[];
    expect(rules.find((r) => r.id === "expire-checkpoints")?.expiration).toEqual({ days: 3 });
    expect(stack.one("aws:s3/bucket:Bucket").inputs.tags).toEqual({ "segsweep:stack": "segsweep/dev", team: "vision" });
  });
});

describe("the program refuses bad configuration before declaring anything", () => {
  it("names the key, the value and the allowed values", async () => {
    recorder.clear();
    pulumi.runtime.setAllConfig({ "aws:region": "us-east-1", "segsweep:instanceTypes": JSON.stringify(["ml.m5.xlarge"]) });
    expect(() => program()).toThrow(/segsweep:instanceTypes\[0\]: .*ml\.p3\.2xlarge.*\(got "ml\.m5\.xlarge"\)/s);
    expect(() => program()).toThrow(pulumi.RunError);
    expect(recorder.resources).toEqual([]);
  });

  it("refuses a region without the algorithm", async () => {
    recorder.clear();
    pulumi.runtime.setAllConfig({ "aws:region": "ap-southeast-5" });
    expect(() => program()).toThrow(
      /aws:region: the SageMaker semantic segmentation algorithm is not available in "ap-southeast-5".*us-east-1/s,
    );
    expect(recorder.resources).toEqual([]);
  });
});

describe("the execution role's ARN", () => {
  it("resolves only after its policy is attached", async () => {
    const { TrainingRole } = await import("../../src/infra/training-role.js");
    recorder.clear();
    const release = recorder.hold("aws:iam/rolePolicyAttachment:RolePolicyAttachment");
    const training = new TrainingRole("gate", { scope, bucketName: "b-123", imageRegistryAccount: "811284229777", tags: {} });
    let resolved = false;
    training.roleArn.apply(() => (resolved = true));
    const roleArn = await outputValue(training.role.arn);
    expect(resolved).toBe(false);
    release();
    expect(await outputValue(training.roleArn)).toBe(roleArn);
  });
});
