import { closeSync, openSync, writeSync } from "node:fs";
import type { CampaignView, LaunchEvent, LaunchObserver } from "../campaign/events.js";
import { liveLine } from "./format/live-line.js";

/**
 * Progress for people and events for machines (style.md item 13). On a terminal: one live line,
 * redrawn in place (done / running / queued / failed, cost so far, elapsed), with notable events
 * printed above it. Off a terminal: one line per state change. `--events FILE`: NDJSON.
 */
export interface ProgressOptions {
  readonly stream: { write(text: string): unknown };
  readonly tty: boolean;
  /** Marks every line as simulated (--simulate). */
  readonly simulated: boolean;
  readonly objective: string;
  /** The terminal's width now (it may change while the line lives); undefined when unknown. */
  readonly columns?: () => number | undefined;
}

export interface Progress {
  readonly observe: LaunchObserver;
  /** Ends the live line (a newline), before other output follows. */
  finish(): void;
}

/** `$12.34`, or `cost unknown` without a price. */
export function formatUsd(usd: number | null): string {
  return usd === null ? "cost unknown" : `$${usd.toFixed(2)}`;
}

/** The live line's text, fitted to `width` columns when given (format/live-line.ts). */
export function statusLine(view: CampaignView, simulated: boolean, width?: number): string {
  return liveLine(view, simulated, width);
}

/** The line an event deserves in the log, or undefined for events that only feed the live line. */
export function eventLine(event: LaunchEvent, view: CampaignView, objective: string): string | undefined {
  const tally = `(${view.counts.done}/${view.counts.total} done, ${view.counts.running} running, ${view.counts.queued} queued, ${view.counts.failed} failed)`;
  switch (event.type) {
    case "created":
      return event.existed ? `following ${event.name} (it exists already) ${tally}` : `created   ${event.name} ${tally}`;
    case "ended": {
      const metric = event.metric !== undefined ? ` ${objective} ${event.metric.toFixed(4)}` : "";
      const why = event.stopReason ?? event.failureReason;
      return `${event.state.padEnd(9)} ${event.name}${metric}${why !== undefined ? `: ${why}` : ""} ${tally}`;
    }
    case "terminating":
      return `stopping  ${event.name}: ${event.reason}`;
    case "warning":
      return `warning: ${event.message}`;
    case "retry":
      return `retrying  ${event.previous} as ${event.name} (${event.cause} error; SageMaker's, not the training's)`;
    case "quota":
      return event.message;
    case "concurrency":
      return `trying ${event.concurrency} jobs at once again`;
    case "failure-limit":
      return `${event.failures} failed trainings, more than limits.max_failures (${event.maxFailures}): launching no more jobs.`;
    default:
      return undefined;
  }
}

/** Progress on `stream`: a live line on a terminal, one line per state change otherwise. */
export function createProgress(options: ProgressOptions): Progress {
  const prefix = options.simulated ? "[simulated] " : "";
  let live = false;
  const outage = outageNotices();
  return {
    observe(event, view) {
      const line = outage(event) ?? eventLine(event, view, options.objective);
      if (!options.tty) {
        if (line !== undefined) options.stream.write(`${prefix}${line}\n`);
        return;
      }
      // \r and "erase line" (CSI 2K) redraw the live line in place; notable events print above it.
      const notable =
        event.type === "quota" ||
        event.type === "failure-limit" ||
        event.type === "retry" ||
        event.type === "warning" ||
        event.type === "throttled" ||
        (event.type === "ended" && event.state !== "completed");
      options.stream.write(
        `\r\x1b[2K${notable && line !== undefined ? `${prefix}${line}\n` : ""}${statusLine(view, options.simulated, options.columns?.())}`,
      );
      live = true;
    },
    finish() {
      if (live) options.stream.write("\n");
      live = false;
    },
  };
}

/** `--events FILE`: every event as one JSON line, with the counts after it. Writes synchronously, so a crash loses nothing written. */
export function openEventLog(path: string, simulated: boolean, now: () => number): { readonly observe: LaunchObserver; close(): void } {
  const fd = openSync(path, "w");
  return {
    observe(event, view) {
      const line = {
        time: new Date(now()).toISOString(),
        ...(simulated ? { simulated: true } : {}),
        ...event,
        counts: view.counts,
        costUsd: view.costUsd,
      };
      writeSync(fd, `${JSON.stringify(line)}\n`);
    },
    close: () => closeSync(fd),
  };
}

/**
 * One line when AWS calls start being retried (throttling, or the network or endpoint down): an
 * outage is said once, with what is being done, not at every retry; any other event ends it.
 */
function outageNotices(): (event: LaunchEvent) => string | undefined {
  let since: string | undefined;
  return (event) => {
    if (event.type === "throttled") {
      if (since !== undefined) return undefined;
      since = event.code ?? "an error";
      const why = /Throttl|TooManyRequests|SlowDown/i.test(since)
        ? `throttling ${event.operation}`
        : `not answering ${event.operation} (${since})`;
      return `AWS is ${why}: retrying for up to about a minute and a half; jobs keep running meanwhile.`;
    }
    if (since === undefined || event.type === "warning") return undefined;
    since = undefined;
    return undefined;
  };
}
