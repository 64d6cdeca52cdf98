import { type StoppingRule, shown } from "./rule.js";

/**
 * Asynchronous successive halving (Li et al., "A System for Massively Parallel Hyperparameter
 * Tuning", MLSys 2020), as a stopping rule: rungs at epochs min_epochs · η^k; a job goes past a
 * rung only if it is in the top 1/η of the jobs that reached that rung so far, itself included:
 * among n jobs, the best max(1, ⌊n/η⌋) go on (ties with the last of them too). The first jobs at a
 * rung, fewer than η, go on only if they are the best so far, as Optuna's SuccessiveHalvingPruner
 * does, since a stopped training job cannot be paused and promoted later.
 */
export function ashaRule(options: { readonly minEpochs: number; readonly reductionFactor: number; readonly metric: string }): StoppingRule {
  const { minEpochs, reductionFactor: eta, metric } = options;
  const isRung = (epoch: number): boolean => {
    if (epoch < minEpochs) return false;
    let rung = minEpochs;
    while (rung < epoch) rung *= eta;
    return rung === epoch;
  };
  return {
    label: `ASHA (rungs at ${minEpochs} × ${eta}^k epochs, top 1/${eta} go on)`,
    judgesAt: isRung,
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
