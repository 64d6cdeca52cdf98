import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { importCycles, readImportGraph } from "../kit/import-graph.js";

/**
 * The direction of imports (docs/architecture.md): lower floors never reach up into the CLI, the
 * product never imports test code, the Pulumi program stays apart, and nothing imports in a circle.
 */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const graph = readImportGraph(ROOT, ["src", "bench", "test", "index.ts"]);
const edges = [...graph].flatMap(([from, targets]) => targets.map((to) => ({ from, to })));

const under = (dir: string) => (path: string) => path.startsWith(`${dir}/`);

describe("the import graph", () => {
  it("is read from the sources (a sanity check that the reader finds imports)", () => {
    expect(graph.get("src/cli/main.ts")).toContain("src/cli/errors.ts");
    expect(edges.length).toBeGreaterThan(300);
  });

  it("never imports src/cli/ from outside src/cli/", () => {
    const bad = edges.filter(({ from, to }) => under("src")(from) && !under("src/cli")(from) && under("src/cli")(to));
    expect(bad).toEqual([]);
  });

  it("never imports test code from src/ or bench/", () => {
    const bad = edges.filter(({ from, to }) => (under("src")(from) || under("bench")(from)) && under("test")(to));
    expect(bad).toEqual([]);
  });

  it("imports src/infra/ only from index.ts and the infrastructure tests", () => {
    const allowed = (from: string): boolean => from === "index.ts" || under("src/infra")(from) || under("test/infra")(from);
    const bad = edges.filter(({ from, to }) => under("src/infra")(to) && !allowed(from));
    expect(bad).toEqual([]);
  });

  it("lets src/infra/ import only itself, the SageMaker catalog and the stack-outputs schema", () => {
    const allowed = (to: string): boolean => under("src/infra")(to) || under("src/catalog")(to) || to === "src/stack/outputs.ts";
    const bad = edges.filter(({ from, to }) => under("src/infra")(from) && !allowed(to));
    expect(bad).toEqual([]);
  });

  it("has no import cycle", () => {
    expect(importCycles(graph)).toEqual([]);
  });
});
