import type { SweepDefinition } from "../definition.js";
import { type FieldPath, formatPath } from "../diagnostic.js";
import { DISTRIBUTION_BOUNDS, DISTRIBUTION_NAMES, isDistributionName } from "./distributions.js";
import type { Param, Scalar, SearchStrategy, SpaceDiagnostic } from "./types.js";

/**
 * Reads `hyperparameters:` into params: a fixed value, a list, or a distribution (when the
 * strategy takes them). Shapes are checked here; whether a value suits the algorithm is checked
 * per point elsewhere.
 */
export type { Param } from "./types.js";

/** Builds a diagnostic whose `path` is the formatted `fieldPath`. */
export function diagnostic(severity: "error" | "warning", fieldPath: FieldPath, at: "key" | "value", message: string): SpaceDiagnostic {
  return { severity, message, path: formatPath(fieldPath), fieldPath, at };
}

/** A value as it is quoted in messages: JSON, shortened. */
export function show(value: unknown): string {
  const text =
    value === undefined
      ? "nothing"
      : typeof value === "number" && !Number.isFinite(value)
        ? yamlSpecialNumber(value)
        : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** JSON has no spelling for these; YAML's is what the user wrote. */
function yamlSpecialNumber(value: number): string {
  return Number.isNaN(value) ? ".nan" : value > 0 ? ".inf" : "-.inf";
}

/** What a single value may be, for messages (and a strategy's `allowedValues`). */
export const SCALAR = "a string, number or boolean";

/** The distributions as written, for messages: `{uniform: [low, high]}, ...`. */
export const DISTRIBUTIONS_WRITTEN = DISTRIBUTION_NAMES.map((name) => `{${name}: [low, high]}`).join(", ");

/** Why a value is not a usable scalar, or undefined when it is one. */
function scalarProblem(value: unknown): string | undefined {
  if (value === null || value === undefined) return "is empty (null)";
  if (typeof value === "number") return Number.isFinite(value) ? undefined : `is ${show(value)}, not a finite number`;
  if (typeof value === "string" || typeof value === "boolean") return undefined;
  if (Array.isArray(value)) return "is a list";
  return typeof value === "object" ? "is a mapping" : `is a ${typeof value}`;
}

/** Reads `hyperparameters:` into params sorted by key, with every shape problem found and the keys that have one. */
export function compileParams(
  def: SweepDefinition,
  strategy: SearchStrategy,
): { params: Param[]; broken: Set<string>; diagnostics: SpaceDiagnostic[] } {
  const params: Param[] = [];
  const broken = new Set<string>();
  const diagnostics: SpaceDiagnostic[] = [];
  for (const key of Object.keys(def.hyperparameters).sort()) {
    const param = compileParam(strategy, key, def.hyperparameters[key], diagnostics);
    if (param) params.push(param);
    else broken.add(key);
  }
  return { params, broken, diagnostics };
}

function compileParam(strategy: SearchStrategy, key: string, value: unknown, out: SpaceDiagnostic[]): Param | undefined {
  const path = ["hyperparameters", key];
  if (Array.isArray(value)) return compileList(key, value, out);
  if (value !== null && typeof value === "object") return compileMapping(strategy, key, value as Record<string, unknown>, out);
  const problem = scalarProblem(value);
  if (problem) {
    out.push(diagnostic("error", path, "value", `${key} ${problem}; allowed: ${strategy.allowedValues}`));
    return undefined;
  }
  return { kind: "fixed", key, value: value as Scalar };
}

function compileList(key: string, items: readonly unknown[], out: SpaceDiagnostic[]): Param | undefined {
  if (items.length === 0) {
    out.push(
      diagnostic(
        "error",
        ["hyperparameters", key],
        "value",
        `${key} is an empty list, which gives no points; list at least one value, or remove the key`,
      ),
    );
    return undefined;
  }
  let ok = true;
  const firstIndex = new Map<Scalar, number>();
  items.forEach((item, index) => {
    const problem = scalarProblem(item);
    if (problem) {
      ok = false;
      const hint = Array.isArray(item)
        ? " (write one flat list, e.g. [0.001, 0.01])"
        : item !== null && typeof item === "object"
          ? " (a distribution replaces the whole list, under strategy: random)"
          : "";
      out.push(
        diagnostic(
          "error",
          ["hyperparameters", key, index],
          "value",
          `${key}[${index}] ${problem}; list items must each be ${SCALAR}${hint}`,
        ),
      );
      return;
    }
    const earlier = firstIndex.get(item as Scalar);
    if (earlier === undefined) firstIndex.set(item as Scalar, index);
    else
      out.push(
        diagnostic(
          "warning",
          ["hyperparameters", key, index],
          "value",
          `${key} lists ${show(item)} twice (items ${earlier} and ${index}), which repeats points; remove one`,
        ),
      );
  });
  return ok ? { kind: "list", key, values: items as Scalar[] } : undefined;
}

function compileMapping(
  strategy: SearchStrategy,
  key: string,
  mapping: Record<string, unknown>,
  out: SpaceDiagnostic[],
): Param | undefined {
  const path = ["hyperparameters", key];
  const names = Object.keys(mapping);
  const onlyName = names.length === 1 ? names[0] : undefined;
  if (!strategy.distributions) {
    const message =
      onlyName !== undefined && isDistributionName(onlyName)
        ? `${key} is a distribution ({${onlyName}: ...}), which needs strategy: random; under strategy: ${strategy.name}, list the values instead, e.g. [0.001, 0.01]`
        : `${key} is a mapping; allowed: ${strategy.allowedValues}`;
    out.push(diagnostic("error", path, "value", message));
    return undefined;
  }
  if (onlyName === undefined) {
    out.push(
      diagnostic(
        "error",
        path,
        "value",
        `${key} is a mapping with ${names.length === 0 ? "no keys" : `the keys ${names.join(", ")}`}; a distribution has exactly one key, one of: ${DISTRIBUTION_NAMES.join(", ")}`,
      ),
    );
    return undefined;
  }
  if (!isDistributionName(onlyName)) {
    out.push(
      diagnostic(
        "error",
        [...path, onlyName],
        "key",
        `${key}: unknown distribution "${onlyName}"; allowed: ${DISTRIBUTION_NAMES.join(", ")}`,
      ),
    );
    return undefined;
  }
  const bounds = mapping[onlyName];
  const parsed = DISTRIBUTION_BOUNDS[onlyName].safeParse(bounds);
  if (!parsed.success) {
    const seen = new Set<string>();
    for (const issue of parsed.error.issues) {
      // Element issues repeat the tuple's message; one line per distinct message is enough.
      if (seen.has(issue.message)) continue;
      seen.add(issue.message);
      out.push(diagnostic("error", [...path, onlyName], "value", `${key}: ${onlyName} needs ${issue.message}; got ${show(bounds)}`));
    }
    return undefined;
  }
  const [low, high] = parsed.data;
  return { kind: "distribution", key, distribution: onlyName, low, high };
}
