import type { Algorithm } from "../../algorithms/types.js";
import { AMT_MAX_CATEGORICAL_VALUES } from "../../catalog/tuning.js";
import type { FieldPath } from "../../sweep/diagnostic.js";
import type { Param } from "../../sweep/expand/space.js";
import { diagnostic } from "../../sweep/expand/space.js";
import type { SpaceDiagnostic } from "../../sweep/expand/types.js";

/**
 * A sweep's `hyperparameters:` as AMT sees them: lists become categorical ranges, `uniform` and
 * `log_uniform` continuous ranges, `int_uniform` integer ranges, scalars static values. Every
 * value and both ends of every range are checked against the algorithm's own rules, open and
 * closed ends included (`{log_uniform: [1e-5, 2]}` is refused for `learning_rate`, `0 < x ≤ 1`),
 * and sent in the algorithm's form (`true` -> `True`, `1e-3` -> `0.001`).
 */

/** A list: a categorical range, values as sent, duplicates (after normalising) dropped. */
export interface CategoricalTuned {
  readonly kind: "categorical";
  readonly name: string;
  readonly values: readonly string[];
}

/** A distribution: an integer or continuous range with its scaling. */
export interface NumericTuned {
  readonly kind: "integer" | "continuous";
  readonly name: string;
  /** The ends as sent. */
  readonly min: string;
  readonly max: string;
  readonly low: number;
  readonly high: number;
  readonly scaling: "Linear" | "Logarithmic";
}

/** A searched hyperparameter. */
export type Tuned = CategoricalTuned | NumericTuned;

/** A scalar: the same for every training job. */
export interface Fixed {
  readonly name: string;
  readonly sent: string;
}

/** The search space in AMT's terms, and what is wrong with it. */
export interface TuningSpace {
  readonly tuned: readonly Tuned[];
  readonly fixed: readonly Fixed[];
  readonly diagnostics: readonly SpaceDiagnostic[];
}

/** Reads the compiled params (sorted by key) into ranges and static values. Names must already be known. */
export function compileTuningSpace(params: readonly Param[], algorithm: Algorithm): TuningSpace {
  const tuned: Tuned[] = [];
  const fixed: Fixed[] = [];
  const diagnostics: SpaceDiagnostic[] = [];
  for (const param of params) {
    if (algorithm.parameter(param.key) === undefined) continue; // reported by checkParameterNames
    const path: FieldPath = ["hyperparameters", param.key];
    if (param.kind === "fixed") {
      const check = algorithm.checkValue(param.key, param.value);
      if (!check.ok) diagnostics.push(diagnostic("error", path, "value", check.message));
      else {
        if (check.warning !== undefined) diagnostics.push(diagnostic("warning", path, "value", check.warning));
        fixed.push({ name: param.key, sent: check.sent });
      }
    } else if (param.kind === "list") {
      const range = categorical(param.key, param.values, algorithm, diagnostics);
      if (range !== undefined) tuned.push(range);
    } else {
      const range = numeric(param, algorithm, diagnostics);
      if (range !== undefined) tuned.push(range);
    }
  }
  return { tuned, fixed, diagnostics };
}

function categorical(name: string, values: readonly unknown[], algorithm: Algorithm, out: SpaceDiagnostic[]): CategoricalTuned | undefined {
  const sent: string[] = [];
  let ok = true;
  values.forEach((value, index) => {
    const path: FieldPath = ["hyperparameters", name, index];
    const check = algorithm.checkValue(name, value);
    if (!check.ok) {
      ok = false;
      out.push(diagnostic("error", path, "value", check.message));
      return;
    }
    if (check.warning !== undefined) out.push(diagnostic("warning", path, "value", check.warning));
    // Duplicates as written are reported by the search-space check; these differ only once normalised (16 and "16.0").
    if (sent.includes(check.sent) && values.indexOf(value) === index) {
      out.push(
        diagnostic(
          "warning",
          path,
          "value",
          `${name}: ${JSON.stringify(value)} is sent as ${check.sent}, like an earlier value: one is kept`,
        ),
      );
    }
    if (!sent.includes(check.sent)) sent.push(check.sent);
  });
  if (sent.length > AMT_MAX_CATEGORICAL_VALUES) {
    ok = false;
    out.push(
      diagnostic(
        "error",
        ["hyperparameters", name],
        "value",
        `${name} lists ${sent.length} values; an AMT categorical range takes at most ${AMT_MAX_CATEGORICAL_VALUES} (CategoricalParameterRange.Values)`,
      ),
    );
  }
  return ok ? { kind: "categorical", name, values: sent } : undefined;
}

function numeric(param: Extract<Param, { kind: "distribution" }>, algorithm: Algorithm, out: SpaceDiagnostic[]): NumericTuned | undefined {
  const { key: name, distribution, low, high } = param;
  const path: FieldPath = ["hyperparameters", name, distribution];
  const spec = algorithm.parameter(name);
  const kind = spec?.type === "integer" ? "integer" : spec?.type === "continuous" ? "continuous" : undefined;
  // A distribution on a non-numeric parameter, or the wrong one for an integer, is reported by checkParameterNames.
  if (kind === undefined || (kind === "integer") !== (distribution === "int_uniform")) return undefined;
  const ends: string[] = [];
  for (const [which, value] of [
    ["lower", low],
    ["upper", high],
  ] as const) {
    const check = algorithm.checkValue(name, value);
    if (!check.ok) out.push(diagnostic("error", path, "value", `the range's ${which} end does not fit: ${check.message}`));
    else ends.push(check.sent);
  }
  const [min, max] = ends;
  if (min === undefined || max === undefined) return undefined;
  // log_uniform already needs low > 0, which AMT's Logarithmic scaling requires too (docs/sources.md#amt).
  return { kind, name, min, max, low, high, scaling: distribution === "log_uniform" ? "Logarithmic" : "Linear" };
}
