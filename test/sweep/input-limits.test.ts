import { describe, expect, it } from "vitest";
import { INPUT_LIMITS } from "../../src/sweep/input-limits.js";
import { loadSweepFile, parseSweepText } from "../../src/sweep/load.js";
import { runCli, sweepText, writeSweep } from "../kit/cli.js";

/**
 * Hostile and huge sweep files, generated. Each case is bounded by a documented limit, so these
 * tests finish quickly because the limits hold, not because a timer says so.
 */

function refusal(text: string) {
  const parsed = parseSweepText(text, "big.yaml");
  if (parsed.ok) throw new Error("expected the file to be refused");
  return parsed.diagnostics;
}

const header = "name: big\nhyperparameters:\n";

describe("input limits", () => {
  it("refuses a 50 MB file with one huge list by its size, after reading only the first megabyte", async () => {
    const text = `${header}  a: [${"1,".repeat(25_000_000)}1]\n`;
    const file = writeSweep(text);
    const result = await loadSweepFile(file);
    expect(result.ok).toBe(false);
    const [error] = result.ok ? [] : result.diagnostics;
    expect(error).toMatchObject({ file, line: 3, column: 1 });
    expect(error?.message).toBe(
      `the file is ${text.length.toLocaleString("en-US")} bytes, more than the 1,048,576 bytes (1 MiB) a sweep file may have; the limit falls on this line`,
    );
  });

  it("says on which line a long file passes the size limit", () => {
    const lines = Array.from({ length: 80_000 }, (_, i) => `# comment line ${i} padding padding\n`).join("");
    const [error] = refusal(`${header}${lines}`);
    expect(error?.line).toBeGreaterThan(20_000);
    expect(error?.line).toBeLessThan(40_000);
  });

  it("refuses more than 100,000 list items before parsing (the YAML library takes seconds and gigabytes on those)", () => {
    const [error] = refusal(`${header}  a: [${"1,".repeat(100_001)}1]\n`);
    expect(error).toMatchObject({ line: 3, column: 1 });
    expect(error?.message).toMatch(
      /more than 100,000 values \(list items and mapping entries\) by this line; a sweep file may hold at most 100,000/,
    );
  });

  it("refuses the 100,000-key mapping that used to take 175 s, and accepts 1,000 keys", () => {
    const keys = (n: number) => Array.from({ length: n }, (_, i) => `  k${i}: ${i}\n`).join("");
    expect(refusal(`${header}${keys(100_000)}`)[0]?.message).toMatch(/1,048,576 bytes|100,000 values/);
    expect(parseSweepText(`${header}${keys(INPUT_LIMITS.keysPerMapping)}`, "ok.yaml").ok).toBe(true);
  });

  it("refuses a mapping with more keys than allowed, at the first key over the limit", () => {
    const keys = Array.from({ length: INPUT_LIMITS.keysPerMapping + 1 }, (_, i) => `  k${i}: ${i}\n`).join("");
    const [error] = refusal(`${header}${keys}`);
    expect(error).toMatchObject({ line: 3 + INPUT_LIMITS.keysPerMapping, column: 3 });
    expect(error?.message).toBe("this mapping has 1,001 keys, more than the 1,000 a sweep file allows in one mapping");
  });

  it("refuses a list with more items than allowed, and accepts one at the limit", () => {
    const list = (n: number) => `${header}  a:\n${"    - 1\n".repeat(n)}`;
    expect(parseSweepText(list(INPUT_LIMITS.listItems), "ok.yaml").ok).toBe(true);
    const [error] = refusal(list(INPUT_LIMITS.listItems + 1));
    expect(error).toMatchObject({ line: 4 + INPUT_LIMITS.listItems });
    expect(error?.message).toBe("this list has 10,001 items, more than the 10,000 a sweep file allows in one list");
  });

  it("finds duplicate keys in linear time, with the duplicate's line", () => {
    const keys = Array.from({ length: INPUT_LIMITS.keysPerMapping - 1 }, (_, i) => `  k${i}: ${i}\n`).join("");
    const [error] = refusal(`${header}${keys}  k7: again\n`);
    expect(error).toMatchObject({ line: 3 + INPUT_LIMITS.keysPerMapping - 1, column: 3 });
    expect(error?.message).toBe('duplicate key "k7": each key must be unique within a mapping');
  });

  it("refuses nesting deeper than the limit, and nesting that would overflow the parser", () => {
    const nested = (depth: number) => `a: ${"[".repeat(depth)}${"]".repeat(depth)}\n`;
    expect(parseSweepText(nested(INPUT_LIMITS.depth - 1), "ok.yaml").ok).toBe(true);
    expect(refusal(nested(INPUT_LIMITS.depth + 1))[0]?.message).toBe(
      "lists and mappings are nested more than 32 deep here; a sweep file may nest at most 32",
    );
    expect(refusal(nested(5_000))[0]?.message).toBe(
      "not valid YAML: lists and mappings are nested too deep to parse; a sweep file may nest at most 32",
    );
  });

  it("stops a YAML alias bomb with a clear error at the first alias", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (const [i, name] of ["b", "c", "d", "e", "f", "g"].entries()) {
      const previous = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(", ")}]`);
    }
    const [error] = refusal(`${levels.join("\n")}\n`);
    expect(error).toMatchObject({ line: 2, column: 8 });
    expect(error?.message).toMatch(/^the file holds \(with its aliases expanded\) more than 100,000 values .* \(a YAML alias bomb\)$/);
  });

  it("refuses more than 100 aliases, an alias without its anchor and an alias inside its own anchor", () => {
    expect(refusal(`a: &a 1\nb: [${Array(101).fill("*a").join(", ")}]\n`)[0]?.message).toBe(
      "more than 100 aliases (*name); a sweep file may use at most 100",
    );
    expect(refusal("a: *nowhere\n")[0]?.message).toBe("*nowhere refers to no anchor: define &nowhere before it");
    expect(refusal("a: &loop [1, *loop]\n")[0]?.message).toBe(
      "*loop is inside the value it refers to (&loop), which would make the data endless",
    );
  });

  it("an alias bomb through the CLI is an invalid file (exit 1), never an internal error", async () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 8; i++)
      bomb.push(
        `l${i}: &l${i} [${Array(10)
          .fill(i === 1 ? "*a" : `*l${i - 1}`)
          .join(", ")}]`,
      );
    const file = writeSweep(`${sweepText("learning_rate: 0.01")}${bomb.join("\n")}\n`);
    const { code, stderr } = await runCli(["validate", file]);
    expect(code).toBe(1);
    expect(stderr).not.toMatch(/internal error/);
    expect(stderr).toMatch(/alias bomb/);
  });

  it("reads a file within the limit, and says so when the path is a folder", async () => {
    const file = writeSweep(sweepText("learning_rate: 0.01"));
    expect((await loadSweepFile(file)).ok).toBe(true);
    const folder = await loadSweepFile(file.replace(/\/[^/]+$/, ""));
    expect(folder.ok ? "" : folder.diagnostics[0]?.message).toBe("cannot read the sweep file: it is a folder");
  });
});
