import type { ExecutionStatus, ExecutionSummary, MapRunCounts } from "../../../backend/stepfunctions.js";
import { isCampaignExecution } from "./execution.js";
import type { ServerSide } from "./runner.js";

/**
 * A campaign's executions as `status`, `report` and `stop` show them: found by their
 * deterministic names on the stack's state machine (ListExecutions), the latest described with
 * its Map Run's counts (DescribeExecution, ListMapRuns, DescribeMapRun).
 */

/** The latest execution of a campaign, as shown next to its jobs. */
export interface CampaignExecutionView {
  readonly name: string;
  readonly arn: string;
  readonly status: ExecutionStatus;
  /** ISO 8601. */
  readonly startedAt: string;
  readonly stoppedAt?: string;
  readonly error?: string;
  readonly cause?: string;
  /** The Map Run's item counts, once the Map has begun. */
  readonly mapRun?: {
    readonly status: string;
    readonly maxConcurrency: number;
    readonly toleratedFailureCount: number;
    readonly items: MapRunCounts;
  };
  /** The Step Functions console's page of the execution (aws partition only). */
  readonly consoleUrl?: string;
}

export interface CampaignExecutions {
  /** The latest started; undefined when the campaign never ran server-side (in the last 90 days). */
  readonly latest: CampaignExecutionView | undefined;
  /** How many of its executions run now (one at most, unless started by hand). */
  readonly running: number;
  readonly total: number;
}

/** The execution page of the Step Functions console (third-party form, docs/sources.md#stepfunctions-cli). */
export function executionConsoleUrl(executionArn: string): string | undefined {
  const match = /^arn:aws:states:([a-z0-9-]+):/.exec(executionArn);
  if (match === null) return undefined;
  const region = match[1];
  return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${executionArn}`;
}

/** The campaign's executions; the latest described with its Map Run. */
export async function readCampaignExecutions(server: ServerSide, campaign: string): Promise<CampaignExecutions> {
  const all = await server.stepFunctions.executions(server.stateMachineArn, (name) => isCampaignExecution(campaign, name));
  const [first] = all;
  if (first === undefined) return { latest: undefined, running: 0, total: 0 };
  const described = await server.stepFunctions.describe(first.arn);
  const [run] = await server.stepFunctions.mapRuns(first.arn);
  return {
    latest: {
      ...viewOf(described),
      ...(run !== undefined
        ? {
            mapRun: {
              status: run.status,
              maxConcurrency: run.maxConcurrency,
              toleratedFailureCount: run.toleratedFailureCount,
              items: run.items,
            },
          }
        : {}),
    },
    running: all.filter((execution) => execution.status === "RUNNING").length,
    total: all.length,
  };
}

function viewOf(execution: ExecutionSummary): CampaignExecutionView {
  const consoleUrl = executionConsoleUrl(execution.arn);
  return {
    name: execution.name,
    arn: execution.arn,
    status: execution.status,
    startedAt: new Date(execution.startedAt).toISOString(),
    ...(execution.stoppedAt !== undefined ? { stoppedAt: new Date(execution.stoppedAt).toISOString() } : {}),
    ...(execution.error !== undefined ? { error: execution.error } : {}),
    ...(execution.cause !== undefined ? { cause: execution.cause } : {}),
    ...(consoleUrl !== undefined ? { consoleUrl } : {}),
  };
}

/** Stops every running execution of the campaign (so no child creates another job); returns how each ended. */
export async function stopCampaignExecutions(server: ServerSide, campaign: string, cause: string): Promise<ExecutionSummary[]> {
  const running = await server.stepFunctions.runningExecutions(server.stateMachineArn, (name) => isCampaignExecution(campaign, name));
  const stopped: ExecutionSummary[] = [];
  for (const execution of running) stopped.push(await server.stepFunctions.stop(execution.arn, cause));
  return stopped;
}
