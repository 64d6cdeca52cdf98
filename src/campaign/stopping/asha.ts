import { quantile, type StoppingRule, shown } from "./rule.js";

/**
 * Asynchronous successive halving (Li et al., "A System for Massively Parallel Hyperparameter
 * Tuning", MLSys 2020), as a stopping rule: rungs at epochs min_epochs · η^k; a job goes past a
 * rung only if it is in the top 1/η of the jobs that reached that rung so far, itself included:
 * among n jobs, the best max(1, ⌊n/η⌋) go on (ties with the last of them too). The first jobs at a
 * rung, fewer than η, go on only if they are the best so far, as Optuna's SuccessiveHalvingPruner
 * does, since a stopped training job cannot be paused and promoted later.
 *
 * `cutoff: "quantile"` is Ray Tune's AsyncHyperBandScheduler instead: a job stops when its value is
 * below the (1 − 1/η) quantile (interpolated) of the values the jobs before it left at the rung;
 * the first job at a rung goes on. It lets more early arrivals through (docs/early-termination.md).
 */
export function ashaRule(options: {
  readonly minEpochs: number;
  readonly reductionFactor: number;
  readonly metric: string;
  readonly cutoff?: AshaCutoff;
}): StoppingRule {
  const { minEpochs, reductionFactor: eta, metric } = options;
  if (options.cutoff === "quantile") return quantileAsha(minEpochs, eta, metric);
  return {
    label: `ASHA (rungs at ${minEpochs} × ${eta}^k epochs, top 1/${eta} go on)`,
    judgesAt: rungTest(minEpochs, eta),
    mark: (values) => values.at(-1) ?? Number.NaN,
    judge({ epoch, values, peers }) {
      const value = values.at(-1) ?? Number.NaN;
      const all = [...peers, value].sort((a, b) => a - b);
      const keep = Math.max(1, Math.floor(all.length / eta));
      // The keep-th best of all the values at the rung; ties with it go on.
      const threshold = all[all.length - keep] ?? value;
      if (!(value < threshold)) return { stop: false };
      return {
        stop: true,
        reason: `ASHA: ${metric} ${shown(value)} after epoch ${epoch} is outside the top 1/${eta} of the ${all.length} jobs that reached epoch ${epoch} (the best ${keep} reached ${shown(threshold)})`,
      };
    },
  };
}

/** How ASHA draws the line at a rung: Optuna's top ⌊n/η⌋ of n ("top"), or Ray Tune's interpolated quantile of the earlier jobs ("quantile"). */
export type AshaCutoff = "top" | "quantile";

/** Whether an epoch is a rung: min_epochs · η^k. */
function rungTest(minEpochs: number, eta: number): (epoch: number) => boolean {
  return (epoch) => {
    if (epoch < minEpochs) return false;
    let rung = minEpochs;
    while (rung < epoch) rung *= eta;
    return rung === epoch;
  };
}

/** Ray Tune's cutoff (`ray/tune/schedulers/async_hyperband.py`, docs/sources.md#early-stopping). */
function quantileAsha(minEpochs: number, eta: number, metric: string): StoppingRule {
  return {
    label: `ASHA (rungs at ${minEpochs} × ${eta}^k epochs, stop below the ${shownPercent(1 - 1 / eta)} quantile)`,
    judgesAt: rungTest(minEpochs, eta),
    mark: (values) => values.at(-1) ?? Number.NaN,
    judge({ epoch, values, peers }) {
      const value = values.at(-1) ?? Number.NaN;
      if (peers.length === 0) return { stop: false };
      const cutoff = quantile(peers, 1 - 1 / eta);
      if (!(value < cutoff)) return { stop: false };
      return {
        stop: true,
        reason: `ASHA: ${metric} ${shown(value)} after epoch ${epoch} is below the ${shownPercent(1 - 1 / eta)} quantile (${shown(cutoff)}) of the ${peers.length} jobs that reached epoch ${epoch} before it`,
      };
    },
  };
}

function shownPercent(q: number): string {
  return `${Math.round(q * 1000) / 10}%`;
}
