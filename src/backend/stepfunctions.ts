import {
  DescribeExecutionCommand,
  type DescribeExecutionOutput,
  DescribeMapRunCommand,
  type DescribeMapRunOutput,
  ListExecutionsCommand,
  ListMapRunsCommand,
  SFNClient,
  type SFNClientConfig,
  StartExecutionCommand,
  StopExecutionCommand,
} from "@aws-sdk/client-sfn";
import { classifyAwsError } from "./classify.js";
import { BackendError } from "./types.js";

/**
 * The Step Functions calls of server-side campaigns, through @aws-sdk/client-sfn: start an
 * execution once (a repeated start finds the one already there), describe it, count its Map Run,
 * stop it, and find a campaign's running executions. The SDK's standard retry mode retries
 * throttled and transient calls; what is left becomes a classified BackendError.
 */

/** DescribeExecution.status (API model ExecutionStatus). */
export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED" | "PENDING_REDRIVE";

export interface ExecutionSummary {
  readonly arn: string;
  readonly name: string;
  readonly status: ExecutionStatus;
  /** Epoch milliseconds. */
  readonly startedAt: number;
  readonly stoppedAt?: number;
  /** The execution input as it was started (JSON text). */
  readonly input?: string;
  readonly error?: string;
  readonly cause?: string;
}

/** What a start did: started it, or found an execution of that name (same input or not). */
export type StartOutcome =
  | { readonly kind: "started"; readonly execution: ExecutionSummary }
  | { readonly kind: "exists"; readonly execution: ExecutionSummary; readonly sameInput: boolean };

/** Item or child-execution counts of a Map Run (DescribeMapRun). */
export interface MapRunCounts {
  readonly pending: number;
  readonly running: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly timedOut: number;
  readonly aborted: number;
  readonly total: number;
  readonly resultsWritten: number;
}

export interface MapRunSummary {
  readonly arn: string;
  readonly status: string;
  readonly maxConcurrency: number;
  readonly toleratedFailureCount: number;
  readonly items: MapRunCounts;
  readonly executions: MapRunCounts;
}

export interface StepFunctionsBackend {
  /** Starts `name` unless an execution of that name exists (StartExecution names are unique for 90 days). */
  start(request: { readonly stateMachineArn: string; readonly name: string; readonly input: string }): Promise<StartOutcome>;
  describe(executionArn: string): Promise<ExecutionSummary>;
  /** The execution's Map Runs with their counts (one for our definition). */
  mapRuns(executionArn: string): Promise<MapRunSummary[]>;
  /** Stops a running execution; says how it ended when it was not running. */
  stop(executionArn: string, cause: string): Promise<ExecutionSummary>;
  /** The running executions whose name `belongs` (a campaign's: execution.ts `isCampaignExecution`). */
  runningExecutions(stateMachineArn: string, belongs: (name: string) => boolean): Promise<ExecutionSummary[]>;
  /** Every execution whose name `belongs`, in any status, the latest started first (ListExecutions keeps 90 days). */
  executions(stateMachineArn: string, belongs: (name: string) => boolean): Promise<ExecutionSummary[]>;
}

export interface StepFunctionsBackendOptions {
  readonly region: string;
  /** Overrides the endpoint (moto in tests); otherwise the SDK's chain (AWS_ENDPOINT_URL_SFN) decides. */
  readonly endpoint?: string;
  readonly client?: SFNClient;
  readonly credentials?: SFNClientConfig["credentials"];
}

/** The ARN of execution `name` of a state machine: `arn:...:stateMachine:<sm>` becomes `arn:...:execution:<sm>:<name>`. */
export function executionArn(stateMachineArn: string, name: string): string {
  const marker = ":stateMachine:";
  const at = stateMachineArn.indexOf(marker);
  if (at < 0) throw new Error(`not a state machine ARN: ${stateMachineArn}`);
  return `${stateMachineArn.slice(0, at)}:execution:${stateMachineArn.slice(at + marker.length)}:${name}`;
}

function summary(output: DescribeExecutionOutput): ExecutionSummary {
  return {
    arn: output.executionArn ?? "",
    name: output.name ?? "",
    status: (output.status ?? "RUNNING") as ExecutionStatus,
    startedAt: output.startDate?.getTime() ?? 0,
    ...(output.stopDate !== undefined ? { stoppedAt: output.stopDate.getTime() } : {}),
    ...(output.input !== undefined ? { input: output.input } : {}),
    ...(output.error !== undefined ? { error: output.error } : {}),
    ...(output.cause !== undefined ? { cause: output.cause } : {}),
  };
}

function counts(raw: DescribeMapRunOutput["itemCounts"]): MapRunCounts {
  return {
    pending: raw?.pending ?? 0,
    running: raw?.running ?? 0,
    succeeded: raw?.succeeded ?? 0,
    failed: raw?.failed ?? 0,
    timedOut: raw?.timedOut ?? 0,
    aborted: raw?.aborted ?? 0,
    total: raw?.total ?? 0,
    resultsWritten: raw?.resultsWritten ?? 0,
  };
}

/** Whether two execution inputs are the same JSON (key order aside). */
function sameJson(a: string | undefined, b: string): boolean {
  const canonical = (text: string): string => JSON.stringify(sortKeys(JSON.parse(text)));
  try {
    return a !== undefined && canonical(a) === canonical(b);
  } catch {
    return false;
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, inner]) => [key, sortKeys(inner)]),
  );
}

const errorName = (error: unknown): string | undefined => (error as { name?: string } | null)?.name;

/** An SDK error as a BackendError naming the operation and its target. */
function classified(operation: string, target: string, error: unknown): BackendError {
  if (error instanceof BackendError) return error;
  const aws = classifyAwsError(error);
  return new BackendError(aws.kind, `${operation} ${target}: ${aws.message}`, aws.code, { cause: error });
}

/** Sends one call; an SDK error becomes a BackendError naming the operation and its target. */
async function call<T>(operation: string, target: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw classified(operation, target, error);
  }
}

async function describeExecution(client: SFNClient, arn: string): Promise<ExecutionSummary> {
  return summary(await call("DescribeExecution", arn, () => client.send(new DescribeExecutionCommand({ executionArn: arn }))));
}

/** The execution of that ARN, or undefined when there is none. */
async function findExecution(client: SFNClient, arn: string): Promise<ExecutionSummary | undefined> {
  try {
    return summary(await client.send(new DescribeExecutionCommand({ executionArn: arn })));
  } catch (error) {
    if (errorName(error) === "ExecutionDoesNotExist") return undefined;
    throw classified("DescribeExecution", arn, error);
  }
}

/**
 * Describes first, so the answer says whether this call started the execution: StartExecution
 * alone answers a repeated start of a running execution with success (docs/sources.md#stepfunctions).
 */
async function startExecution(
  client: SFNClient,
  { stateMachineArn, name, input }: { readonly stateMachineArn: string; readonly name: string; readonly input: string },
): Promise<StartOutcome> {
  const arn = executionArn(stateMachineArn, name);
  const existing = await findExecution(client, arn);
  if (existing !== undefined) return { kind: "exists", execution: existing, sameInput: sameJson(existing.input, input) };
  try {
    await client.send(new StartExecutionCommand({ stateMachineArn, name, input }));
  } catch (error) {
    // Started by someone else between the describe and the start: that execution is ours too.
    if (errorName(error) !== "ExecutionAlreadyExists") throw classified("StartExecution", name, error);
    const raced = await describeExecution(client, arn);
    return { kind: "exists", execution: raced, sameInput: sameJson(raced.input, input) };
  }
  return { kind: "started", execution: await describeExecution(client, arn) };
}

async function listMapRuns(client: SFNClient, arn: string): Promise<MapRunSummary[]> {
  const listed = await call("ListMapRuns", arn, () => client.send(new ListMapRunsCommand({ executionArn: arn })));
  const runs: MapRunSummary[] = [];
  for (const run of listed.mapRuns ?? []) {
    const mapRunArn = run.mapRunArn ?? "";
    const described = await call("DescribeMapRun", mapRunArn, () => client.send(new DescribeMapRunCommand({ mapRunArn })));
    runs.push({
      arn: mapRunArn,
      status: described.status ?? "RUNNING",
      maxConcurrency: described.maxConcurrency ?? 0,
      toleratedFailureCount: described.toleratedFailureCount ?? 0,
      items: counts(described.itemCounts),
      executions: counts(described.executionCounts),
    });
  }
  return runs;
}

async function stopExecution(client: SFNClient, arn: string, cause: string): Promise<ExecutionSummary> {
  const current = await describeExecution(client, arn);
  if (current.status !== "RUNNING") return current;
  await call("StopExecution", arn, () => client.send(new StopExecutionCommand({ executionArn: arn, error: "segsweep.Stopped", cause })));
  return describeExecution(client, arn);
}

/** ListExecutions' largest page (docs/sources.md#stepfunctions-cli): a campaign's executions in one call or few. */
const LIST_EXECUTIONS_PAGE = 1000;

async function listExecutions(
  client: SFNClient,
  stateMachineArn: string,
  belongs: (name: string) => boolean,
  statusFilter?: "RUNNING",
): Promise<ExecutionSummary[]> {
  const found: ExecutionSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await call("ListExecutions", stateMachineArn, () =>
      client.send(
        new ListExecutionsCommand({
          stateMachineArn,
          maxResults: LIST_EXECUTIONS_PAGE,
          ...(statusFilter !== undefined ? { statusFilter } : {}),
          ...(nextToken !== undefined ? { nextToken } : {}),
        }),
      ),
    );
    for (const item of page.executions ?? []) {
      if (!belongs(item.name ?? "")) continue;
      found.push({
        arn: item.executionArn ?? "",
        name: item.name ?? "",
        status: (item.status ?? "RUNNING") as ExecutionStatus,
        startedAt: item.startDate?.getTime() ?? 0,
        ...(item.stopDate !== undefined ? { stoppedAt: item.stopDate.getTime() } : {}),
      });
    }
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return found.sort((a, b) => b.startedAt - a.startedAt);
}

/** Creates the Step Functions backend. */
export function createStepFunctionsBackend(options: StepFunctionsBackendOptions): StepFunctionsBackend {
  const client =
    options.client ??
    new SFNClient({
      region: options.region,
      ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
      ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
    });
  return {
    start: (request) => startExecution(client, request),
    describe: (arn) => describeExecution(client, arn),
    mapRuns: (arn) => listMapRuns(client, arn),
    stop: (arn, cause) => stopExecution(client, arn, cause),
    runningExecutions: (stateMachineArn, belongs) => listExecutions(client, stateMachineArn, belongs, "RUNNING"),
    executions: (stateMachineArn, belongs) => listExecutions(client, stateMachineArn, belongs),
  };
}
