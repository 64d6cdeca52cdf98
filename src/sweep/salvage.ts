import type { z } from "zod";
import { SweepDefinition } from "./definition.js";

/**
 * When some sections of a sweep file are invalid, the others are still worth checking in the same
 * run: a file with a bad `resources:` and a bad hyperparameter value should show both. This builds
 * the definition the search space would have with the broken sections left at their defaults, so
 * that the search space and every point's values can be checked. It is never planned.
 */

/** Top-level fields the search space is read from: when one of them is broken, the space is not checked. */
const SEARCH_FIELDS: ReadonlySet<string> = new Set(["strategy", "samples", "seed", "hyperparameters", "include", "exclude"]);

/** Stand-ins for required fields without a default; they reach no message (broken sections are reported). */
const PLACEHOLDERS: Readonly<Record<string, unknown>> = {
  name: "invalid-name",
  data: { train: "x/", validation: "x/", train_annotation: "x/", validation_annotation: "x/" },
};

/** A definition for checking the search space of a file whose other sections are broken. */
export interface Salvaged {
  readonly definition: SweepDefinition;
  /** The top-level fields that were broken (their defaults stand in for them). */
  readonly broken: ReadonlySet<string>;
}

/** The salvaged definition, or undefined when the search space itself is broken (or nothing else is). */
export function salvageDefinition(data: unknown, issues: readonly z.core.$ZodIssue[]): Salvaged | undefined {
  if (data === null || typeof data !== "object" || Array.isArray(data)) return undefined;
  const broken = new Set<string>();
  for (const issue of issues) {
    const top = issue.path[0];
    if (top !== undefined) broken.add(String(top));
    else if (issue.code === "unrecognized_keys") for (const key of issue.keys) broken.add(key);
    else return undefined;
  }
  if (broken.size === 0 || [...broken].some((field) => SEARCH_FIELDS.has(field))) return undefined;
  const patched: Record<string, unknown> = { ...(data as Record<string, unknown>) };
  for (const field of broken) {
    if (Object.hasOwn(PLACEHOLDERS, field)) patched[field] = PLACEHOLDERS[field];
    else delete patched[field];
  }
  const again = SweepDefinition.safeParse(patched);
  return again.success ? { definition: again.data, broken } : undefined;
}
