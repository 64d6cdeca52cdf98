import { z } from "zod";

/**
 * What `segsweep stop --json` prints: one object saying what was asked to stop, what had already
 * ended, what could not be stopped, and what was left alone. This schema documents it
 * (docs/campaigns.md).
 */
export const StopSummary = z.object({
  campaign: z.string(),
  sweepFile: z.string(),
  stopped: z.array(z.string()).describe("jobs SageMaker was asked to stop (each goes Stopping, then Stopped)"),
  alreadyEnded: z.array(z.object({ job: z.string(), status: z.string() })).describe("jobs that ended between the listing and the stop"),
  failed: z.array(z.object({ job: z.string(), message: z.string() })).describe("jobs whose stop SageMaker refused"),
  alreadyStopping: z.number().int().describe("jobs of the campaign already Stopping before this run"),
  leftAlone: z.array(z.string()).describe("in-progress jobs named like the campaign's but no longer in the sweep file"),
  declined: z.boolean().describe("true when the confirmation was answered no (nothing stopped)"),
});
export type StopSummary = z.infer<typeof StopSummary>;

/** One stop's outcome, as stop.ts records it. */
export type StopResult =
  | { readonly job: string; readonly result: "stopped" }
  | { readonly job: string; readonly result: "already"; readonly status: string }
  | { readonly job: string; readonly result: "error"; readonly message: string };

/** The summary of a stop run, as the JSON text printed. */
export function stopSummaryJson(
  base: Pick<StopSummary, "campaign" | "sweepFile" | "alreadyStopping" | "leftAlone">,
  outcomes: readonly StopResult[],
  declined = false,
): string {
  const summary: StopSummary = {
    ...base,
    stopped: outcomes.flatMap((o) => (o.result === "stopped" ? [o.job] : [])),
    alreadyEnded: outcomes.flatMap((o) => (o.result === "already" ? [{ job: o.job, status: o.status }] : [])),
    failed: outcomes.flatMap((o) => (o.result === "error" ? [{ job: o.job, message: o.message }] : [])),
    declined,
  };
  return `${JSON.stringify(summary, null, 2)}\n`;
}
