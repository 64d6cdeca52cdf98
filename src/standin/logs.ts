import { z } from "zod";
import { hashHex } from "../util/random.js";
import type { JobRecord, JobStore } from "./jobs.js";
import { AwsError } from "./protocol.js";
import { type LogLine, logLines, logStreamName, TRAINING_LOG_GROUP } from "./telemetry.js";

/**
 * CloudWatch Logs over the training jobs' log group `/aws/sagemaker/TrainingJobs`, one stream per
 * instance named `<job>/algo-1-<epoch seconds>` that appears once the job's container runs
 * (docs/sources.md#training-metrics): DescribeLogStreams, GetLogEvents and FilterLogEvents, with
 * paging. Filter patterns: terms and "quoted phrases" (all must appear), `-term` (must not), or
 * `?a ?b` (any); JSON, space-delimited and regex patterns are refused. The group exists once a
 * job's container has started, as in an account whose first job creates it.
 */

const Group = z.looseObject({ logGroupName: z.string().optional(), logGroupIdentifier: z.string().optional() });
const Paging = z.looseObject({ nextToken: z.string().optional(), limit: z.number().optional() });
const TimeRange = z.looseObject({ startTime: z.number().optional(), endTime: z.number().optional() });
/** Milliseconds between an event and its ingestion. */
const INGESTION_MS = 200;

interface Stream {
  readonly name: string;
  readonly job: JobRecord;
  readonly createdMs: number;
}

function notFound(what: "group" | "stream"): AwsError {
  return new AwsError("ResourceNotFoundException", `The specified log ${what} does not exist.`);
}

function invalidParameter(message: string): AwsError {
  return new AwsError("InvalidParameterException", message);
}

/** The streams that exist at `now`, by name; throws ResourceNotFound when the request names another group or none exists yet. */
function streams(store: JobStore, raw: Record<string, unknown>, now: number): Stream[] {
  const { logGroupName, logGroupIdentifier } = Group.parse(raw);
  if (logGroupName !== undefined && logGroupIdentifier !== undefined)
    throw invalidParameter("LogGroup name and LogGroup ARN are mutually exclusive parameters.");
  const group = logGroupName ?? logGroupIdentifier?.replace(/^arn:aws[a-z-]*:logs:[^:]*:\d{12}:log-group:/, "").replace(/:\*$/, "");
  const found: Stream[] = [];
  for (const job of store.jobs.values()) {
    const name = logStreamName(store, job);
    const started = job.timeline.trainingStartAt;
    if (name === undefined || started === undefined || store.secondsAt(job, now) < started) continue;
    found.push({ name, job, createdMs: store.msAt(job, started) });
  }
  if (group !== TRAINING_LOG_GROUP || found.length === 0) throw notFound("group");
  return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function offsetOf(token: string | undefined, prefix: string, max: number): number {
  if (token === undefined) return 0;
  const match = new RegExp(`^${prefix}(\\d+)$`).exec(token);
  const offset = match?.[1] === undefined ? Number.NaN : Number(match[1]);
  if (!(offset <= max)) throw invalidParameter("The specified nextToken is invalid.");
  return offset;
}

function inRange(line: LogLine, startTime: number | undefined, endTime: number | undefined): boolean {
  return (startTime === undefined || line.timestamp >= startTime) && (endTime === undefined || line.timestamp < endTime);
}

/** DescribeLogStreams: by name (optionally a prefix) or by last event time, up to `limit` (50) a page. */
export function describeLogStreams(store: JobStore, raw: Record<string, unknown>, now: number): Record<string, unknown> {
  const input = z
    .looseObject({ logStreamNamePrefix: z.string().optional(), orderBy: z.string().optional(), descending: z.boolean().optional() })
    .and(Paging)
    .parse(raw);
  if (input.orderBy === "LastEventTime" && input.logStreamNamePrefix !== undefined)
    throw invalidParameter("Cannot order by LastEventTime with a logStreamNamePrefix.");
  const described = streams(store, raw, now)
    .filter((s) => input.logStreamNamePrefix === undefined || s.name.startsWith(input.logStreamNamePrefix))
    .map((s) => {
      const lines = logLines(store, s.job, now);
      const last = lines.at(-1)?.timestamp ?? s.createdMs;
      return {
        logStreamName: s.name,
        creationTime: Math.floor(s.createdMs),
        firstEventTimestamp: Math.floor(lines[0]?.timestamp ?? s.createdMs),
        lastEventTimestamp: Math.floor(last),
        lastIngestionTime: Math.floor(last) + INGESTION_MS,
        arn: `arn:aws:logs:${store.region}:${store.accountId}:log-group:${TRAINING_LOG_GROUP}:log-stream:${s.name}`,
        storedBytes: 0,
      };
    });
  if (input.orderBy === "LastEventTime") described.sort((a, b) => a.lastEventTimestamp - b.lastEventTimestamp);
  if (input.descending === true) described.reverse();
  const offset = offsetOf(input.nextToken, "ls-", described.length);
  const limit = input.limit ?? 50;
  const next = offset + limit;
  return { logStreams: described.slice(offset, next), ...(next < described.length ? { nextToken: `ls-${next}` } : {}) };
}

/** GetLogEvents: one stream's events, from the head or (by default) the tail, with forward and backward tokens. */
export function getLogEvents(store: JobStore, raw: Record<string, unknown>, now: number): Record<string, unknown> {
  const input = z.looseObject({ logStreamName: z.string(), startFromHead: z.boolean().optional() }).and(Paging).and(TimeRange).parse(raw);
  const stream = streams(store, raw, now).find((s) => s.name === input.logStreamName);
  if (stream === undefined) throw notFound("stream");
  const lines = logLines(store, stream.job, now).filter((line) => inRange(line, input.startTime, input.endTime));
  const limit = input.limit ?? 10_000;
  const token = input.nextToken;
  let from: number;
  let to: number;
  if (token?.startsWith("b/") === true || (token === undefined && input.startFromHead !== true)) {
    to = token === undefined ? lines.length : offsetOf(token, "b/", lines.length);
    from = Math.max(0, to - limit);
  } else {
    from = offsetOf(token, "f/", lines.length);
    to = Math.min(lines.length, from + limit);
  }
  const events = lines.slice(from, to).map((line) => ({
    timestamp: Math.floor(line.timestamp),
    message: line.message,
    ingestionTime: Math.floor(line.timestamp) + INGESTION_MS,
  }));
  return { events, nextForwardToken: `f/${to}`, nextBackwardToken: `b/${from}` };
}

/** A predicate for CloudWatch Logs' unstructured filter-pattern syntax (the part the stand-in supports). */
export function filterPatternMatcher(pattern: string | undefined): (message: string) => boolean {
  const text = (pattern ?? "").trim();
  if (text === "") return () => true;
  if (/^[{[%]/.test(text))
    throw invalidParameter("The stand-in supports term filter patterns only (no JSON, space-delimited or regex patterns).");
  const terms = (text.match(/"[^"]*"|\S+/g) ?? []).map((t) => t.replace(/^([?-]?)"(.*)"$/, "$1$2"));
  if (terms.every((t) => t.startsWith("?"))) return (message) => terms.some((t) => message.includes(t.slice(1)));
  return (message) => terms.every((t) => (t.startsWith("-") && t.length > 1 ? !message.includes(t.slice(1)) : message.includes(t)));
}

/** FilterLogEvents: the group's events (some streams, or those with a prefix) in time order, filtered, paged by `limit`. */
export function filterLogEvents(store: JobStore, raw: Record<string, unknown>, now: number): Record<string, unknown> {
  const input = z
    .looseObject({
      logStreamNames: z.array(z.string()).optional(),
      logStreamNamePrefix: z.string().optional(),
      filterPattern: z.string().optional(),
    })
    .and(Paging)
    .and(TimeRange)
    .parse(raw);
  if (input.logStreamNames !== undefined && input.logStreamNamePrefix !== undefined)
    throw invalidParameter("logStreamNames and logStreamNamePrefix are mutually exclusive parameters.");
  const matches = filterPatternMatcher(input.filterPattern);
  const names = input.logStreamNames === undefined ? undefined : new Set(input.logStreamNames);
  const events = streams(store, raw, now)
    .filter((s) => (names === undefined || names.has(s.name)) && s.name.startsWith(input.logStreamNamePrefix ?? ""))
    .flatMap((s) =>
      logLines(store, s.job, now)
        .filter((line) => inRange(line, input.startTime, input.endTime) && matches(line.message))
        .map((line) => ({
          logStreamName: s.name,
          timestamp: Math.floor(line.timestamp),
          message: line.message,
          ingestionTime: Math.floor(line.timestamp) + INGESTION_MS,
          eventId: hashHex(56, s.name, line.timestamp, line.message),
        })),
    )
    .sort((a, b) => a.timestamp - b.timestamp || (a.eventId < b.eventId ? -1 : 1));
  const offset = offsetOf(input.nextToken, "fl-", events.length);
  const next = offset + (input.limit ?? 10_000);
  return { events: events.slice(offset, next), ...(next < events.length ? { nextToken: `fl-${next}` } : {}) };
}
