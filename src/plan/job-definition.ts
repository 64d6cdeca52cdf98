import type { Resources } from "../sweep/definition.js";

/**
 * The parts of a training job's definition that come from `resources:` alone, shared by the
 * CreateTrainingJob request (src/backend/request.ts) and the tuning engine's training job
 * definition (src/plan/tuning/), so both engines send the same thing for the same file.
 * Limits from the API model (docs/sources.md#create-training-job).
 */

/** ResourceConfig: one instance type, count and volume. */
export function resourceConfig(resources: Resources): {
  readonly InstanceType: string;
  readonly InstanceCount: number;
  readonly VolumeSizeInGB: number;
} {
  return { InstanceType: resources.instanceType, InstanceCount: resources.instanceCount, VolumeSizeInGB: resources.volumeGb };
}

/** StoppingCondition: the run time, and for managed spot the wait bound (MaxWaitTimeInSeconds ≥ MaxRuntimeInSeconds). */
export function stoppingCondition(resources: Resources): { readonly MaxRuntimeInSeconds: number; readonly MaxWaitTimeInSeconds?: number } {
  return {
    MaxRuntimeInSeconds: resources.maxRuntimeSeconds,
    ...(resources.spot ? { MaxWaitTimeInSeconds: resources.maxWaitSeconds ?? resources.maxRuntimeSeconds } : {}),
  };
}
