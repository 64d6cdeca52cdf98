import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import {
  APPLIES_ONLY_WHEN,
  FIELDS,
  HYPERPARAMETER_NAMES,
  type HyperparameterName,
  resolveHyperparameters,
} from "../../../src/algorithms/semantic-segmentation/index.js";

/** docs/contract.md tells users what is enforced: its table must say what the code does. */
const page = readFileSync(new URL("../../../docs/contract.md", import.meta.url), "utf8");
// Only the parameters' section: other sections have tables of their own.
const start = page.indexOf("## The 24 parameters");
const doc = page.slice(start, page.indexOf("\n## ", start + 1));
const rows = doc
  .split("\n")
  .filter((line) => line.startsWith("| `"))
  .map((line) =>
    line
      .split("|")
      .slice(1, -1)
      .map((cell) => cell.trim()),
  )
  .filter((cells) => cells.length === 6); // the parameter table, not the table of rules

/** A point in which `name` applies, leaving `name` itself out. */
function pointWhereApplies(name: HyperparameterName): Record<string, unknown> {
  const point: Record<string, unknown> = { num_classes: 21, num_training_samples: 10 };
  const rule = APPLIES_ONLY_WHEN[name];
  if (rule !== undefined) point[rule.on] = rule.is;
  if (point.lr_scheduler === "step") point.lr_scheduler_step = "5";
  delete point[name];
  return point;
}

describe("docs/contract.md, the hyperparameter contract", () => {
  test("has one row per parameter, in table order", () => {
    expect(rows.map((row) => row[0])).toEqual(HYPERPARAMETER_NAMES.map((name) => `\`${name}\``));
  });

  test.each(HYPERPARAMETER_NAMES.map((name, i) => [name, rows[i] ?? []] as const))("row %s matches the code", (name, row) => {
    const [, required, kind, allowed, defaultSent, appliesWhen] = row;
    const field = FIELDS[name];
    expect(kind).toBe(field.kind);
    expect(allowed).toBe(field.allowed);
    expect(required === "**yes**").toBe(field.required);
    const rule = APPLIES_ONLY_WHEN[name];
    expect(appliesWhen).toBe(rule === undefined ? "always" : `${rule.on} is ${rule.is}`);
    const resolution = resolveHyperparameters(pointWhereApplies(name));
    const actualDefault = resolution.ok ? resolution.hyperparameters[name] : undefined;
    expect(defaultSent).toBe(actualDefault === undefined ? "—" : `\`${actualDefault}\``);
  });
});
