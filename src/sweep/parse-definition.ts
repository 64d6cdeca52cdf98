import type { z } from "zod";
import { didYouMean } from "../util/suggest.js";
import { AugmentedManifestData, LimitsFields, ResourcesFields, S3PrefixData, SweepDefinition } from "./definition.js";
import { type Diagnostic, type FieldPath, formatPath } from "./diagnostic.js";
import { EARLY_TERMINATION_KEYS } from "./early-termination.js";
import type { SourceFile } from "./load.js";
import { WarmStart } from "./tuning-fields.js";

/**
 * Turns the parsed file into a SweepDefinition, or into diagnostics that say where (file, line,
 * column, field), what was given and what is allowed. Messages come from the zod schema: the
 * schema's own texts say what is allowed; this module only adds where and what was given.
 */
export type DefinitionResult =
  | { readonly ok: true; readonly definition: SweepDefinition }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

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
  return { ok: false, diagnostics: flattenIssues(result.error.issues).map((issue) => toDiagnostic(source, issue)) };
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
      : `${where}: ${formatValue(given)} is not allowed; expected ${issue.message}`;
  return { severity: "error", file: source.file, path: where, message, ...source.locate(path) };
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

/** A value as it appears in messages: strings quoted, long values cut. */
export function formatValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
