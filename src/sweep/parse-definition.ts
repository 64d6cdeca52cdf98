import type { z } from "zod";
import { didYouMean } from "../util/suggest.js";
import { AugmentedManifestData, LimitsFields, ResourcesFields, S3PrefixData, SweepDefinition } from "./definition.js";
import { type Diagnostic, type FieldPath, formatPath } from "./diagnostic.js";
import { EARLY_TERMINATION_KEYS } from "./early-termination.js";
import type { SourceFile } from "./load.js";
import { type Salvaged, salvageDefinition } from "./salvage.js";
import { WarmStart } from "./tuning-fields.js";

/**
 * Turns the parsed file into a SweepDefinition, or into diagnostics that say where (file, line,
 * column, field), what was given and what is allowed. Messages come from the zod schema: the
 * schema's own texts say what is allowed; this module only adds where and what was given.
 */
export type DefinitionResult =
  | { readonly ok: true; readonly definition: SweepDefinition }
  | {
      readonly ok: false;
      readonly diagnostics: readonly Diagnostic[];
      /** When only sections outside the search space are broken: a definition to check the space and values with. */
      readonly salvaged?: Salvaged;
    };

/** Field names allowed in each mapping of the file, read off the schema (for unknown-key suggestions). */
const KNOWN_KEYS: Readonly<Record<string, readonly string[]>> = {
  "": Object.keys(SweepDefinition.shape),
  resources: Object.keys(ResourcesFields.shape),
  limits: Object.keys(LimitsFields.shape),
  data: [...Object.keys(S3PrefixData.shape), ...Object.keys(AugmentedManifestData.shape)],
  "data.augmented_manifest": Object.keys(AugmentedManifestData.shape.augmented_manifest.shape),
  early_termination: EARLY_TERMINATION_KEYS,
  warm_start: Object.keys(WarmStart.shape),
};

export function parseDefinition(source: SourceFile): DefinitionResult {
  const result = SweepDefinition.safeParse(source.data, { error: allowedText });
  if (result.success) return { ok: true, definition: result.data };
  const diagnostics = flattenIssues(result.error.issues).map((issue) => toDiagnostic(source, issue));
  const salvaged = salvageDefinition(source.data, result.error.issues);
  return { ok: false, diagnostics, ...(salvaged ? { salvaged } : {}) };
}

/** Default texts, phrased as what is allowed (schema-level messages take precedence over these). */
function allowedText(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      return `${article(issue.expected)} ${issue.expected}`;
    case "too_big":
      return `${issue.origin === "array" ? "at most" : issue.inclusive ? "at most" : "less than"} ${String(issue.maximum)}${issue.origin === "string" ? " characters" : issue.origin === "array" ? " items" : ""}`;
    case "too_small":
      return `${issue.origin === "array" ? "at least" : issue.inclusive ? "at least" : "more than"} ${String(issue.minimum)}${issue.origin === "string" ? " characters" : issue.origin === "array" ? " items" : ""}`;
    case "invalid_value":
      return `one of: ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "not_multiple_of":
      return `an integer${issue.divisor === 1 ? "" : ` multiple of ${String(issue.divisor)}`}`;
    default:
      return undefined;
  }
}

function article(noun: string): string {
  return /^[aeiou]/.test(noun) ? "an" : "a";
}

/** A union failure (the `data` block) is reported through the branch that came closest. */
function flattenIssues(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== "invalid_union" || issue.errors.length === 0) return [issue];
    const closest = issue.errors.reduce((best, branch) => (branch.length < best.length ? branch : best));
    // The value itself is of the wrong kind (missing, a string...): the union's own message says what is allowed.
    if (closest.some((inner) => inner.path.length === 0)) return [issue];
    return flattenIssues(closest.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] })));
  });
}

function toDiagnostic(source: SourceFile, issue: z.core.$ZodIssue): Diagnostic {
  const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
  if (issue.code === "unrecognized_keys") return unknownKeyDiagnostic(source, path, issue.keys);
  const given = valueAt(source.data, path);
  const where = formatPath(path) || "(top level)";
  const message =
    given === undefined
      ? `${where} is required: ${issue.message}`
      : `${where}: ${formatValue(given)} is not allowed; expected ${expected(issue, given)}`;
  return { severity: "error", file: source.file, path: where, message, ...(position(source, path, given) ?? {}) };
}

/** What is allowed, with a did-you-mean for a near-miss of a listed value (`Random` -> `random`). */
function expected(issue: z.core.$ZodIssue, given: unknown): string {
  if (typeof given === "number" && !Number.isFinite(given)) return issue.message.replace(/^an? number$/, "a finite number");
  if (issue.code !== "invalid_value" || typeof given !== "string") return issue.message;
  const hint = didYouMean(
    given,
    issue.values.filter((v): v is string => typeof v === "string"),
  );
  return hint === undefined ? issue.message : `${issue.message} (did you mean ${JSON.stringify(hint)}?)`;
}

/**
 * Where to point: the value; for a missing field, its parent's key (the block it belongs in), or,
 * for a missing top-level field, no line at all rather than 1:1.
 */
function position(source: SourceFile, path: FieldPath, given: unknown): { line: number; column: number } | undefined {
  if (given !== undefined) return source.locate(path);
  if (path.length <= 1) return undefined;
  return source.locate(path.slice(0, -1), "key");
}

function unknownKeyDiagnostic(source: SourceFile, parent: FieldPath, keys: readonly string[]): Diagnostic {
  const allowed = KNOWN_KEYS[formatPath(parent)] ?? [];
  const messages = keys.map((key) => {
    const hint = didYouMean(key, allowed);
    const where = formatPath([...parent, key]);
    return `${where} is not a known field${hint ? ` (did you mean "${hint}"?)` : ""}; allowed here: ${allowed.join(", ")}`;
  });
  const first = keys[0] ?? "";
  const path = [...parent, first];
  return { severity: "error", file: source.file, path: formatPath(path), message: messages.join("\n"), ...source.locate(path, "key") };
}

/** The raw value at a path of the parsed file. */
export function valueAt(data: unknown, path: FieldPath): unknown {
  let node = data;
  for (const part of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string | number, unknown>)[part];
  }
  return node;
}

/** A value as it appears in messages: strings quoted, long values cut, `.inf` and `.nan` as YAML writes them. */
export function formatValue(value: unknown): string {
  if (typeof value === "number" && !Number.isFinite(value)) return Number.isNaN(value) ? ".nan" : value > 0 ? ".inf" : "-.inf";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
