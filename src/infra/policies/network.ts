import { type AwsScope, bucketArn, type PolicyDocument, type PolicyStatement, policyDocument } from "./document.js";

/** The stack's private network, by id. */
export interface NetworkIds {
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
}

const ec2Arn = (scope: AwsScope, type: string, id: string): string =>
  `arn:${scope.partition}:ec2:${scope.region}:${scope.accountId}:${type}/${id}`;

/**
 * What the execution role needs for a job in a VPC (AWS's list, sagemaker-roles.md "CreateTrainingJob
 * API: Execution Role Permissions", docs/sources.md#infra-vpc): SageMaker creates the job's network
 * interface with the role, in one of the job's subnets, behind its security groups. Creating is
 * limited to the stack's subnets and security groups, managing and deleting to interfaces in the
 * stack's VPC; the Describe calls have no resource type, so they are limited to the region only.
 */
export function trainingRoleNetworkStatements(scope: AwsScope, network: NetworkIds): PolicyStatement[] {
  return [
    {
      Sid: "CreateJobInterfacesInStackSubnets",
      Effect: "Allow",
      Action: "ec2:CreateNetworkInterface",
      Resource: [
        ec2Arn(scope, "network-interface", "*"),
        ...network.subnetIds.map((id) => ec2Arn(scope, "subnet", id)),
        ...network.securityGroupIds.map((id) => ec2Arn(scope, "security-group", id)),
      ],
    },
    {
      Sid: "ManageJobInterfacesInStackVpc",
      Effect: "Allow",
      Action: ["ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface", "ec2:DeleteNetworkInterfacePermission"],
      Resource: ec2Arn(scope, "network-interface", "*"),
      Condition: { ArnEquals: { "ec2:Vpc": ec2Arn(scope, "vpc", network.vpcId) } },
    },
    {
      Sid: "DescribeNetwork",
      Effect: "Allow",
      Action: [
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeVpcs",
        "ec2:DescribeDhcpOptions",
        "ec2:DescribeSubnets",
        "ec2:DescribeSecurityGroups",
      ],
      Resource: "*",
      Condition: { StringEquals: { "ec2:Region": scope.region } },
    },
  ];
}

/** What a job in the stack's VPC may do through the S3 gateway endpoint: what the execution role may do, on the stack's bucket. */
export const ENDPOINT_S3_ACTIONS = ["s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"];

/**
 * The S3 gateway endpoint's policy: the stack's bucket only. The VPC has no other way out, so a
 * job (whatever its image) can reach no other bucket, in this account or another
 * (docs/sources.md#infra-vpc, "Use a custom endpoint policy to restrict access to S3").
 */
export function s3EndpointPolicy(partition: string, bucketName: string): PolicyDocument {
  return policyDocument([
    {
      Sid: "StackBucketOnly",
      Effect: "Allow",
      Principal: "*",
      Action: ENDPOINT_S3_ACTIONS,
      Resource: [bucketArn(partition, bucketName), `${bucketArn(partition, bucketName)}/*`],
    },
  ]);
}
