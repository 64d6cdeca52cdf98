import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { JobNetwork } from "./policies/guardrails.js";
import { type NetworkIds, s3EndpointPolicy } from "./policies/network.js";

/** Arguments of {@link TrainingNetwork}. */
export interface TrainingNetworkArgs {
  /** The stack's bucket: the only place the network can reach. */
  readonly bucketName: pulumi.Input<string>;
  readonly partition: pulumi.Input<string>;
  readonly tags: Readonly<Record<string, string>>;
}

/** How many subnets (each in its own availability zone) jobs may use. */
export const SUBNET_COUNT = 2;
const VPC_CIDR = "10.0.0.0/16";
/** /20 subnets: 4,091 addresses each, far more than the two per instance a job needs. */
const subnetCidr = (index: number): string => `10.0.${index * 16}.0/20`;

/**
 * A private network for campaign jobs (docs/pulumi.md, "Jobs in the stack's VPC"): subnets in
 * SUBNET_COUNT availability zones with no route out of the VPC but an S3 gateway endpoint whose
 * policy admits the stack's bucket only, and a security group that admits nothing in and lets
 * only HTTPS to S3 out. SageMaker pulls the algorithm's image itself, outside the VPC, and
 * the single-instance algorithm needs no traffic between instances (docs/sources.md#infra-vpc).
 */
export class TrainingNetwork extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  readonly subnetIds: pulumi.Output<string[]>;
  readonly securityGroupIds: pulumi.Output<string[]>;
  /** The ids the guardrails and the execution role name. */
  readonly ids: pulumi.Output<NetworkIds>;

  constructor(name: string, args: TrainingNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("segsweep:network:TrainingNetwork", name, {}, opts);
    const parent = { parent: this };
    const tags = (role: string) => ({ ...args.tags, Name: `${name}-${role}` });
    const vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      { cidrBlock: VPC_CIDR, enableDnsSupport: true, enableDnsHostnames: true, tags: tags("vpc") },
      parent,
    );
    // Zones that need no opt-in: Local and Wavelength Zones have no SageMaker training.
    const zones = aws.getAvailabilityZonesOutput(
      { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
      parent,
    );
    const routes = new aws.ec2.RouteTable(`${name}-routes`, { vpcId: vpc.id, tags: tags("routes") }, parent);
    const subnets = Array.from({ length: SUBNET_COUNT }, (_, index) =>
      this.subnet(`${name}-subnet-${index}`, index, vpc, routes, zones, tags),
    );
    const s3Service = aws.ec2.getVpcEndpointServiceOutput({ service: "s3", serviceType: "Gateway" }, parent);
    const endpoint = new aws.ec2.VpcEndpoint(
      `${name}-s3`,
      {
        vpcId: vpc.id,
        serviceName: s3Service.serviceName,
        vpcEndpointType: "Gateway",
        routeTableIds: [routes.id],
        policy: pulumi
          .all([args.partition, args.bucketName])
          .apply(([partition, bucket]) => JSON.stringify(s3EndpointPolicy(partition, bucket))),
        tags: tags("s3"),
      },
      parent,
    );
    const jobs = jobSecurityGroup(`${name}-jobs`, vpc, endpoint, tags("jobs"), parent);
    this.vpcId = vpc.id;
    this.subnetIds = pulumi.all(subnets.map((subnet) => subnet.id));
    this.securityGroupIds = pulumi.all([jobs.id]);
    this.ids = pulumi
      .all([vpc.id, this.subnetIds, this.securityGroupIds])
      .apply(([vpcId, subnetIds, securityGroupIds]) => ({ vpcId, subnetIds, securityGroupIds }));
    this.registerOutputs({ vpcId: this.vpcId, subnetIds: this.subnetIds, securityGroupIds: this.securityGroupIds });
  }

  /** Private subnet `index`, in the index-th zone, routed by `routes` (which lead nowhere but S3). */
  private subnet(
    name: string,
    index: number,
    vpc: aws.ec2.Vpc,
    routes: aws.ec2.RouteTable,
    zones: pulumi.Output<{ names: string[] }>,
    tags: (role: string) => Record<string, string>,
  ): aws.ec2.Subnet {
    const subnet = new aws.ec2.Subnet(
      name,
      {
        vpcId: vpc.id,
        cidrBlock: subnetCidr(index),
        availabilityZone: zones.names.apply((names) => zoneAt(names, index)),
        tags: tags(`subnet-${index}`),
      },
      { parent: this },
    );
    new aws.ec2.RouteTableAssociation(`${name}-routes`, { subnetId: subnet.id, routeTableId: routes.id }, { parent: this });
    return subnet;
  }

  /** The subnets and security groups every campaign job must name (VpcConfig). */
  get jobNetwork(): pulumi.Output<JobNetwork> {
    return this.ids.apply(({ subnetIds, securityGroupIds }) => ({ subnetIds, securityGroupIds }));
  }
}

function zoneAt(names: readonly string[], index: number): string {
  const zone = names[index];
  if (zone === undefined) {
    throw new Error(`requireVpc needs ${SUBNET_COUNT} availability zones in the region; it has ${names.length} (${names.join(", ")})`);
  }
  return zone;
}

/** Nothing in; out, only HTTPS to S3's addresses (the gateway endpoint's prefix list). */
function jobSecurityGroup(
  name: string,
  vpc: aws.ec2.Vpc,
  endpoint: aws.ec2.VpcEndpoint,
  tags: Record<string, string>,
  opts: pulumi.CustomResourceOptions,
): aws.ec2.SecurityGroup {
  return new aws.ec2.SecurityGroup(
    name,
    {
      vpcId: vpc.id,
      description: "segsweep training jobs: nothing in, HTTPS to S3 out",
      ingress: [],
      egress: [
        {
          description: "HTTPS to S3 through the gateway endpoint",
          protocol: "tcp",
          fromPort: 443,
          toPort: 443,
          prefixListIds: [endpoint.prefixListId],
        },
      ],
      revokeRulesOnDelete: true,
      tags,
    },
    opts,
  );
}
