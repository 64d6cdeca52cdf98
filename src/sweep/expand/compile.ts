import type { SweepDefinition } from "../definition.js";
import { checkMatrixRules } from "./check-rules.js";
import { compileMatrixRules, type MatrixRules } from "./matrix.js";
import { compileParams, diagnostic, type Param } from "./space.js";
import type { SpaceDiagnostic } from "./types.js";

/** A sweep file's search space, read once: what every strategy and `originOf` work from. */
export interface CompiledSpace {
  /** Every hyperparameter, sorted by key. */
  readonly params: readonly Param[];
  /** The searched keys: the matrix in GitHub Actions' terms. */
  readonly matrixKeys: ReadonlySet<string>;
  readonly rules: MatrixRules;
  readonly diagnostics: readonly SpaceDiagnostic[];
}

// The definition is immutable once parsed; checking, expanding and origin look-ups share one compile.
const cache = new WeakMap<SweepDefinition, CompiledSpace>();

/** Reads and checks the search space of a definition (cached per definition object). */
export function compileSearchSpace(def: SweepDefinition): CompiledSpace {
  const cached = cache.get(def);
  if (cached) return cached;
  const { params, diagnostics } = compileParams(def);
  const matrixKeys = new Set(params.filter((param) => param.kind !== "fixed").map((param) => param.key));
  const compiled: CompiledSpace = {
    params,
    matrixKeys,
    rules: compileMatrixRules(def, params, matrixKeys),
    diagnostics: [...strategyDiagnostics(def, params), ...diagnostics, ...checkMatrixRules(def, params, matrixKeys)],
  };
  cache.set(def, compiled);
  return compiled;
}

function strategyDiagnostics(def: SweepDefinition, params: readonly Param[]): SpaceDiagnostic[] {
  const out: SpaceDiagnostic[] = [];
  if (def.strategy === "grid") {
    for (const field of ["samples", "seed"] as const) {
      if (def[field] === undefined) continue;
      out.push(
        diagnostic(
          "warning",
          [field],
          "key",
          `${field} is only used by strategy: random; under strategy: grid every combination is a point, so ${field} is ignored`,
        ),
      );
    }
    return out;
  }
  if (def.samples === undefined) {
    out.push(diagnostic("error", ["strategy"], "value", "strategy: random needs samples, the number of points to draw (e.g. samples: 20)"));
    return out;
  }
  // Counted from the file, not the compiled params: a malformed distribution is still meant to be searched.
  if (!Object.values(def.hyperparameters).some((value) => value !== null && typeof value === "object")) {
    out.push(
      diagnostic(
        "warning",
        ["hyperparameters"],
        "key",
        `no hyperparameter is searched (every value is fixed), so all ${def.samples} samples are the same point; give a key a list or a distribution`,
      ),
    );
    return out;
  }
  const searched = params.filter((param) => param.kind !== "fixed");
  if (searched.length === 0) return out;
  const distinct = searched.reduce((product, param) => product * choices(param), 1);
  if (def.samples > distinct) {
    out.push(
      diagnostic(
        "warning",
        ["samples"],
        "value",
        `samples: ${def.samples} is more than the ${distinct} distinct combinations of the searched values, so draws repeat; strategy: grid covers them all exactly once`,
      ),
    );
  }
  return out;
}

/** How many values a random draw of this param can take (Infinity for a continuous distribution). */
function choices(param: Param): number {
  if (param.kind === "list") return new Set(param.values).size;
  if (param.kind === "distribution") return param.distribution === "int_uniform" ? param.high - param.low + 1 : Number.POSITIVE_INFINITY;
  return 1;
}
