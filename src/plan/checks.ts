import { GPU_TRAINING_INSTANCES } from "../catalog/instances.js";
import { checkParameterNames } from "../sweep/check-parameters.js";
import { dataLocationProblem, prefixWithoutSlashWarning } from "../sweep/data-location.js";
import { S3PrefixData, type SweepDefinition } from "../sweep/definition.js";
import { type Diagnostic, type FieldPath, formatPath } from "../sweep/diagnostic.js";
import { checkSearchSpace, gridSize } from "../sweep/expand/index.js";
import type { SourceFile } from "../sweep/load.js";

/** The channels that are S3 prefixes (not manifest objects). */
const PREFIX_CHANNELS = Object.keys(S3PrefixData.shape);

/** Beyond this many points even `--summary` would take minutes: refuse up front. */
export const MAX_EXPANDED_POINTS = 50_000_000;

/** `1,234,567` */
export function count(value: number): string {
  return value.toLocaleString("en-US");
}

/** Adds file, dotted path, line and column to diagnostics that carry their field path as data. */
export function positioned(
  source: SourceFile,
  found: readonly (Diagnostic & { readonly fieldPath: FieldPath; readonly at: "key" | "value" })[],
): Diagnostic[] {
  return found.map(({ fieldPath, at, ...diagnostic }) => ({
    ...diagnostic,
    file: source.file,
    path: formatPath(fieldPath),
    ...source.locate(fieldPath, at),
  }));
}

/**
 * The hyperparameter names of the file, checked on the data as written (independent of every other
 * section), and the unknown names found (their per-point errors would only repeat the message).
 */
export function nameDiagnostics(source: SourceFile): { diagnostics: Diagnostic[]; unknown: Set<string> } {
  const found = checkParameterNames(source.data);
  const unknown = new Set(found.filter((d) => d.at === "key").map((d) => String(d.fieldPath[d.fieldPath.length - 1])));
  return { diagnostics: positioned(source, found), unknown };
}

/**
 * Problems of the search space and the data paths, found before expanding anything; `tooBig` when
 * the space has more points than segsweep expands.
 */
export function spaceDiagnostics(source: SourceFile, def: SweepDefinition): { diagnostics: Diagnostic[]; tooBig: boolean } {
  const out = positioned(source, checkSearchSpace(def));
  out.push(...dataWarnings(source));
  const size = out.some((d) => d.severity === "error") ? 0 : gridSize(def);
  if (size > MAX_EXPANDED_POINTS) {
    out.push({
      severity: "error",
      file: source.file,
      path: "hyperparameters",
      message: `the search space has ${count(size)} points, more than segsweep expands (${count(MAX_EXPANDED_POINTS)}); use strategy: random with samples, or fewer values per axis`,
      ...source.locate(["hyperparameters"], "key"),
    });
  }
  return { diagnostics: out, tooBig: size > MAX_EXPANDED_POINTS };
}

/**
 * A channel prefix without a trailing slash also reads its longer siblings (`train` reads
 * `train_annotation/`). Read from the data as written, so it is reported even when another
 * channel is invalid.
 */
function dataWarnings(source: SourceFile): Diagnostic[] {
  const data = (source.data as { data?: unknown }).data;
  if (data === null || typeof data !== "object" || "augmented_manifest" in data) return []; // manifests are objects, not prefixes
  const out: Diagnostic[] = [];
  const values = PREFIX_CHANNELS.map((channel) => (data as Record<string, unknown>)[channel]);
  const locations = values.filter((value): value is string => typeof value === "string");
  for (const [i, channel] of PREFIX_CHANNELS.entries()) {
    const value = values[i];
    if (typeof value !== "string" || dataLocationProblem(value) !== undefined) continue;
    const warning = prefixWithoutSlashWarning(value, locations);
    if (warning === undefined) continue;
    const path = ["data", channel];
    out.push({
      severity: "warning",
      file: source.file,
      path: formatPath(path),
      message: `data.${channel}: ${warning}`,
      ...source.locate(path),
    });
  }
  return out;
}

/** The refusal of a sweep with more distinct trainings than `limits.max_jobs`, at a useful place. */
export function overMaxJobs(
  source: SourceFile,
  def: SweepDefinition,
  counted: { readonly jobs: number; readonly stoppedAtPoint: number | undefined; readonly total: number },
): Diagnostic {
  const limit = def.limits.maxJobs;
  const written = source.has(["limits", "max_jobs"]);
  const amount =
    counted.stoppedAtPoint === undefined
      ? `${count(counted.jobs)} distinct trainings`
      : `more than ${count(limit)} distinct trainings (counting stopped at point ${count(counted.stoppedAtPoint)} of ${count(counted.total)})`;
  const unset = written ? "" : ` (limits.max_jobs is not set; its default is ${count(limit)})`;
  return {
    severity: "error",
    file: source.file,
    path: "limits.max_jobs",
    message: `this sweep plans ${amount}, over limits.max_jobs (${count(limit)})${unset}; narrow the search space or raise limits.max_jobs`,
    // Without a max_jobs line, the search space is what makes the count: point at it.
    ...(written ? source.locate(["limits", "max_jobs"]) : source.locate(["hyperparameters"], "key")),
  };
}

/** Warnings about the campaign as a whole: the instance type and the budget. */
export function campaignWarnings(
  source: SourceFile,
  def: SweepDefinition,
  usdPerHour: number | null,
  withinBudget: boolean | undefined,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (path: (string | number)[]) => ({ file: source.file, path: path.join("."), ...source.locate(path) });
  const instance = GPU_TRAINING_INSTANCES.get(def.resources.instanceType);
  if (instance && !instance.documented) {
    out.push({
      severity: "warning",
      ...at(["resources", "instance_type"]),
      message: `${instance.instanceType} is accepted by SageMaker but not listed for this algorithm in the AWS docs (P2 and P3 are); check it on one job first`,
    });
  }
  if (usdPerHour === null) {
    out.push({
      severity: "warning",
      ...at(["resources", "instance_type"]),
      message: `no on-demand price is known for ${def.resources.instanceType}: the cost bound is unknown and budget_usd cannot be checked`,
    });
  }
  if (withinBudget === false) {
    out.push({
      severity: "warning",
      ...at(["limits", "budget_usd"]),
      message: `the worst-case cost is over limits.budget_usd: \`segsweep launch\` will refuse this campaign`,
    });
  }
  return out;
}
