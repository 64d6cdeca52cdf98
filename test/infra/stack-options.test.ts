import { createRequire } from "node:module";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { stateMachineDefinition } from "../../src/campaign/engines/stepfunctions/definition.js";
import { parseInfraConfig } from "../../src/infra/config.js";
import { s3EndpointPolicy } from "../../src/infra/policies/network.js";
import { operatorPolicy } from "../../src/infra/policies/operator.js";
import { stateMachineRolePolicy, stateMachineTrustPolicy } from "../../src/infra/policies/state-machine.js";
import { algorithmRepositoryArn, trainingRolePolicy } from "../../src/infra/policies/training-role.js";
import type { StackOutputValues, StackProgramOptions } from "../../src/infra/stack.js";
import { campaignStateMachineName, checkDefinition } from "../../src/infra/state-machine.js";
import { parseStackOutputs } from "../../src/stack/read.js";
import { type Deployment, deploy as deployWith, json } from "./deploy.js";
import { ACCOUNT_ID, createRecorder, fakeEc2Id, S3_PREFIX_LIST } from "./mocks.js";
import { testDefinition } from "./state-machine-fixture.js";

/** The stack's options: jobs confined to the stack's VPC (requireVpc) and server-side campaigns (serverSideCampaigns). */

/** asl-validator (CommonJS, untyped): checks a definition against the Amazon States Language schema. */
const aslValidator = createRequire(import.meta.url)("asl-validator") as (definition: unknown) => { isValid: boolean; errors: unknown[] };

const recorder = createRecorder();
let program: () => StackOutputValues;
let createStack: (options: StackProgramOptions) => StackOutputValues;

beforeAll(async () => {
  await recorder.install("segsweep", "dev");
  program = (await import("../../index.js")).default;
  const { createSegsweepStack } = await import("../../src/infra/stack.js");
  // The component fed a definition of the test's own, not the campaign engine's.
  createStack = (options) =>
    createSegsweepStack(
      parseInfraConfig("segsweep", { serverSideCampaigns: "true", requireVpc: "true", createKmsKey: "true" }, "us-east-1"),
      options,
    );
});

const scope = { partition: "aws", region: "us-east-1", accountId: ACCOUNT_ID };
const MACHINE = "segsweep-dev-campaigns";
const guardrails = {
  instanceTypes: ["ml.p3.2xlarge", "ml.g4dn.xlarge", "ml.g5.xlarge"],
  maxRuntimeSeconds: 86_400,
  maxKeepAliveSeconds: 0,
  campaignTagKey: "segsweep:campaign",
};
const IMAGE_REPO = algorithmRepositoryArn("aws", "us-east-1", "811284229777");
const policyOf = (stack: Deployment, name: string) => json(stack.one("aws:iam/policy:Policy", name), "policy");

describe("requireVpc", () => {
  let stack: Deployment;
  beforeAll(async () => {
    stack = await deployWith(recorder, program, { requireVpc: "true" });
  });

  it("puts jobs in private subnets of two zones whose only way out is S3 through the stack's endpoint", () => {
    const vpc = stack.one("aws:ec2/vpc:Vpc");
    const subnets = stack.all("aws:ec2/subnet:Subnet");
    expect(subnets.map((s) => [s.inputs.cidrBlock, s.inputs.availabilityZone])).toEqual([
      ["10.0.0.0/20", "us-east-1a"],
      ["10.0.16.0/20", "us-east-1b"],
    ]);
    for (const subnet of subnets) expect(subnet.inputs.mapPublicIpOnLaunch).not.toBe(true);
    expect(stack.resources.filter((r) => /internetGateway|natGateway|ec2\/route:Route$|\/eip:|egressOnly/.test(r.type))).toEqual([]);
    const routes = stack.one("aws:ec2/routeTable:RouteTable");
    expect(routes.inputs.routes ?? []).toEqual([]);
    expect(stack.all("aws:ec2/routeTableAssociation:RouteTableAssociation").map((a) => a.inputs.subnetId)).toEqual(
      subnets.map((s) => fakeEc2Id("subnet", s.name)),
    );
    const endpoint = stack.one("aws:ec2/vpcEndpoint:VpcEndpoint");
    expect(endpoint.inputs).toMatchObject({
      vpcId: fakeEc2Id("vpc", vpc.name),
      vpcEndpointType: "Gateway",
      serviceName: "com.amazonaws.us-east-1.s3",
      routeTableIds: [fakeEc2Id("rtb", routes.name)],
    });
    expect(json(endpoint, "policy")).toEqual(s3EndpointPolicy("aws", String(stack.outputs.bucketName)));
  });

  it("guards jobs with a security group that admits nothing in and lets only HTTPS to S3 out", () => {
    const group = stack.one("aws:ec2/securityGroup:SecurityGroup").inputs;
    expect(group.ingress).toEqual([]);
    expect(group.egress).toEqual([
      {
        description: "HTTPS to S3 through the gateway endpoint",
        protocol: "tcp",
        fromPort: 443,
        toPort: 443,
        prefixListIds: [S3_PREFIX_LIST],
      },
    ]);
  });

  it("exports the subnets and the security group, which the CLI's reader accepts", () => {
    const subnets = stack.all("aws:ec2/subnet:Subnet").map((s) => fakeEc2Id("subnet", s.name));
    const group = fakeEc2Id("sg", stack.one("aws:ec2/securityGroup:SecurityGroup").name);
    expect(stack.outputs).toMatchObject({ vpcSubnetIds: subnets, vpcSecurityGroupIds: [group] });
    expect(parseStackOutputs(JSON.stringify(stack.outputs), "stack.json")).toMatchObject({ vpcSubnetIds: subnets });
    const { vpcSecurityGroupIds: _dropped, ...halfVpc } = stack.outputs;
    expect(() => parseStackOutputs(JSON.stringify(halfVpc), "stack.json")).toThrow(/vpcSecurityGroupIds: .*come together/);
  });

  it("denies operators any job outside them, and lets the execution role manage the jobs' interfaces in the VPC", () => {
    const bucketName = String(stack.outputs.bucketName);
    const subnetIds = stack.outputs.vpcSubnetIds as string[];
    const securityGroupIds = stack.outputs.vpcSecurityGroupIds as string[];
    const queue = stack.one("aws:sqs/queue:Queue", "segsweep-events-queue");
    expect(policyOf(stack, "segsweep-operator-policy")).toEqual(
      operatorPolicy({
        ...guardrails,
        scope,
        bucketName,
        trainingRoleArn: String(stack.outputs.trainingRoleArn),
        eventsQueueArn: `arn:aws:sqs:us-east-1:${ACCOUNT_ID}:${queue.name}`,
        network: { subnetIds, securityGroupIds },
      }),
    );
    const vpcId = fakeEc2Id("vpc", stack.one("aws:ec2/vpc:Vpc").name);
    expect(policyOf(stack, "segsweep-training-policy")).toEqual(
      trainingRolePolicy({ scope, bucketName, imageRepositoryArn: IMAGE_REPO, network: { vpcId, subnetIds, securityGroupIds } }),
    );
  });
});

describe("serverSideCampaigns", () => {
  let stack: Deployment;
  beforeAll(async () => {
    stack = await deployWith(recorder, program, { serverSideCampaigns: "true" });
  });

  it("deploys a Standard state machine running the campaign engine's definition for the stack's bucket", () => {
    const machine = stack.one("aws:sfn/stateMachine:StateMachine");
    const expected = stateMachineDefinition({ campaignsUri: `s3://${String(stack.outputs.bucketName)}/campaigns/` });
    expect(machine.inputs).toMatchObject({ name: MACHINE, type: "STANDARD", definition: expected });
    expect(aslValidator(JSON.parse(expected)).isValid).toBe(true);
  });

  it("gives it a role trusted by Step Functions for this machine only, with the policy the IAM tests evaluate", () => {
    expect(json(stack.one("aws:iam/role:Role", "segsweep-campaigns-role"), "assumeRolePolicy")).toEqual(
      stateMachineTrustPolicy(scope, MACHINE),
    );
    expect(policyOf(stack, "segsweep-campaigns-policy")).toEqual(
      stateMachineRolePolicy({
        ...guardrails,
        scope,
        bucketName: String(stack.outputs.bucketName),
        trainingRoleArn: String(stack.outputs.trainingRoleArn),
        stateMachineName: MACHINE,
      }),
    );
    // The machine gets its role only once the role's policy is attached.
    const attachment = stack.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "segsweep-campaigns-policy-attachment");
    expect(stack.one("aws:sfn/stateMachine:StateMachine").dependencies.some((urn) => urn.endsWith(`::${attachment.name}`))).toBe(true);
  });

  it("lets operators run executions of this machine, and exports its ARN", () => {
    const policy = policyOf(stack, "segsweep-operator-policy") as { Statement: { Sid: string; Resource: unknown }[] };
    expect(policy.Statement.find((s) => s.Sid === "StartCampaignExecutions")?.Resource).toBe(
      `arn:aws:states:us-east-1:${ACCOUNT_ID}:stateMachine:${MACHINE}`,
    );
    expect(stack.outputs.campaignStateMachineArn).toBe(`arn:aws:states:us-east-1:${ACCOUNT_ID}:stateMachine:${MACHINE}`);
    expect(parseStackOutputs(JSON.stringify(stack.outputs), "stack.json").campaignStateMachineArn).toBe(
      stack.outputs.campaignStateMachineArn,
    );
  });

  it("parents everything to its component and tags it with the stack", () => {
    const component = stack.one("segsweep:orchestration:CampaignStateMachine");
    for (const type of ["aws:sfn/stateMachine:StateMachine", "aws:iam/role:Role"]) {
      const resource = stack.all(type).find((r) => r.name.startsWith("segsweep-campaigns-"));
      expect(resource?.parent.endsWith(`::${component.name}`), type).toBe(true);
      expect(resource?.inputs.tags).toEqual({ "segsweep:stack": "segsweep/dev" });
    }
  });
});

describe("the state machine component with a definition of the test's own, in the stack's VPC", () => {
  let stack: Deployment;
  beforeAll(async () => {
    stack = await deployWith(recorder, () =>
      createStack({ campaignStateMachineDefinition: ({ campaignsUri }) => testDefinition(campaignsUri) }),
    );
  });

  it("deploys the definition it is given", () => {
    const definition = testDefinition(String(stack.outputs.campaignsUri));
    expect(aslValidator(JSON.parse(definition)).isValid).toBe(true);
    expect(stack.one("aws:sfn/stateMachine:StateMachine").inputs.definition).toBe(definition);
  });

  it("confines the machine's jobs to the VPC and lets it use the bucket key", () => {
    expect(policyOf(stack, "segsweep-campaigns-policy")).toEqual(
      stateMachineRolePolicy({
        ...guardrails,
        scope,
        bucketName: String(stack.outputs.bucketName),
        trainingRoleArn: String(stack.outputs.trainingRoleArn),
        stateMachineName: MACHINE,
        network: { subnetIds: stack.outputs.vpcSubnetIds as string[], securityGroupIds: stack.outputs.vpcSecurityGroupIds as string[] },
        kmsKeyArn: String(stack.outputs.kmsKeyArn),
      }),
    );
  });

  it("is refused, before anything is declared, when no definition is given", () => {
    recorder.clear();
    expect(() => createStack({})).toThrow(pulumi.RunError);
    expect(() => createStack({})).toThrow(/serverSideCampaigns is on, but the program was given no state machine definition/);
    expect(recorder.resources).toEqual([]);
  });
});

describe("the state machine's name and definition check", () => {
  it("names the machine after the project and the stack, within Step Functions' 80 characters", () => {
    expect(campaignStateMachineName("segsweep", "dev")).toBe("segsweep-dev-campaigns");
    expect(campaignStateMachineName("segsweep", "team.prod")).toBe("segsweep-team-prod-campaigns");
    const long = campaignStateMachineName("segsweep", "x".repeat(90));
    expect(long).toMatch(/^segsweep-x+-[0-9a-f]{8}$/);
    expect(long).toHaveLength(80);
    expect(campaignStateMachineName("segsweep", "y".repeat(90))).not.toBe(long);
  });

  it("refuses a definition that is not a JSON state machine", () => {
    expect(() => checkDefinition("{not json")).toThrow(/definition is not JSON/);
    expect(() => checkDefinition('{"States": {}}')).toThrow(/no StartAt and States/);
    expect(checkDefinition(testDefinition("s3://b/campaigns/"))).toBe(testDefinition("s3://b/campaigns/"));
  });
});
