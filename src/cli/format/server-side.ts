import type { CampaignExecutions, CampaignExecutionView } from "../../campaign/engines/stepfunctions/campaign-executions.js";
import { plural } from "../../report/table.js";

/** Server-side campaigns as text: the execution next to the jobs (`status`, `report`) and after a start (`launch`). */

/** The Map Run's counts in one phrase, e.g. "Map Run RUNNING: 12 of 40 items succeeded, 4 running, 1 failed (3 tolerated), 23 pending". */
export function mapRunPhrase(mapRun: NonNullable<CampaignExecutionView["mapRun"]>): string {
  const { items } = mapRun;
  const parts = [`${items.succeeded} of ${items.total} items succeeded`, `${items.running} running`];
  parts.push(`${items.failed + items.timedOut} failed (${mapRun.toleratedFailureCount} tolerated)`);
  if (items.aborted > 0) parts.push(`${items.aborted} aborted`);
  parts.push(`${items.pending} pending`);
  return `Map Run ${mapRun.status}: ${parts.join(", ")}; at most ${plural(mapRun.maxConcurrency, "job")} at once`;
}

/** The latest execution's lines: name and state, its Map Run, why it ended, where to look. */
export function executionLines(executions: CampaignExecutions): string {
  const latest = executions.latest;
  if (latest === undefined) return "";
  const when = latest.stoppedAt !== undefined ? `${latest.startedAt} to ${latest.stoppedAt}` : `since ${latest.startedAt}`;
  const lines = [`Step Functions execution ${latest.name}: ${latest.status} (${when})`];
  if (latest.mapRun !== undefined) lines.push(`  ${mapRunPhrase(latest.mapRun)}`);
  else if (latest.status === "RUNNING") lines.push("  Map Run not begun yet");
  const why = [latest.error, latest.cause].filter((part) => part !== undefined && part !== "").join(": ");
  if (why !== "") lines.push(`  ${why.length > 300 ? `${why.slice(0, 300)}…` : why}`);
  if (executions.total > 1) lines.push(`  (the latest of ${plural(executions.total, "execution")} of this campaign in the last 90 days)`);
  lines.push(`  ${latest.arn}`);
  if (latest.consoleUrl !== undefined) lines.push(`  ${latest.consoleUrl}`);
  return `${lines.join("\n")}\n`;
}
