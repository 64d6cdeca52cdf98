import type { SweepDefinition } from "../definition.js";
import { checkMatrixRules } from "./check-rules.js";
import { compileMatrixRules, type MatrixRules } from "./matrix.js";
import { compileParams } from "./space.js";
import type { Param, SearchStrategy, SpaceDiagnostic } from "./types.js";

/** A sweep file's search space, read once: what every strategy and `originOf` work from. */
export interface CompiledSpace {
  /** Every hyperparameter whose value compiled, sorted by key. */
  readonly params: readonly Param[];
  /** Keys of `hyperparameters:` whose value has an error (not in `params`). */
  readonly broken: ReadonlySet<string>;
  /** The searched keys: the matrix in GitHub Actions' terms. */
  readonly matrixKeys: ReadonlySet<string>;
  readonly rules: MatrixRules;
  readonly diagnostics: readonly SpaceDiagnostic[];
}

// The definition is immutable once parsed; checking, expanding and origin look-ups share one compile.
const cache = new WeakMap<SweepDefinition, CompiledSpace>();

/** Reads and checks the search space of a definition under its strategy (cached per definition object). */
export function compileSearchSpace(def: SweepDefinition, strategy: SearchStrategy): CompiledSpace {
  const cached = cache.get(def);
  if (cached) return cached;
  const { params, broken, diagnostics } = compileParams(def, strategy);
  const matrixKeys = new Set(params.filter((param) => param.kind !== "fixed").map((param) => param.key));
  const compiled: CompiledSpace = {
    params,
    broken,
    matrixKeys,
    rules: compileMatrixRules(def, params, matrixKeys),
    diagnostics: [
      ...strategy.check(def, { params, broken }),
      ...diagnostics,
      ...checkMatrixRules(def, strategy, { params, broken }, matrixKeys),
    ],
  };
  cache.set(def, compiled);
  return compiled;
}
