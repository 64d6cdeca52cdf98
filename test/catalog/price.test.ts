import { describe, expect, it } from "vitest";
import { formatHourlyPrice, instanceCostUsd, knownCostUsd } from "../../src/catalog/price.js";
import { usdTotal, worstCaseProduct } from "../../src/cli/format/money.js";
import { costBound } from "../../src/plan/cost.js";

describe("the one price function", () => {
  it("multiplies instance-hours by instance count by price", () => {
    expect(instanceCostUsd(3 * 3600, 1, 3.825)).toBeCloseTo(11.475, 10);
    expect(instanceCostUsd(1800, 2, 15.3)).toBeCloseTo(15.3, 10);
  });

  it("keeps unknown unknown: no billable time or no price is null, never 0", () => {
    expect(knownCostUsd(undefined, 1, 3.825)).toBeNull();
    expect(knownCostUsd(null, 1, 3.825)).toBeNull();
    expect(knownCostUsd(3600, 1, undefined)).toBeNull();
    expect(knownCostUsd(0, 1, 3.825)).toBe(0);
  });

  it("shows the catalog's price unrounded, so the product printed multiplies out", () => {
    expect(formatHourlyPrice(3.825)).toBe("$3.825/h");
    expect(formatHourlyPrice(15.3)).toBe("$15.30/h");
    const cost = costBound(
      { instanceType: "ml.p3.2xlarge", instanceCount: 1, volumeGb: 50, maxRuntimeSeconds: 3 * 3600, spot: false } as never,
      {} as never,
      6,
    );
    expect(worstCaseProduct(cost, 6)).toBe("6 jobs × 3h × 1 ml.p3.2xlarge × $3.825/h");
    expect(cost.totalUsd).toBe(68.85); // 6 × 3 × 3.825, which the factors above give
  });

  it("says at least when some costs are unknown", () => {
    expect(usdTotal(25.17, 0, 6)).toBe("$25.17");
    expect(usdTotal(12.5, 2, 6)).toBe("at least $12.50 (cost unknown for 2 jobs)");
    expect(usdTotal(0, 6, 6)).toBe("cost unknown for 6 jobs");
  });
});
