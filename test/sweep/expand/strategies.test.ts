import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gridStrategy, randomStrategy, strategyOf } from "../../../src/sweep/expand/index.js";
import { sweep } from "./helpers.js";

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : [],
  );
}

describe("search strategies own their size and their checks", () => {
  it("no code of the jobs engine outside a strategy asks which strategy a sweep uses", () => {
    // The tuning engine compiles AMT's strategies itself (src/plan/tuning/, src/sweep/tuning-fields.ts).
    const tuning = (file: string) => file.startsWith(join("src", "plan", "tuning")) || file.endsWith("tuning-fields.ts");
    const asking = sources("src").filter(
      (file) => !tuning(file) && /\.strategy\s*[!=]==|[!=]==\s*["'](grid|random|bayesian|hyperband)["']/.test(readFileSync(file, "utf8")),
    );
    expect(asking).toEqual([]);
  });

  it("each strategy answers for its size, its wording and its checks", () => {
    const grid = sweep({ hyperparameters: { num_classes: 2, epochs: [1, 2, 3], mini_batch_size: [4, 8] }, samples: 5 });
    expect(strategyOf(grid)).toBe(gridStrategy);
    expect(gridStrategy.size(grid, [])).toBe(1);
    expect(gridStrategy.check(grid, { params: [], broken: new Set() }).map((d) => d.path)).toEqual(["samples"]);
    const random = sweep({ strategy: "random", samples: 7, hyperparameters: { num_classes: 2, epochs: [1, 2] } });
    expect(strategyOf(random)).toBe(randomStrategy);
    expect(randomStrategy.size(random, [])).toBe(7);
    expect(randomStrategy.distributions && !gridStrategy.distributions).toBe(true);
  });
});
