import type { SweepDefinition } from "../../sweep/definition.js";
import type { Diagnostic } from "../../sweep/diagnostic.js";
import type { SourceFile } from "../../sweep/load.js";

/**
 * The answer of the jobs engine's planner (and so of `launch`, `status`, `report`, `stop`, which
 * plan through it) to a sweep that runs on the tuning engine: `plan` and `validate` check and show
 * such a sweep; running it comes with the tuning engine's launcher (docs/tuning.md).
 */
export function notOnThisEngine(source: SourceFile, def: SweepDefinition): Diagnostic {
  const field =
    def.engine === "tuning"
      ? "engine"
      : def.warm_start !== undefined && def.strategy !== "bayesian" && def.strategy !== "hyperband"
        ? "warm_start"
        : "strategy";
  return {
    severity: "error",
    file: source.file,
    path: field,
    message: `this sweep runs on the tuning engine (SageMaker Automatic Model Tuning, set by ${field}); \`segsweep plan\` and \`validate\` check it, but this command does not run tuning campaigns yet`,
    ...(source.locate([field], "key") ?? {}),
  };
}
