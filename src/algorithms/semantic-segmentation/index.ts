/**
 * The SageMaker built-in semantic segmentation algorithm's hyperparameter contract:
 * the zod schema (schema.ts), per-field checks (fields.ts) and the point resolver (resolve.ts).
 */
import { FIELDS, type HyperparameterKind } from "./schema.js";

export { semanticSegmentation } from "./algorithm.js";
export type { ContractIssue } from "./fields.js";
export { HYPERPARAMETER_NAMES, SAGEMAKER_LIMITS } from "./fields.js";
export { OBJECTIVE_METRIC_NAMES, OBJECTIVE_METRICS } from "./objectives.js";
export type { Resolution } from "./resolve.js";
export { APPLIES_ONLY_WHEN, REQUIRED_WHEN_APPLIES, resolveHyperparameters } from "./resolve.js";
export type { Bounds, FieldSpec, HyperparameterKind, HyperparameterName } from "./schema.js";
export { CROP_SIZE_MULTIPLE, FIELDS, SemSegHyperparameters, unknownKeyMessage } from "./schema.js";

/** How a hyperparameter's values are written (integer, float, ...); undefined for a name that is not one. */
export function hyperparameterKind(name: string): HyperparameterKind | undefined {
  return Object.hasOwn(FIELDS, name) ? FIELDS[name as keyof typeof FIELDS].kind : undefined;
}
