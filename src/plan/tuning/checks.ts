import type { Algorithm } from "../../algorithms/types.js";
import { HYPERBAND_MAX_RESOURCE } from "../../catalog/tuning.js";
import type { SweepDefinition } from "../../sweep/definition.js";
import { diagnostic } from "../../sweep/expand/space.js";
import type { SpaceDiagnostic } from "../../sweep/expand/types.js";
import type { TuningSpace } from "./space.js";

/**
 * What a tuning-engine sweep file must satisfy besides its values: the engine and strategy agree,
 * nothing AMT cannot do is asked (include/exclude), the budget is given, and each strategy's own
 * rules (grid: categorical ranges only; Hyperband: a static epochs and no early stopping).
 * Refused here, with the field at fault, rather than by SageMaker after submission.
 */

const AMT_ONLY = ["bayesian", "hyperband"];

/** Problems of the engine, strategy, budget and the fields AMT has no use for. */
export function engineDiagnostics(def: SweepDefinition): SpaceDiagnostic[] {
  const out: SpaceDiagnostic[] = [];
  if (def.engine === "jobs" && AMT_ONLY.includes(def.strategy)) {
    out.push(
      diagnostic(
        "error",
        ["engine"],
        "value",
        `strategy: ${def.strategy} exists only on the tuning engine (SageMaker Automatic Model Tuning); remove engine: jobs, or write engine: tuning`,
      ),
    );
  }
  if (def.engine === "jobs" && def.warm_start !== undefined) {
    out.push(
      diagnostic(
        "error",
        ["warm_start"],
        "key",
        "warm_start is a feature of the tuning engine (SageMaker Automatic Model Tuning); write engine: tuning",
      ),
    );
  }
  if (def.early_termination !== undefined) {
    // The campaign's rule watches jobs segsweep launches itself (docs/early-termination.md).
    const message =
      "early_termination stops training jobs that segsweep launches itself (engine: jobs); on the tuning engine use strategy: hyperband, AMT's own early stopping";
    out.push(diagnostic("error", ["early_termination"], "key", message));
  }
  for (const field of ["include", "exclude"] as const) {
    if (def[field].length === 0) continue;
    out.push(
      diagnostic(
        "error",
        [field],
        "key",
        `${field} is not available on the tuning engine: a tuning job searches whole ranges and cannot add or drop points; remove ${field}, or use engine: jobs`,
      ),
    );
  }
  if (def.strategy !== "grid" && def.samples === undefined) {
    out.push(
      diagnostic(
        "error",
        ["strategy"],
        "value",
        `strategy: ${def.strategy} needs samples, the number of training jobs the tuning job may run (MaxNumberOfTrainingJobs), e.g. samples: 20`,
      ),
    );
  }
  if (def.seed !== undefined && def.seed < 0) {
    out.push(diagnostic("error", ["seed"], "value", `seed: ${def.seed} is negative; AMT's RandomSeed is an integer ≥ 0`));
  }
  return out;
}

/** Problems of the search space under the file's strategy. */
export function strategyDiagnostics(def: SweepDefinition, space: TuningSpace, algorithm: Algorithm): SpaceDiagnostic[] {
  const out: SpaceDiagnostic[] = [];
  if (space.tuned.length === 0) {
    out.push(
      diagnostic(
        "error",
        ["hyperparameters"],
        "key",
        "nothing is searched: a tuning job needs at least one range; give a hyperparameter a list of values or a distribution",
      ),
    );
  }
  if (def.strategy === "grid") {
    for (const t of space.tuned) {
      if (t.kind === "categorical") continue;
      out.push(
        diagnostic(
          "error",
          ["hyperparameters", t.name],
          "value",
          `${t.name} is a distribution, but AMT's grid search takes categorical ranges only; list the values, or use strategy: random or bayesian`,
        ),
      );
    }
  }
  if (def.strategy === "hyperband") out.push(...hyperbandDiagnostics(space, algorithm));
  return out;
}

function hyperbandDiagnostics(space: TuningSpace, algorithm: Algorithm): SpaceDiagnostic[] {
  const out: SpaceDiagnostic[] = [];
  const tunedNames = new Set(space.tuned.map((t) => t.name));
  if (tunedNames.has("epochs")) {
    out.push(
      diagnostic(
        "error",
        ["hyperparameters", "epochs"],
        "value",
        "strategy: hyperband reads each job's budget from a static epochs (AMT infers MaxResource from it); give epochs one value, not a range",
      ),
    );
  } else {
    const epochs = Number(space.fixed.find((f) => f.name === "epochs")?.sent ?? algorithm.parameter("epochs")?.default);
    if (epochs > HYPERBAND_MAX_RESOURCE) {
      out.push(
        diagnostic(
          "error",
          ["hyperparameters", "epochs"],
          "value",
          `epochs: ${epochs} is more than Hyperband allows (${HYPERBAND_MAX_RESOURCE.toLocaleString("en-US")} epochs, HyperbandStrategyConfig)`,
        ),
      );
    }
  }
  const early = space.tuned.find((t) => t.name === "early_stopping");
  const earlyOn =
    early?.kind === "categorical"
      ? early.values.includes("True")
      : space.fixed.some((f) => f.name === "early_stopping" && f.sent === "True");
  if (earlyOn) {
    out.push(
      diagnostic(
        "error",
        ["hyperparameters", "early_stopping"],
        "value",
        "strategy: hyperband stops jobs itself, so training-job early stopping must be off: AMT requires TrainingJobEarlyStoppingType Off, and the algorithm's early_stopping would end jobs Hyperband is still measuring; set early_stopping: false",
      ),
    );
  }
  return out;
}
