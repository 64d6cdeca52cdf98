import { describe, expect, it } from "vitest";
import { s3EndpointPolicy } from "../../src/infra/policies/network.js";
import { algorithmRepositoryArn, trainingRolePolicy } from "../../src/infra/policies/training-role.js";
import {
  ACCOUNT,
  BUCKET,
  decide,
  type Expected,
  object,
  type Request,
  requestAs,
  SECURITY_GROUPS,
  SUBNETS,
  scope,
  TLS,
  VPC_ID,
} from "./iam-kit.js";

/**
 * requireVpc under a real IAM evaluator: the execution role manages network interfaces only in the
 * stack's VPC, and the S3 gateway endpoint lets a job reach the stack's bucket and no other.
 */

const ROLE_PRINCIPAL = `arn:aws:sts::${ACCOUNT}:assumed-role/segsweep-training-role-1234567/SageMaker`;
const IMAGE_REPO = algorithmRepositoryArn("aws", "us-east-1", "811284229777");
const network = { vpcId: VPC_ID, subnetIds: SUBNETS, securityGroupIds: SECURITY_GROUPS };
const roleInVpc = trainingRolePolicy({ scope, bucketName: BUCKET, imageRepositoryArn: IMAGE_REPO, network });
const asRole = requestAs(ROLE_PRINCIPAL, roleInVpc);
const ec2 = (type: string, id: string) => `arn:aws:ec2:us-east-1:${ACCOUNT}:${type}/${id}`;
const ENI = ec2("network-interface", "eni-0a1b2c3d4e5f60005");
const VPC = ec2("vpc", VPC_ID);

const cases: [string, Request, Expected][] = [
  ["role creates a job's interface", asRole("ec2:CreateNetworkInterface", ENI, { "ec2:Region": "us-east-1" }), "Allowed"],
  [
    "in a stack subnet",
    asRole("ec2:CreateNetworkInterface", ec2("subnet", SUBNETS[1] as string), { "ec2:Region": "us-east-1" }),
    "Allowed",
  ],
  [
    "behind the stack's security group",
    asRole("ec2:CreateNetworkInterface", ec2("security-group", SECURITY_GROUPS[0] as string), { "ec2:Region": "us-east-1" }),
    "Allowed",
  ],
  [
    "not in another subnet",
    asRole("ec2:CreateNetworkInterface", ec2("subnet", "subnet-0ffffffffffffffff"), { "ec2:Region": "us-east-1" }),
    "ImplicitlyDenied",
  ],
  [
    "not behind another security group",
    asRole("ec2:CreateNetworkInterface", ec2("security-group", "sg-0ffffffffffffffff"), { "ec2:Region": "us-east-1" }),
    "ImplicitlyDenied",
  ],
  [
    "role deletes a job's interface in the stack's VPC",
    asRole("ec2:DeleteNetworkInterface", ENI, { "ec2:Vpc": VPC, "ec2:Region": "us-east-1" }),
    "Allowed",
  ],
  [
    "role cannot delete an interface in another VPC",
    asRole("ec2:DeleteNetworkInterface", ENI, { "ec2:Vpc": ec2("vpc", "vpc-0ffffffffffffffff"), "ec2:Region": "us-east-1" }),
    "ImplicitlyDenied",
  ],
  [
    "role grants SageMaker use of a job's interface in the stack's VPC",
    asRole("ec2:CreateNetworkInterfacePermission", ENI, { "ec2:Vpc": VPC, "ec2:Region": "us-east-1" }),
    "Allowed",
  ],
  ["role describes subnets in the stack's region", asRole("ec2:DescribeSubnets", "*", { "ec2:Region": "us-east-1" }), "Allowed"],
  ["role cannot describe other regions", asRole("ec2:DescribeSubnets", "*", { "ec2:Region": "eu-west-1" }), "ImplicitlyDenied"],
  ["role cannot start instances", asRole("ec2:RunInstances", ec2("instance", "*"), { "ec2:Region": "us-east-1" }), "ImplicitlyDenied"],
];

/** A principal allowed every S3 action everywhere: only the endpoint policy can stop it. */
const ANYTHING_S3 = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] };
const throughEndpoint = (action: string, resource: string): Request => ({
  principal: ROLE_PRINCIPAL,
  identity: ANYTHING_S3,
  action,
  resource,
  context: { ...TLS, "aws:SourceVpc": VPC_ID, "aws:SourceVpce": "vpce-0a1b2c3d4e5f60006" },
  vpcEndpointPolicy: s3EndpointPolicy("aws", BUCKET),
});
const endpointCases: [string, Request, Expected][] = [
  ["a job reads the stack's datasets through the endpoint", throughEndpoint("s3:GetObject", object("datasets/voc/train/a.jpg")), "Allowed"],
  ["a job writes its model through the endpoint", throughEndpoint("s3:PutObject", object("outputs/c/j/output/model.tar.gz")), "Allowed"],
  [
    "a job cannot write another bucket of the account",
    throughEndpoint("s3:PutObject", object("x", "exfiltration-bucket")),
    "ImplicitlyDenied",
  ],
  ["a job cannot read another bucket", throughEndpoint("s3:GetObject", object("x", "exfiltration-bucket")), "ImplicitlyDenied"],
  ["a job cannot change the stack bucket's policy", throughEndpoint("s3:PutBucketPolicy", `arn:aws:s3:::${BUCKET}`), "ImplicitlyDenied"],
];

describe("requireVpc under a real IAM evaluator", () => {
  it.each(cases)("%s", async (_name, request, expected) => {
    expect(await decide(request)).toBe(expected);
  });

  it.each(endpointCases)("%s", async (_name, request, expected) => {
    expect(await decide(request)).toBe(expected);
  });

  it("the endpoint policy is what refuses another bucket (the same request without it is allowed)", async () => {
    const { vpcEndpointPolicy: _dropped, ...direct } = throughEndpoint("s3:PutObject", object("x", "exfiltration-bucket"));
    expect(await decide(direct)).toBe("Allowed");
  });

  it("without requireVpc the role gets no EC2 permission", async () => {
    const plain = trainingRolePolicy({ scope, bucketName: BUCKET, imageRepositoryArn: IMAGE_REPO });
    expect(await decide({ ...asRole("ec2:CreateNetworkInterface", ENI, { "ec2:Region": "us-east-1" }), identity: plain })).toBe(
      "ImplicitlyDenied",
    );
  });
});
