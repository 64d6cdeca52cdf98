import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseInfraConfig } from "../../src/infra/config.js";
import { Resources } from "../../src/sweep/definition.js";
import { parseSweepText } from "../../src/sweep/load.js";

/**
 * Every sweep file shipped in sweeps/ runs on a stack deployed with the defaults: its instance type
 * is in the default instanceTypes and its run time (and, with spot, its wait) within the default
 * maxRuntimeSeconds, which the operator policy enforces at CreateTrainingJob.
 */
const ROOT = join(import.meta.dirname, "..", "..");
const defaults = parseInfraConfig("segsweep", {}, "us-east-1");
const files = readdirSync(join(ROOT, "sweeps")).filter((name) => /\.ya?ml$/.test(name));

describe("the shipped sweeps against the default stack", () => {
  it("finds the shipped sweeps", () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  it.each(files)("%s stays within the default stack's guardrails", (name) => {
    const parsed = parseSweepText(readFileSync(join(ROOT, "sweeps", name), "utf8"), name);
    if (!parsed.ok) throw new Error(`${name} does not parse: ${JSON.stringify(parsed.diagnostics)}`);
    const resources = Resources.parse((parsed.source.data as { resources?: unknown }).resources ?? {});
    expect(defaults.instanceTypes).toContain(resources.instanceType);
    expect(resources.maxRuntimeSeconds).toBeLessThanOrEqual(defaults.maxRuntimeSeconds);
    expect(resources.maxWaitSeconds ?? 0).toBeLessThanOrEqual(defaults.maxRuntimeSeconds);
  });
});
