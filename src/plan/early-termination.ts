import type { SweepDefinition } from "../sweep/definition.js";
import type { Diagnostic } from "../sweep/diagnostic.js";
import { type EarlyTermination, judgedEpochs, PER_EPOCH_OBJECTIVES } from "../sweep/early-termination.js";
import type { SweepPoint } from "../sweep/expand/index.js";
import type { SourceFile } from "../sweep/load.js";
import type { PointIssues } from "./point-issues.js";

/**
 * `plan`'s checks of the `early_termination:` block, point by point (docs/early-termination.md):
 * every point's `epochs` must leave the rule an epoch to judge at; the objective must be one the
 * algorithm reports after every epoch; and a warning where the algorithm's own early stopping can
 * end a job before the campaign's rule has finished judging it. Also what `plan` shows: the
 * epochs the rule judges at, per distinct `epochs`.
 */

/** The block as the plan carries it: the rule and the epochs it judges at. */
export interface EarlyTerminationPlan {
  readonly config: EarlyTermination;
  readonly objective: string;
  /** Per distinct `epochs` among the jobs: the epochs judged at (ASHA's rungs), and how many points train that long. */
  readonly judged: readonly { readonly epochs: number; readonly at: readonly number[]; readonly points: number }[];
}

/** The algorithm's defaults (the seed's table), for points that do not send a value. */
const DEFAULTS = { epochs: 10, early_stopping_min_epochs: 5, early_stopping_patience: 4 };

function integer(sent: Readonly<Record<string, string>>, key: keyof typeof DEFAULTS): number {
  const value = Number(sent[key]);
  return Number.isFinite(value) ? value : DEFAULTS[key];
}

/** Collects what the checks need while the plan walks the points. */
export class EarlyTerminationCheck {
  private readonly byEpochs = new Map<number, number>();

  private constructor(
    private readonly config: EarlyTermination,
    private readonly objective: string,
  ) {}

  /** A check for `def`, or undefined when it has no early_termination block. */
  static of(def: SweepDefinition): EarlyTerminationCheck | undefined {
    return def.early_termination === undefined ? undefined : new EarlyTerminationCheck(def.early_termination, def.objective);
  }

  /** Checks one valid point (its hyperparameters as sent), adding problems to the plan's per-point issues. */
  addPoint(sent: Readonly<Record<string, string>>, point: SweepPoint, issues: PointIssues): void {
    const epochs = integer(sent, "epochs");
    this.byEpochs.set(epochs, (this.byEpochs.get(epochs) ?? 0) + 1);
    const judged = judgedEpochs(this.config, epochs);
    const last = judged.at(-1);
    if (last === undefined) {
      const message = `epochs ${epochs} leaves early_termination nothing to judge: min_epochs (${this.config.minEpochs}) must be below epochs; lower min_epochs or train longer`;
      issues.add("error", { key: "epochs", value: sent.epochs, message }, point);
      return;
    }
    if (sent.early_stopping !== "True") return;
    // The algorithm can first stop a job once min_epochs have run and `patience` epochs went stale.
    const earliest = Math.max(integer(sent, "early_stopping_min_epochs"), 1 + integer(sent, "early_stopping_patience"));
    if (earliest >= last) return;
    const message = `early_stopping: True can end a job on a plateau at epoch ${earliest}, before early_termination (${this.config.rule}) has judged it at epoch ${last}: the two then compare jobs cut at different epochs; set early_stopping: False, or early_stopping_min_epochs to at least ${last}`;
    issues.add("warning", { key: "early_stopping", value: sent.early_stopping, message }, point);
  }

  /** Problems of the block as a whole (the objective), positioned in the file. */
  fileDiagnostics(source: SourceFile): Diagnostic[] {
    if (PER_EPOCH_OBJECTIVES.includes(this.objective)) return [];
    return [
      {
        severity: "error",
        file: source.file,
        path: "objective",
        message: `early_termination judges on the objective after every epoch, and the algorithm reports only ${PER_EPOCH_OBJECTIVES.join(" and ")} that way; got ${this.objective}`,
        ...source.locate(["objective"]),
      },
    ];
  }

  /** What the plan shows. */
  summary(): EarlyTerminationPlan {
    const judged = [...this.byEpochs]
      .sort(([a], [b]) => a - b)
      .map(([epochs, points]) => ({ epochs, at: judgedEpochs(this.config, epochs), points }));
    return { config: this.config, objective: this.objective, judged };
  }
}

/** One line for `plan`: the rule and where it judges, e.g. "asha, η 3 · epochs 30: judged after 3, 9, 27 (48 jobs)". */
export function describeEarlyTermination(plan: EarlyTerminationPlan): string {
  const { config } = plan;
  const rule =
    config.rule !== "asha"
      ? "median stopping rule"
      : config.cutoff === "quantile"
        ? `ASHA, a job below the ${Math.round(1000 * (1 - 1 / config.reductionFactor)) / 10}% quantile of the earlier ones stops at each rung`
        : `ASHA, top 1/${config.reductionFactor} go on at each rung`;
  const where = plan.judged.map(({ epochs, at, points }) => {
    const list = at.length > 8 ? `${at.slice(0, 3).join(", ")} … ${at.at(-1)}` : at.join(", ");
    return `epochs ${epochs}: judged after ${list} (${points} point${points === 1 ? "" : "s"})`;
  });
  return `${rule} on ${plan.objective} · ${where.join(" · ")}`;
}
