import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { functionSizes, measureSources } from "../kit/source-size.js";

/**
 * The size limits of docs/architecture.md: no file in src/ over 300 lines, no function over 80.
 * Small pieces are what lets several people change the code at once without stepping on each other.
 */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const MAX_FILE_LINES = 300;
const MAX_FUNCTION_LINES = 80;
const { files, functions } = measureSources(ROOT, ["src"]);

describe("the size of src/", () => {
  it("is measured from the sources (a sanity check that the walk finds files and functions)", () => {
    expect(files.length).toBeGreaterThan(100);
    expect(functions.length).toBeGreaterThan(500);
    const sample = functionSizes("x.ts", "export function f(a: number) {\n  const g = () => {\n    return a;\n  };\n  return g();\n}\n");
    expect(sample.map(({ name, line, lines }) => ({ name, line, lines }))).toEqual([
      { name: "f", line: 1, lines: 6 },
      { name: "g", line: 2, lines: 3 },
    ]);
  });

  it(`has no file over ${MAX_FILE_LINES} lines`, () => {
    expect(files.filter((file) => file.lines > MAX_FILE_LINES)).toEqual([]);
  });

  it(`has no function over ${MAX_FUNCTION_LINES} lines`, () => {
    const long = functions
      .filter((fn) => fn.lines > MAX_FUNCTION_LINES)
      .map((fn) => `${fn.file}:${fn.line} ${fn.name} (${fn.lines} lines)`);
    expect(long).toEqual([]);
  });
});
