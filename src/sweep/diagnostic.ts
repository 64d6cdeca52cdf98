/**
 * A problem (error or warning) found in a sweep file, as data. Rendering is separate
 * (src/report/diagnostics.ts); `segsweep validate --json` prints these objects as they are.
 */
export interface Diagnostic {
  readonly severity: "error" | "warning";
  /** What is wrong, what was given and what is allowed, in one sentence. */
  readonly message: string;
  /** Dotted field path in the sweep file, e.g. `hyperparameters.learning_rate[2]`. */
  readonly path?: string;
  readonly file?: string;
  /** 1-based position in the file of the value at fault, when known. */
  readonly line?: number;
  readonly column?: number;
  /** 1-based index of the expanded point, for per-point problems. */
  readonly point?: number;
}

/** A path as zod and the YAML loader give it, e.g. ["hyperparameters", "learning_rate", 2]. */
export type FieldPath = readonly (string | number)[];

/** `["hyperparameters","learning_rate",2]` -> `hyperparameters.learning_rate[2]`. */
export function formatPath(path: FieldPath): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? part : `.${part}`;
  }
  return out;
}
