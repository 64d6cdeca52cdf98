import { describe, expect, it } from "vitest";
import { parseSweepText } from "../../src/sweep/load.js";
import { parseDefinition } from "../../src/sweep/parse-definition.js";

const VALID = `name: demo
hyperparameters:
  num_classes: 21
  learning_rate: [0.1, 0.01]
data:
  train: a/
  validation: b/
  train_annotation: c/
  validation_annotation: d/
`;

function definitionErrors(text: string) {
  const parsed = parseSweepText(text, "sweeps/demo.yaml");
  if (!parsed.ok) return parsed.diagnostics;
  const result = parseDefinition(parsed.source);
  return result.ok ? [] : result.diagnostics;
}

describe("reading a sweep file", () => {
  it("locates a value by its field path, 1-based", () => {
    const parsed = parseSweepText(VALID, "f.yaml");
    if (!parsed.ok) throw new Error("expected to parse");
    expect(parsed.source.locate(["hyperparameters", "learning_rate", 1])).toEqual({ line: 4, column: 24 });
    expect(parsed.source.locate(["hyperparameters", "learning_rate"], "key")).toEqual({ line: 4, column: 3 });
    // a missing field points at its nearest existing parent
    expect(parsed.source.locate(["limits", "max_jobs"])).toEqual({ line: 1, column: 1 });
  });

  it("reports YAML syntax errors with their line", () => {
    const errors = definitionErrors("name: demo\nhyperparameters: [unclosed\n");
    expect(errors[0]?.message).toMatch(/not valid YAML/);
    expect(errors[0]?.line).toBeGreaterThanOrEqual(2);
  });

  it("refuses duplicate keys, which YAML would otherwise resolve silently", () => {
    const errors = definitionErrors(VALID.replace("name: demo\n", "name: demo\nname: again\n"));
    expect(errors[0]?.message).toMatch(/unique/i);
    expect(errors[0]?.line).toBe(2);
  });

  it("reads JSON sweep files too", () => {
    const json = JSON.stringify({
      name: "j",
      hyperparameters: { num_classes: 3 },
      data: { train: "a", validation: "b", train_annotation: "c", validation_annotation: "d" },
    });
    expect(definitionErrors(json)).toEqual([]);
  });
});

describe("sweep file shape errors", () => {
  it("names file, line, column, field, the value given and what is allowed", () => {
    const [error] = definitionErrors(VALID.replace("name: demo", "name: Demo_Sweep"));
    expect(error).toMatchObject({ severity: "error", file: "sweeps/demo.yaml", path: "name", line: 1, column: 7 });
    expect(error?.message).toBe(
      'name: "Demo_Sweep" is not allowed; expected lowercase letters, digits and single hyphens, starting and ending with a letter or digit',
    );
  });

  it("suggests the intended field for a typo", () => {
    const errors = definitionErrors(`${VALID}limits:\n  max_concurency: 4\n`);
    expect(errors[0]?.message).toMatch(/limits\.max_concurency is not a known field \(did you mean "max_concurrency"\?\)/);
    expect(errors[0]).toMatchObject({ line: 11, column: 3 });
  });

  it("says what is required when a field is missing", () => {
    const errors = definitionErrors("name: demo\nhyperparameters: {num_classes: 2}\n");
    expect(errors.map((e) => e.message)).toContain(
      "data is required: either the four channels train, validation, train_annotation, validation_annotation (and optionally label_map), or augmented_manifest: {train, validation, attribute_names}",
    );
  });

  it("reports a missing data channel precisely, not as a vague union failure", () => {
    const errors = definitionErrors(VALID.replace("  validation_annotation: d/\n", ""));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/^data\.validation_annotation is required/);
  });

  it.each([
    ["instance_type: ml.m5.xlarge", "resources.instance_type", /a GPU training instance type, one of: ml\.p2\.xlarge/],
    ["instance_count: 2", "resources.instance_count", /trains on a single instance/],
    ["max_runtime: 6 hours", "resources.max_runtime", /a duration such as "6h"/],
    ["max_runtime: 30d", "resources.max_runtime", /at most 28d/],
    ["spot: true\n  max_runtime: 6h\n  max_wait: 1h", "resources.max_wait", /"1h" is not allowed; expected at least max_runtime \(6h\)/],
  ])("refuses resources %s", (line, path, message) => {
    const errors = definitionErrors(`${VALID}resources:\n  ${line}\n`);
    expect(errors[0]?.path).toBe(path);
    expect(errors[0]?.message).toMatch(message);
  });

  it.each([
    ["max_concurrency: 0", "limits.max_concurrency", "limits.max_concurrency: 0 is not allowed; expected at least 1"],
    ["max_jobs: 2.5", "limits.max_jobs", "limits.max_jobs: 2.5 is not allowed; expected an int"],
    ["budget_usd: -5", "limits.budget_usd", "limits.budget_usd: -5 is not allowed; expected more than 0"],
  ])("refuses limits %s", (line, path, message) => {
    const errors = definitionErrors(`${VALID}limits:\n  ${line}\n`);
    expect(errors[0]).toMatchObject({ path, message });
  });

  it("fills defaults: ml.p3.2xlarge, one instance, 24h, on-demand, concurrency 2", () => {
    const parsed = parseSweepText(VALID, "f.yaml");
    if (!parsed.ok) throw new Error("expected to parse");
    const result = parseDefinition(parsed.source);
    if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
    expect(result.definition.resources).toEqual({
      instanceType: "ml.p3.2xlarge",
      instanceCount: 1,
      volumeGb: 50,
      maxRuntimeSeconds: 86_400,
      spot: false,
    });
    expect(result.definition.limits).toEqual({ maxConcurrency: 2, maxJobs: 1000, maxFailures: 3 });
    expect(result.definition.objective).toBe("validation:mIOU");
  });

  it("gives spot jobs a wait bound of twice the run time by default", () => {
    const parsed = parseSweepText(`${VALID}resources:\n  spot: true\n  max_runtime: 5h\n`, "f.yaml");
    if (!parsed.ok) throw new Error("expected to parse");
    const result = parseDefinition(parsed.source);
    expect(result.ok && result.definition.resources).toMatchObject({ spot: true, maxRuntimeSeconds: 18_000, maxWaitSeconds: 36_000 });
  });

  it("accepts augmented manifests and checks their attribute names", () => {
    const manifest = VALID.replace(
      /data:[\s\S]*$/,
      "data:\n  augmented_manifest:\n    train: m/train.manifest\n    validation: m/val.manifest\n    attribute_names: [source-ref, city-streets]\n",
    );
    const errors = definitionErrors(manifest);
    expect(errors[0]).toMatchObject({ path: "data.augmented_manifest.attribute_names[1]", line: 9 });
    expect(errors[0]?.message).toMatch(/ending in -ref/);
  });
});
