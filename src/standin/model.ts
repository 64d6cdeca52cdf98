import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";

/**
 * The API models (botocore format) that every request is checked against, next to this file's
 * source: `sagemaker-api-model.json` from aws/sagemaker-python-sdk,
 * sagemaker-core/sample/sagemaker/2017-07-24/service-2.json (commit 2c7775e8, Apache-2.0), cut
 * down to the training-job operations; `cloudwatch-api-model.json` and `logs-api-model.json` from
 * botocore 1.43.11 (Apache-2.0), cut down to the operations the stand-in serves (see README.md in
 * this folder). `tsc` does not copy JSON into dist/, so the compiled module looks for the source file too.
 */

const ShapeRef = z.object({ shape: z.string() });

const Shape = z.object({
  type: z.enum(["structure", "list", "map", "string", "integer", "long", "float", "double", "boolean", "timestamp", "blob"]),
  members: z.record(z.string(), ShapeRef).optional(),
  required: z.array(z.string()).optional(),
  member: ShapeRef.optional(),
  key: ShapeRef.optional(),
  value: ShapeRef.optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  pattern: z.string().optional(),
  enum: z.array(z.string()).optional(),
  union: z.boolean().optional(),
  exception: z.boolean().optional(),
});

const ApiModel = z.object({
  metadata: z.object({ apiVersion: z.string(), targetPrefix: z.string() }),
  operations: z.record(z.string(), z.object({ name: z.string(), input: ShapeRef.optional(), output: ShapeRef.optional() })),
  shapes: z.record(z.string(), Shape),
});

/** One shape of the model: a structure, list, map or scalar with its constraints. */
export type Shape = z.infer<typeof Shape>;
/** The parts of the botocore model the stand-in reads. */
export type ApiModel = z.infer<typeof ApiModel>;

/** The model files the stand-in ships, by service. */
export const API_MODEL_FILES = {
  SageMaker: "sagemaker-api-model.json",
  CloudWatch: "cloudwatch-api-model.json",
  Logs: "logs-api-model.json",
} as const;

/** Where a model may be for a module at `moduleUrl`: next to it (source), or back from dist/src/standin/ to the source. */
export function apiModelCandidates(moduleUrl: string, file: string = API_MODEL_FILES.SageMaker): string[] {
  return [new URL(`./${file}`, moduleUrl), new URL(`../../../src/standin/${file}`, moduleUrl)].map((url) => fileURLToPath(url));
}

const cached = new Map<string, ApiModel>();

/** Where the model file is, for this module's location; throws naming every place tried. */
export function apiModelPath(moduleUrl: string = import.meta.url, file: string = API_MODEL_FILES.SageMaker): string {
  const candidates = apiModelCandidates(moduleUrl, file);
  const found = candidates.find((path) => existsSync(path));
  if (found === undefined) throw new Error(`API model ${file} not found; looked at ${candidates.join(", ")}`);
  return found;
}

/** Loads (once) and checks an API model: SageMaker's unless another service is named. */
export function loadApiModel(service: keyof typeof API_MODEL_FILES = "SageMaker"): ApiModel {
  const file = API_MODEL_FILES[service];
  let model = cached.get(file);
  if (model === undefined) {
    model = ApiModel.parse(JSON.parse(readFileSync(apiModelPath(import.meta.url, file), "utf8")));
    cached.set(file, model);
  }
  return model;
}

/** The input shape name of an operation, e.g. CreateTrainingJob -> CreateTrainingJobRequest. */
export function inputShapeOf(model: ApiModel, operation: string): string | undefined {
  return model.operations[operation]?.input?.shape;
}
