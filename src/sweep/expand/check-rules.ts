import type { PartialAssignment, SweepDefinition } from "../definition.js";
import { diagnostic, show } from "./space.js";
import type { Param, Scalar, SearchStrategy, SpaceDiagnostic, SpaceParams } from "./types.js";

/**
 * Checks `exclude` and `include` against the search space before expansion. Errors where GitHub
 * Actions errors (an empty entry; an exclude key that is not a matrix key), warnings where an
 * entry cannot do what it was probably written for.
 */
export function checkMatrixRules(
  def: SweepDefinition,
  strategy: SearchStrategy,
  { params, broken }: SpaceParams,
  matrixKeys: ReadonlySet<string>,
): SpaceDiagnostic[] {
  const out: SpaceDiagnostic[] = [];
  const byKey = new Map(params.map((param) => [param.key, param]));
  const searched = matrixKeys.size === 0 ? "there are none: every value is fixed" : [...matrixKeys].join(", ");

  def.exclude.forEach((entry, index) => {
    if (isEmpty(out, "exclude", index, entry, "that a point must all match to be dropped")) return;
    let canMatch = true;
    for (const [key, value] of Object.entries(entry)) {
      // A key whose value has an error is reported there; what it would have been is unknown.
      if (broken.has(key)) continue;
      const param = byKey.get(key);
      if (!matrixKeys.has(key)) {
        const why = param?.kind === "fixed" ? `${key} is fixed (${show(param.value)}), not searched` : `${key} is not in hyperparameters`;
        out.push(
          diagnostic(
            "error",
            ["exclude", index, key],
            "key",
            `exclude[${index}] names ${key}, but ${why}; exclude may only name searched keys (${strategy.searchedKeys}): ${searched}`,
          ),
        );
        canMatch = false;
        continue;
      }
      const problem = param ? mismatch(param, value) : undefined;
      if (canMatch && problem) {
        out.push(
          diagnostic("warning", ["exclude", index, key], "value", `exclude[${index}] drops no point: ${key}: ${show(value)} ${problem}`),
        );
        canMatch = false;
      }
    }
  });

  def.include.forEach((entry, index) => {
    if (isEmpty(out, "include", index, entry, "to add to matching points, or as a new point")) return;
    for (const [key, value] of Object.entries(entry)) {
      const param = byKey.get(key);
      if (param?.kind !== "list" || !matrixKeys.has(key) || param.values.includes(value)) continue;
      const near = looseMatch(param.values, value);
      if (near === undefined) continue; // a value outside the list is how include adds new points
      out.push(
        diagnostic(
          "warning",
          ["include", index, key],
          "value",
          `include[${index}] sets ${key}: ${show(value)}, which is not one of its values (values compare exactly: did you mean ${show(near)}?), so this entry adds a new point instead of extending the points with ${key}: ${show(near)}`,
        ),
      );
    }
  });
  return out;
}

function isEmpty(out: SpaceDiagnostic[], field: "include" | "exclude", index: number, entry: PartialAssignment, purpose: string): boolean {
  if (Object.keys(entry).length > 0) return false;
  out.push(diagnostic("error", [field, index], "value", `${field}[${index}] is empty; an entry lists key: value pairs ${purpose}`));
  return true;
}

/** Why a searched key can never take this value, or undefined when it can. */
function mismatch(param: Param, value: Scalar): string | undefined {
  switch (param.kind) {
    case "fixed":
      return undefined;
    case "list": {
      if (param.values.includes(value)) return undefined;
      const near = looseMatch(param.values, value);
      const hint = near === undefined ? "" : ` (values compare exactly: did you mean ${show(near)}?)`;
      return `is not one of its values ${show(param.values)}${hint}`;
    }
    case "distribution": {
      if (typeof value !== "number")
        return `is not a number, and ${param.key} draws numbers from ${param.distribution}: [${param.low}, ${param.high}]`;
      if (value < param.low || value > param.high) return `is outside its range ${param.distribution}: [${param.low}, ${param.high}]`;
      if (param.distribution === "int_uniform" && !Number.isInteger(value)) return "is not an integer, and int_uniform draws integers";
      return undefined;
    }
  }
}

/** A value that equals `value` ignoring case and type (what GitHub Actions' `==` would accept). */
function looseMatch(values: readonly Scalar[], value: Scalar): Scalar | undefined {
  const wanted = String(value).toLowerCase();
  return values.find((candidate) => String(candidate).toLowerCase() === wanted);
}
