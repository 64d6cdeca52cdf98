import type { Json } from "./asl.js";

/**
 * Our own rules for a state machine, beyond what asl-validator's schema checks (it accepts
 * `sagemaker:createTrainingJob.waitForTaskToken`, which AWS does not run). Pure: it reads any
 * parsed definition and lists every violation, with the state it is in.
 */

export type RuleName = "shape" | "sagemaker-integration" | "map-concurrency" | "retry-errors" | "express-sync";

export interface Violation {
  /** The state's path from the top, e.g. `Trainings/Train`. */
  readonly state: string;
  readonly rule: RuleName;
  readonly message: string;
}

const SAGEMAKER_RESOURCE = /^arn:aws[a-z-]*:states:::sagemaker:([A-Za-z]+)(\.[A-Za-z0-9:]+)?$/;
/** Errors a Retry must never list: a failed job would be created again under the same name (ResourceInUse). */
const NEVER_RETRIED = new Set(["States.TaskFailed", "States.ALL"]);

type JsonObject = { readonly [key: string]: Json };

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The nested machines of a state: a Map's ItemProcessor (or legacy Iterator), a Parallel's branches. */
function nestedMachines(state: JsonObject): JsonObject[] {
  const machines: JsonObject[] = [];
  for (const field of ["ItemProcessor", "Iterator"]) {
    const machine = state[field];
    if (isObject(machine)) machines.push(machine);
  }
  const branches = state.Branches;
  if (Array.isArray(branches)) for (const branch of branches) if (isObject(branch)) machines.push(branch);
  return machines;
}

function checkTask(path: string, state: JsonObject): Violation[] {
  const resource = typeof state.Resource === "string" ? state.Resource : "";
  const match = SAGEMAKER_RESOURCE.exec(resource);
  if (match === null || match[2] === undefined || match[2] === ".sync") return [];
  return [
    {
      state: path,
      rule: "sagemaker-integration",
      message: `${resource}: SageMaker tasks run as request-response or .sync; Step Functions does not support ${match[2]} for SageMaker`,
    },
  ];
}

function checkMap(path: string, state: JsonObject): Violation[] {
  const limit = state.MaxConcurrency;
  if (typeof state.MaxConcurrencyPath === "string" || (typeof limit === "number" && limit > 0)) return [];
  // 0 or absent means no limit: 40 inline, 10,000 distributed children (docs/sources.md#stepfunctions).
  return [
    { state: path, rule: "map-concurrency", message: `Map without MaxConcurrency (got ${JSON.stringify(limit ?? null)}) runs unbounded` },
  ];
}

function checkRetry(path: string, state: JsonObject): Violation[] {
  const retry = state.Retry;
  if (!Array.isArray(retry)) return [];
  const listed = retry.flatMap((retrier) => (isObject(retrier) && Array.isArray(retrier.ErrorEquals) ? retrier.ErrorEquals : []));
  return listed
    .filter((error): error is string => typeof error === "string" && NEVER_RETRIED.has(error))
    .map((error) => ({
      state: path,
      rule: "retry-errors" as const,
      message: `Retry lists ${error}: a failed job would be retried under its own name`,
    }));
}

function hasSyncTask(machine: JsonObject): boolean {
  const states = isObject(machine.States) ? Object.values(machine.States) : [];
  return states.some(
    (state) =>
      isObject(state) &&
      ((typeof state.Resource === "string" && state.Resource.endsWith(".sync")) || nestedMachines(state).some(hasSyncTask)),
  );
}

function checkExpress(path: string, state: JsonObject): Violation[] {
  const processor = state.ItemProcessor;
  const config = isObject(processor) ? processor.ProcessorConfig : undefined;
  if (!isObject(processor) || !isObject(config) || config.ExecutionType !== "EXPRESS" || !hasSyncTask(processor)) return [];
  return [{ state: path, rule: "express-sync", message: "Express children cannot run .sync tasks: use ExecutionType STANDARD" }];
}

function checkMachine(machine: JsonObject, prefix: string): Violation[] {
  const states = machine.States;
  if (!isObject(states)) return [];
  return Object.entries(states).flatMap(([name, state]) => {
    if (!isObject(state)) return [];
    const path = prefix === "" ? name : `${prefix}/${name}`;
    const own =
      state.Type === "Task"
        ? [...checkTask(path, state), ...checkRetry(path, state)]
        : state.Type === "Map"
          ? [...checkMap(path, state), ...checkExpress(path, state)]
          : [];
    const inner = state.Type === "Parallel" || state.Type === "Map" ? checkRetry(path, state) : [];
    return [...own, ...inner, ...nestedMachines(state).flatMap((nested) => checkMachine(nested, path))];
  });
}

/** Every violation of our rules in a parsed definition (empty when it follows them). */
export function checkDefinition(definition: Json): Violation[] {
  return isObject(definition)
    ? checkMachine(definition, "")
    : [{ state: "", rule: "shape", message: "not a state machine (a JSON object with States)" }];
}
