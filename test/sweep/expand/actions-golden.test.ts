import { describe, expect, it } from "vitest";
import { checkSearchSpace } from "../../../src/sweep/expand/index.js";
import { canonical, expandAll, lines, sweep } from "./helpers.js";

/**
 * The examples of GitHub Actions' documentation ("Running variations of jobs in a workflow":
 * using a matrix, excluding, expanding or adding configurations), ported as golden cases: the
 * matrix becomes `hyperparameters` (every list is an axis), and the documented jobs are the points.
 */

function pointSet(values: Record<string, unknown>[]): string[] {
  return values.map((v) => canonical(v as Record<string, string>)).sort();
}

describe("GitHub Actions documentation examples", () => {
  it("multi-dimension matrix: 2 os x 3 versions gives six points", () => {
    const { values } = expandAll(sweep({ hyperparameters: { os: ["ubuntu-22.04", "ubuntu-20.04"], version: [10, 12, 14] } }));
    expect(values).toHaveLength(6);
    expect(new Set(values.map((v) => `${v.os}/${v.version}`)).size).toBe(6);
  });

  it("excluding: a partial match drops every combination it matches (12 - 1 - 2 = 9 jobs)", () => {
    const def = sweep({
      hyperparameters: { os: ["macos-latest", "windows-latest"], version: [12, 14, 16], environment: ["staging", "production"] },
      exclude: [
        { os: "macos-latest", version: 12, environment: "production" },
        { os: "windows-latest", version: 16 },
      ],
    });
    expect(checkSearchSpace(def)).toEqual([]);
    const { values, stats } = expandAll(def);
    expect(values).toHaveLength(9);
    expect(stats).toMatchObject({ expanded: 12, excluded: 3 });
    expect(values.filter((v) => v.os === "windows-latest" && v.version === 16)).toEqual([]);
    expect(values.filter((v) => v.os === "macos-latest" && v.version === 12 && v.environment === "production")).toEqual([]);
  });

  it("include: the fruit/animal example gives exactly the six documented combinations", () => {
    const { values, stats } = expandAll(
      sweep({
        hyperparameters: { fruit: ["apple", "pear"], animal: ["cat", "dog"] },
        include: [
          { color: "green" },
          { color: "pink", animal: "cat" },
          { fruit: "apple", shape: "circle" },
          { fruit: "banana" },
          { fruit: "banana", animal: "cat" },
        ],
      }),
    );
    expect(pointSet(values)).toEqual(
      pointSet([
        { fruit: "apple", animal: "cat", color: "pink", shape: "circle" },
        { fruit: "apple", animal: "dog", color: "green", shape: "circle" },
        { fruit: "pear", animal: "cat", color: "pink" },
        { fruit: "pear", animal: "dog", color: "green" },
        { fruit: "banana" },
        { fruit: "banana", animal: "cat" },
      ]),
    );
    // The added combinations come after the original ones, in include order.
    expect(values.slice(4)).toEqual([{ fruit: "banana" }, { fruit: "banana", animal: "cat" }]);
    expect(stats).toMatchObject({ expanded: 6, excluded: 0 });
  });

  it("include expands one combination: npm: 6 only on windows-latest with node 16", () => {
    const { values } = expandAll(
      sweep({
        hyperparameters: { os: ["windows-latest", "ubuntu-latest"], node: [12, 14, 16] },
        include: [{ os: "windows-latest", node: 16, npm: 6 }],
      }),
    );
    expect(values).toHaveLength(6);
    expect(values.filter((v) => "npm" in v)).toEqual([{ node: 16, npm: 6, os: "windows-latest" }]);
  });

  it("include adds a combination: 3 x 3 plus windows-latest with version 17 is 10 jobs", () => {
    const { values, stats } = expandAll(
      sweep({
        hyperparameters: { os: ["macos-latest", "windows-latest", "ubuntu-latest"], version: [12, 14, 16] },
        include: [{ os: "windows-latest", version: 17 }],
      }),
    );
    expect(values).toHaveLength(10);
    expect(values.at(-1)).toEqual({ os: "windows-latest", version: 17 });
    expect(stats.expanded).toBe(10);
  });

  it("include without matrix variables: each include entry is one job", () => {
    const { values } = expandAll(
      sweep({
        hyperparameters: {},
        include: [
          { site: "production", datacenter: "site-a" },
          { site: "staging", datacenter: "site-b" },
        ],
      }),
    );
    expect(values).toEqual([
      { datacenter: "site-a", site: "production" },
      { datacenter: "site-b", site: "staging" },
    ]);
  });

  it("the perl example: one os x five versions, plus two macos jobs, is seven", () => {
    const { values } = expandAll(
      sweep({
        hyperparameters: { os: ["ubuntu-latest"], perl: ["5.16", "5.20", "5.26", "5.30", "latest"] },
        include: [
          { os: "macos-latest", perl: "5.26" },
          { os: "macos-latest", perl: "latest" },
        ],
      }),
    );
    expect(values).toHaveLength(7);
    expect(values.filter((v) => v.os === "macos-latest").map((v) => v.perl)).toEqual(["5.26", "latest"]);
  });

  it("include is processed after exclude, so it can add an excluded combination back", () => {
    const { values, stats } = expandAll(
      sweep({
        hyperparameters: { os: ["linux", "windows"], arch: ["x64", "x86"] },
        exclude: [{ os: "windows" }],
        include: [{ os: "windows", arch: "x64" }],
      }),
    );
    expect(pointSet(values)).toEqual(
      pointSet([
        { os: "linux", arch: "x64" },
        { os: "linux", arch: "x86" },
        { os: "windows", arch: "x64" },
      ]),
    );
    expect(stats).toMatchObject({ expanded: 5, excluded: 2 });
  });

  it("an include entry never extends a combination added by an earlier include entry", () => {
    const { values } = expandAll(
      sweep({
        hyperparameters: { fruit: ["apple"], animal: ["cat"] },
        include: [{ fruit: "banana" }, { fruit: "banana", size: "large" }],
      }),
    );
    expect(values).toEqual([{ animal: "cat", fruit: "apple" }, { fruit: "banana" }, { fruit: "banana", size: "large" }]);
  });

  it("an exclude key that is not in the matrix is an error, as in Actions", () => {
    const def = sweep({ hyperparameters: { os: ["linux"], version: [1, 2] }, exclude: [{ state: "on" }] });
    expect(lines(checkSearchSpace(def))).toEqual([
      "error exclude[0].state: exclude[0] names state, but state is not in hyperparameters; exclude may only name searched keys (keys with a list of values): os, version",
    ]);
  });

  it("empty include and exclude entries are errors, as in Actions", () => {
    const def = sweep({ hyperparameters: { os: ["linux"] }, exclude: [{}], include: [{}] });
    expect(lines(checkSearchSpace(def))).toEqual([
      "error exclude[0]: exclude[0] is empty; an entry lists key: value pairs that a point must all match to be dropped",
      "error include[0]: include[0] is empty; an entry lists key: value pairs to add to matching points, or as a new point",
    ]);
  });
});
