import { describe, expect, it } from "vitest";
import { CURVE_SCALE, compactCurve, describeHyperparameter, displayPath, pageData } from "../../../src/report/render/html/page-data.js";
import type { LeaderboardRow } from "../../../src/report/types.js";
import { curve, p0, p3, p5, pageReport, plainReport, TERMINATION_REASON } from "./page-fixture.js";

/** What the page's script does with PageRows.curves (curves.js curveOf). */
function decode([epochs, steps]: readonly [number | readonly number[], readonly number[]]): { epoch: number; value: number }[] {
  let sum = 0;
  return steps.map((step, k) => {
    sum += step;
    return { epoch: typeof epochs === "number" ? epochs + k : (epochs[k] ?? Number.NaN), value: sum / CURVE_SCALE };
  });
}

const row = (hyperparameters: Record<string, string>): LeaderboardRow => ({
  rank: 1,
  job: "j",
  plannedJob: "j",
  attempts: 1,
  state: "completed",
  secondaryStatus: null,
  objective: null,
  otherMetric: null,
  billableSeconds: null,
  costUsd: null,
  hyperparameters,
});

describe("pageData", () => {
  const data = pageData(pageReport());

  it("keeps the leaderboard's order, with money and durations formatted once, here", () => {
    const report = pageReport();
    expect(data.rows.job).toEqual(report.leaderboard.map((r) => r.job));
    expect(data.rows.text[0]).toEqual(["0.6400", "0.9100", "1h", "$3.83"]);
    expect(data.rows.text[data.rows.job.indexOf(p5)]).toEqual(["-", "-", "-", "-"]);
  });

  it("gives hyperparameter values as indexes into their sorted values", () => {
    expect(data.hyperparameters).toEqual([
      { name: "algorithm", kind: "category", log: false, values: ["deeplab", "fcn", "psp"] },
      { name: "learning_rate", kind: "number", log: true, values: ["0.001", "0.01", "0.1"] },
    ]);
    const i = data.rows.job.indexOf(p0);
    expect([data.rows.hp[0]?.[i], data.rows.hp[1]?.[i]]).toEqual([1, 0]);
  });

  it("carries curves that decode to the report's values to four decimals, and the stop reasons once each", () => {
    const i = data.rows.job.indexOf(p0);
    const encoded = data.rows.curves[i];
    expect(encoded?.[0]).toBe(1);
    const decoded = decode(encoded ?? [0, []]);
    curve(0.61, 2, 10).forEach((point, k) => {
      expect(decoded[k]?.epoch).toBe(point.epoch);
      expect(Math.abs((decoded[k]?.value ?? 0) - point.value)).toBeLessThanOrEqual(0.5 / CURVE_SCALE + 1e-12);
    });
    expect(data.rows.terminationReasons).toEqual([TERMINATION_REASON]);
    expect(data.rows.terminated[data.rows.job.indexOf(p3)]).toBe(0);
    expect(data.rows.terminated[data.rows.job.indexOf(p5)]).toBe(-1);
  });

  it("says what is unknown: no curves, cost in billable hours when a price is missing", () => {
    const plain = pageData(plainReport());
    expect(plain.rows.curves.every((c) => c === null)).toBe(true);
    expect(plain.cost.unit).toBe("hours");
    expect(plain.summary.join("\n")).toContain("cost unknown: no price in the catalog for ml.g5.48xlarge");
  });

  it("shows an absolute sweep-file path by its base name only", () => {
    expect(pageData({ ...pageReport(), sweepFile: "/home/someone/work/sweeps/x.yaml" }).sweepFile).toBe("x.yaml");
  });
});

describe("describeHyperparameter", () => {
  it("treats values as numbers only when every one is a number, log when positive over two decades", () => {
    const rows = ["1e-4", "0.05", ".001"].map((v) => row({ lr: v }));
    expect(describeHyperparameter("lr", rows)).toEqual({ name: "lr", kind: "number", log: true, values: ["1e-4", ".001", "0.05"] });
    expect(describeHyperparameter("b", [row({ b: "8" }), row({ b: "16" }), row({ b: "4" })])).toMatchObject({
      values: ["4", "8", "16"],
      log: false,
    });
    expect(describeHyperparameter("s", [row({ s: "10, 20" }), row({ s: "5" })])).toMatchObject({
      kind: "category",
      values: ["10, 20", "5"],
    });
    expect(describeHyperparameter("x", [row({ x: "-1" }), row({ x: "100" })])).toMatchObject({ kind: "number", log: false });
  });
});

describe("compactCurve", () => {
  it("keeps non-consecutive epochs as a list", () => {
    const points = [
      { epoch: 2, value: 0.5 },
      { epoch: 4, value: 0.25 },
      { epoch: 8, value: 0.75 },
    ];
    expect(compactCurve(points)).toEqual([
      [2, 4, 8],
      [5000, -2500, 5000],
    ]);
    expect(decode(compactCurve(points))).toEqual(points);
  });
});

describe("displayPath", () => {
  it("keeps relative paths and reduces absolute ones, POSIX or Windows, to their base name", () => {
    expect(displayPath("sweeps/voc.yaml")).toBe("sweeps/voc.yaml");
    expect(displayPath("../other/voc.yaml")).toBe("../other/voc.yaml");
    expect(displayPath("/work/me/voc.yaml")).toBe("voc.yaml");
    expect(displayPath("C:\\Users\\me\\voc.yaml")).toBe("voc.yaml");
  });
});
