import type { SweepDefinition } from "../../sweep/definition.js";
import type { Diagnostic } from "../../sweep/diagnostic.js";
import type { SourceFile } from "../../sweep/load.js";

/**
 * The answer of the jobs engine's planner (planSweep, planJobsSweepFile) to a sweep that runs on
 * the tuning engine. The commands plan through planSweepFile, which plans such a sweep on the
 * tuning engine instead (docs/tuning.md); this refusal is for what handles only jobs-engine plans.
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
    message: `this sweep runs on the tuning engine (SageMaker Automatic Model Tuning, set by ${field}); \`segsweep plan\` and \`validate\` check it, but this step handles only jobs-engine sweeps`,
    ...(source.locate([field], "key") ?? {}),
  };
}
