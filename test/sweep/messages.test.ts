import { describe, expect, it } from "vitest";
import { planSweepFile } from "../../src/plan/plan-file.js";
import { parseSweepText } from "../../src/sweep/load.js";
import { parseDefinition } from "../../src/sweep/parse-definition.js";
import { sweepText, writeSweep } from "../kit/cli.js";

const VALID = sweepText("learning_rate: 0.01");

function definitionErrors(text: string) {
  const parsed = parseSweepText(text, "f.yaml");
  if (!parsed.ok) return parsed.diagnostics;
  const result = parseDefinition(parsed.source);
  return result.ok ? [] : result.diagnostics;
}

async function problems(text: string) {
  const result = await planSweepFile(writeSweep(text));
  if (result.ok) throw new Error("expected the sweep to be refused");
  return result.diagnostics;
}

describe("messages say what was written", () => {
  it.each([
    ["resources:\n  volume_gb: .inf", "resources.volume_gb: .inf is not allowed; expected a finite number"],
    ["resources:\n  volume_gb: -.inf", "resources.volume_gb: -.inf is not allowed; expected a finite number"],
    ["resources:\n  max_runtime: .nan", 'resources.max_runtime: .nan is not allowed; expected a duration such as "6h", "90m" or "1h30m"'],
    ["limits:\n  max_jobs: .inf", "limits.max_jobs: .inf is not allowed; expected a finite number"],
    ["limits:\n  budget_usd: .nan", "limits.budget_usd: .nan is not allowed; expected a finite number"],
  ])("infinite or NaN: %j", (extra, message) => {
    const errors = definitionErrors(`${VALID}${extra}\n`);
    expect(errors.map((e) => e.message)).toContain(message);
    expect(errors.map((e) => e.message).join("\n")).not.toMatch(/null/);
  });

  it("suggests the instance type a typo meant, and lists the GPU types for another family", () => {
    const [typo] = definitionErrors(`${VALID}resources:\n  instance_type: ml.p3.2xlarg\n`);
    expect(typo?.message).toBe(
      'resources.instance_type: "ml.p3.2xlarg" is not allowed; expected a GPU training instance type (did you mean "ml.p3.2xlarge"?)',
    );
    const [cpu] = definitionErrors(`${VALID}resources:\n  instance_type: ml.m5.xlarge\n`);
    expect(cpu?.message).toMatch(/one of: ml\.p2\.xlarge, .* \(the algorithm trains on GPUs only\)$/);
  });

  it("suggests the strategy and objective a near miss meant", () => {
    const errors = definitionErrors(`strategy: Random\nobjective: validation:miou\n${VALID}`);
    expect(errors.map((e) => e.message)).toEqual(
      expect.arrayContaining([
        'strategy: "Random" is not allowed; expected one of: "grid", "random", "bayesian", "hyperband" (did you mean "random"?)',
        'objective: "validation:miou" is not allowed; expected one of: "validation:mIOU", "validation:pixel_accuracy" (did you mean "validation:mIOU"?)',
      ]),
    );
  });

  it("shows max_runtime's value when max_wait is shorter, even when other resources are wrong too", () => {
    const errors = definitionErrors(`${VALID}resources:\n  volume_gb: 0\n  spot: true\n  max_runtime: 6h\n  max_wait: 2h\n`);
    expect(errors.map((e) => e.path)).toEqual(["resources.volume_gb", "resources.max_wait"]);
    expect(errors[1]?.message).toMatch(/^resources\.max_wait: "2h" is not allowed; expected at least max_runtime \(6h\)/);
  });

  it("refuses __proto__ and constructor under hyperparameters and include as unknown keys", async () => {
    const text = sweepText("__proto__: 5\nconstructor: 3", "include:\n  - {__proto__: 1, constructor: 2}\n");
    const found = (await problems(text)).map((d) => `${d.path} ${d.line}: ${d.message}`);
    expect(found).toEqual([
      "hyperparameters.__proto__ 5: __proto__ is not a hyperparameter of the semantic segmentation algorithm",
      "hyperparameters.constructor 6: constructor is not a hyperparameter of the semantic segmentation algorithm",
      "include[0].__proto__ 13: __proto__ is not a hyperparameter of the semantic segmentation algorithm",
      "include[0].constructor 13: constructor is not a hyperparameter of the semantic segmentation algorithm",
    ]);
  });

  it("a missing field points at the block it belongs in", () => {
    const [error] = definitionErrors(VALID.replace("  validation_annotation: s3://bucket/validation_annotation/\n", ""));
    expect(error).toMatchObject({ path: "data.validation_annotation", line: 6, column: 1 });
  });
});
