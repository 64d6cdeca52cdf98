import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Service Quotas service code of SageMaker. */
export const SAGEMAKER_SERVICE_CODE = "sagemaker";

/**
 * Quota names (docs/sources.md#quotas; the names in ResourceLimitExceeded messages). Codes are
 * looked up by these names at deploy time rather than hard-coded.
 */
export const quotaNames = {
  onDemand: (instanceType: string): string => `${instanceType} for training job usage`,
  spot: (instanceType: string): string => `${instanceType} for spot training job usage`,
  totalInstances: "Number of instances across all training jobs",
} as const;

/** Desired quota values of one instance type. */
export interface InstanceQuota {
  readonly onDemand?: number | undefined;
  readonly spot?: number | undefined;
}

/** Arguments of {@link GpuCapacity}. */
export interface GpuCapacityArgs {
  /** Desired quotas per instance type; types without an entry request nothing. */
  readonly quotas: Readonly<Record<string, InstanceQuota | undefined>>;
  /** Desired "Number of instances across all training jobs"; 0 requests nothing. */
  readonly totalTrainingInstances: number;
}

/**
 * Service-quota requests for GPU training capacity. A value above the current quota files an
 * increase request (which AWS may take days to approve); `retainOnDelete`, because destroying the
 * stack must not (and cannot) give capacity back.
 */
export class GpuCapacity extends pulumi.ComponentResource {
  /** The quota resources, by quota name. */
  readonly quotas: ReadonlyMap<string, aws.servicequotas.ServiceQuota>;

  constructor(name: string, args: GpuCapacityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("segsweep:capacity:GpuCapacity", name, {}, opts);
    const quotas = new Map<string, aws.servicequotas.ServiceQuota>();
    const request = (resourceName: string, quotaName: string, value: number): void => {
      const lookup = aws.servicequotas.getServiceQuotaOutput({ serviceCode: SAGEMAKER_SERVICE_CODE, quotaName }, { parent: this });
      quotas.set(
        quotaName,
        new aws.servicequotas.ServiceQuota(
          `${name}-${resourceName}`,
          { serviceCode: SAGEMAKER_SERVICE_CODE, quotaCode: lookup.quotaCode, value },
          { parent: this, retainOnDelete: true },
        ),
      );
    };
    for (const [instanceType, quota] of Object.entries(args.quotas).sort(([a], [b]) => a.localeCompare(b))) {
      if (quota?.onDemand !== undefined) request(`${instanceType}-on-demand`, quotaNames.onDemand(instanceType), quota.onDemand);
      if (quota?.spot !== undefined) request(`${instanceType}-spot`, quotaNames.spot(instanceType), quota.spot);
    }
    if (args.totalTrainingInstances > 0) request("total-training-instances", quotaNames.totalInstances, args.totalTrainingInstances);
    this.quotas = quotas;
    this.registerOutputs({});
  }
}
