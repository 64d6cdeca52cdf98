/**
 * GPU training instances the semantic segmentation algorithm can train on (it trains on GPUs
 * only, on a single instance). GPU counts and memory: aws/sagemaker-python-sdk
 * instance_gpu_info.json (us-east-1). On-demand prices: us-east-1 USD/hour from third-party
 * price tables (docs/sources.md#prices, unconfirmed); where sources
 * conflict the higher price is kept, because it feeds a cost *bound*. `undefined` = no price known.
 */
export interface GpuInstance {
  readonly instanceType: string;
  readonly gpus: number;
  readonly gpuMemoryMiB: number;
  readonly usdPerHour: number | undefined;
  /** Listed for this algorithm in the docs (P2, P3); G4dn/G5 are accepted by the API but not documented for it. */
  readonly documented: boolean;
}

const row = (
  instanceType: string,
  gpus: number,
  gpuMemoryMiB: number,
  usdPerHour: number | undefined,
  documented: boolean,
): GpuInstance => ({
  instanceType,
  gpus,
  gpuMemoryMiB,
  usdPerHour,
  documented,
});

/** The catalog, keyed by SageMaker instance type. */
export const GPU_TRAINING_INSTANCES: ReadonlyMap<string, GpuInstance> = new Map(
  [
    row("ml.p2.xlarge", 1, 12288, 1.125, true),
    row("ml.p2.8xlarge", 8, 98304, undefined, true),
    row("ml.p2.16xlarge", 16, 196608, undefined, true),
    row("ml.p3.2xlarge", 1, 16384, 3.825, true),
    row("ml.p3.8xlarge", 4, 65536, 15.3, true),
    row("ml.p3.16xlarge", 8, 131072, 28.152, true),
    row("ml.p3dn.24xlarge", 8, 262144, undefined, false),
    row("ml.g4dn.xlarge", 1, 16384, 0.7364, false),
    row("ml.g4dn.2xlarge", 1, 16384, 1.0528, false),
    row("ml.g4dn.4xlarge", 1, 16384, undefined, false),
    row("ml.g4dn.8xlarge", 1, 16384, undefined, false),
    row("ml.g4dn.12xlarge", 4, 65536, undefined, false),
    row("ml.g4dn.16xlarge", 1, 16384, undefined, false),
    row("ml.g5.xlarge", 1, 24576, 1.408, false),
    row("ml.g5.2xlarge", 1, 24576, 1.686, false),
    row("ml.g5.4xlarge", 1, 24576, undefined, false),
    row("ml.g5.8xlarge", 1, 24576, undefined, false),
    row("ml.g5.12xlarge", 4, 98304, undefined, false),
    row("ml.g5.16xlarge", 1, 24576, undefined, false),
    row("ml.g5.24xlarge", 4, 98304, undefined, false),
    row("ml.g5.48xlarge", 8, 183104, undefined, false),
    row("ml.p4d.24xlarge", 8, 327680, undefined, false),
  ].map((instance) => [instance.instanceType, instance] as const),
);

/** Instance types in catalog order, for error messages and config validation. */
export const GPU_TRAINING_INSTANCE_TYPES: readonly string[] = [...GPU_TRAINING_INSTANCES.keys()];

/** The default: one V100, documented for the algorithm, with a well-sourced price. */
export const DEFAULT_INSTANCE_TYPE = "ml.p3.2xlarge";
