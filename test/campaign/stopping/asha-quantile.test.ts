import { describe, expect, it } from "vitest";
import { ashaRule } from "../../../src/campaign/stopping/asha.js";
import { EarlyTermination } from "../../../src/sweep/early-termination.js";

const METRIC = "validation:mIOU";

describe("ASHA's quantile cutoff (Ray Tune's)", () => {
  const rule = ashaRule({ minEpochs: 3, reductionFactor: 4, metric: METRIC, cutoff: "quantile" });

  it.each([
    // [value, peers (ascending), stops]
    [0.1, [], false], // the first job at a rung goes on
    [0.2, [0.5], true], // below the 75% quantile of one peer (0.5)
    [0.5, [0.5], false], // equal goes on
    [0.4, [0.1, 0.3, 0.5], false], // the interpolated 75% quantile of [0.1, 0.3, 0.5] is 0.4: not below it, goes on
    [0.41, [0.1, 0.3, 0.5], false],
    [0.39, [0.1, 0.3, 0.5], true],
  ])("value %s against %j: stops %s", (value, peers, stops) => {
    const verdict = rule.judge({ epoch: 3, values: [0.05, 0.08, value], peers });
    expect(verdict.stop).toBe(stops);
    if (verdict.stop) expect(verdict.reason).toMatch(/below the 75% quantile/);
  });

  it("judges at the same rungs as the default cutoff", () => {
    expect([1, 2, 3, 4, 12, 13, 48].map((epoch) => rule.judgesAt(epoch))).toEqual([false, false, true, false, true, false, true]);
  });

  it("is chosen in the sweep file with cutoff: quantile; top is the default; anything else is refused", () => {
    expect(EarlyTermination.parse({ rule: "asha", min_epochs: 3 })).toMatchObject({ cutoff: "top", reductionFactor: 4 });
    expect(EarlyTermination.parse({ rule: "asha", min_epochs: 3, cutoff: "quantile" })).toMatchObject({ cutoff: "quantile" });
    const refused = EarlyTermination.safeParse({ rule: "asha", min_epochs: 3, cutoff: "median" });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toMatch(/top .* or quantile/);
  });
});
