import { type PartialAssignment, SweepDefinition } from "../../../src/sweep/definition.js";
import { type ExpansionStats, expandPoints, type Scalar, type SpaceDiagnostic } from "../../../src/sweep/expand/index.js";

/** The search-space part of a sweep file; the rest is filled with valid defaults. */
export interface SpaceInput {
  readonly name?: string | undefined;
  readonly strategy?: "grid" | "random" | undefined;
  readonly samples?: number | undefined;
  readonly seed?: number | undefined;
  readonly hyperparameters: Record<string, unknown>;
  readonly include?: PartialAssignment[] | undefined;
  readonly exclude?: PartialAssignment[] | undefined;
}

/** Parses a sweep through the real schema, as `segsweep plan` would. */
export function sweep(input: SpaceInput): SweepDefinition {
  return SweepDefinition.parse({
    name: "demo",
    data: {
      train: "train/",
      validation: "validation/",
      train_annotation: "train_annotation/",
      validation_annotation: "validation_annotation/",
    },
    ...input,
  });
}

/** Every point's values, plus the stats, for a definition without errors. */
export function expandAll(def: SweepDefinition): { values: Record<string, Scalar>[]; stats: ExpansionStats } {
  const stats: ExpansionStats = { expanded: 0, excluded: 0 };
  const values = [...expandPoints(def, stats)].map((point) => ({ ...point.values }));
  return { values, stats };
}

/** Diagnostics as `severity path: message` lines, easy to read in a failing assertion. */
export function lines(diagnostics: readonly SpaceDiagnostic[]): string[] {
  return diagnostics.map((d) => `${d.severity} ${d.path}: ${d.message}`);
}

/** Canonical text of a point (sorted keys), to compare sets of points regardless of order. */
export function canonical(values: Readonly<Record<string, Scalar>>): string {
  return JSON.stringify(
    Object.keys(values)
      .sort()
      .map((key) => [key, values[key]]),
  );
}
