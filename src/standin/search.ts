import type { JobRecord, JobStore } from "./jobs.js";
import { AwsError, timestampMs } from "./protocol.js";
import { describeJob, tagList } from "./render.js";

/**
 * Search over training jobs (docs/sources.md#describe-list-search): the way to find jobs by tag, since
 * ListTrainingJobs has no tag filter. Supported: Resource=TrainingJob; SearchExpression with
 * Filters and SubExpressions combined by Operator (And by default); the filter operators Equals,
 * NotEquals, GreaterThan(OrEqualTo), LessThan(OrEqualTo), Contains, Exists, NotExists and In;
 * property names `Tags.<key>`, `HyperParameters.<name>`, `Metrics.<name>` and any dotted path of
 * the TrainingJob record (TrainingJobName, TrainingJobStatus, ResourceConfig.InstanceType...);
 * SortBy (default CreationTime here) and SortOrder (default Descending); MaxResults (default 10);
 * NextToken. NestedFilters is refused with a clear message.
 */

interface Filter {
  readonly Name: string;
  readonly Operator?: string;
  readonly Value?: string;
}

interface Expression {
  readonly Filters?: readonly Filter[];
  readonly SubExpressions?: readonly Expression[];
  readonly NestedFilters?: readonly unknown[];
  readonly Operator?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A job's rendered record, made only when a property needs it (a search by tag renders only the page it returns). */
type LazyRecord = () => Record<string, unknown>;

/** The value a search property names in a rendered TrainingJob, as text; undefined when absent. */
function property(lazy: LazyRecord, job: JobRecord, name: string): string | undefined {
  if (name.startsWith("Tags.")) return job.tags.get(name.slice(5));
  if (name.startsWith("HyperParameters.")) return job.hyperParameters[name.slice(16)];
  if (name === "CreationTime") return String(job.createdAt / 1000);
  const record = lazy();
  if (name.startsWith("Metrics.")) {
    const metrics = Array.isArray(record.FinalMetricDataList) ? record.FinalMetricDataList : [];
    const found = metrics.find((m: unknown) => isRecord(m) && m.MetricName === name.slice(8));
    return isRecord(found) ? String(found.Value) : undefined;
  }
  let value: unknown = record;
  for (const part of name.split(".")) value = isRecord(value) ? value[part] : undefined;
  return value === undefined || value === null || isRecord(value) || Array.isArray(value) ? undefined : String(value);
}

/** Numbers compare as numbers, times (epoch seconds in the record) against ISO or epoch values, the rest as text. */
function order(actual: string, expected: string): number {
  const a = Number(actual);
  let b = Number(expected);
  if (Number.isNaN(b)) {
    const ms = timestampMs(expected);
    if (ms !== undefined) b = ms / 1000;
  }
  if (!Number.isNaN(a) && !Number.isNaN(b)) return a - b;
  return actual < expected ? -1 : actual > expected ? 1 : 0;
}

function matches(filter: Filter, actual: string | undefined): boolean {
  const operator = filter.Operator ?? "Equals";
  const expected = filter.Value ?? "";
  if (operator === "Exists") return actual !== undefined;
  if (operator === "NotExists") return actual === undefined;
  if (actual === undefined) return operator === "NotEquals";
  switch (operator) {
    case "Equals":
      return actual === expected;
    case "NotEquals":
      return actual !== expected;
    case "Contains":
      return actual.includes(expected);
    case "In":
      return expected
        .split(",")
        .map((v) => v.trim())
        .includes(actual);
    case "GreaterThan":
      return order(actual, expected) > 0;
    case "GreaterThanOrEqualTo":
      return order(actual, expected) >= 0;
    case "LessThan":
      return order(actual, expected) < 0;
    case "LessThanOrEqualTo":
      return order(actual, expected) <= 0;
    default:
      return false;
  }
}

function evaluate(expression: Expression, record: LazyRecord, job: JobRecord): boolean {
  if (expression.NestedFilters !== undefined) {
    throw new AwsError(
      "ValidationException",
      "The SageMaker stand-in does not support NestedFilters in Search; use Filters and SubExpressions.",
    );
  }
  const results = [
    ...(expression.Filters ?? []).map((filter) => matches(filter, property(record, job, filter.Name))),
    ...(expression.SubExpressions ?? []).map((sub) => evaluate(sub, record, job)),
  ];
  return expression.Operator === "Or" ? results.some(Boolean) : results.every(Boolean);
}

/** Search at `now`, for a model-valid input. */
export function searchTrainingJobs(
  store: JobStore,
  echoed: readonly string[],
  input: Record<string, unknown>,
  now: number,
): Record<string, unknown> {
  if (input.Resource !== "TrainingJob") {
    throw new AwsError("ValidationException", `The SageMaker stand-in searches TrainingJob resources only, not ${String(input.Resource)}.`);
  }
  // The input was checked against the model, so the expression has the model's shape.
  const expression = (isRecord(input.SearchExpression) ? input.SearchExpression : {}) as Expression;
  const sortBy = typeof input.SortBy === "string" ? input.SortBy : "CreationTime";
  const descending = input.SortOrder !== "Ascending";
  const maxResults = typeof input.MaxResults === "number" ? input.MaxResults : 10;
  const offset = typeof input.NextToken === "string" && input.NextToken !== "" ? Number.parseInt(input.NextToken, 10) : 0;
  if (!Number.isInteger(offset) || offset < 0) throw new AwsError("ValidationException", "Invalid pagination token.");

  const hits: { job: JobRecord; record: LazyRecord; sort: string }[] = [];
  for (const job of store.jobs.values()) {
    if (job.createdAt > now) continue;
    let rendered: Record<string, unknown> | undefined;
    const record: LazyRecord = () => (rendered ??= { ...describeJob(store, echoed, job, now), Tags: tagList(job) });
    if (!evaluate(expression, record, job)) continue;
    hits.push({ job, record, sort: property(record, job, sortBy) ?? "" });
  }
  hits.sort((a, b) => (descending ? -1 : 1) * order(a.sort, b.sort) || a.job.name.localeCompare(b.job.name));
  const page = hits.slice(offset, offset + maxResults);
  return {
    Results: page.map((hit) => ({ TrainingJob: hit.record() })),
    ...(offset + maxResults < hits.length ? { NextToken: String(offset + maxResults) } : {}),
    TotalHits: { Value: hits.length, Relation: "EqualTo" },
  };
}
