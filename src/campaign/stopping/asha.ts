import { quantile, type StoppingRule, shown } from "./rule.js";

/**
 * Asynchronous successive halving (Li et al., "A System for Massively Parallel Hyperparameter
 * Tuning", MLSys 2020), as a stopping rule: rungs at epochs min_epochs · η^k; a job goes past a
 * rung only if its objective there is in the top 1/η of the jobs that reached that rung so far,
 * itself included: it stops when below the (1 − 1/η) quantile of their values, linearly
 * interpolated, as Ray Tune's AsyncHyperBandScheduler does. The first job at a rung always goes on.
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
      const all = insertSorted(peers, value);
      const cutoff = quantile(all, 1 - 1 / eta);
      if (!(value < cutoff)) return { stop: false };
      return {
        stop: true,
        reason: `ASHA: ${metric} ${shown(value)} after epoch ${epoch} is outside the top 1/${eta} of the ${all.length} jobs that reached epoch ${epoch} (cutoff ${shown(cutoff)})`,
      };
    },
  };
}

/** `sorted` with `value` inserted in order (a new array). */
function insertSorted(sorted: readonly number[], value: number): number[] {
  let index = sorted.findIndex((v) => v > value);
  if (index < 0) index = sorted.length;
  return [...sorted.slice(0, index), value, ...sorted.slice(index)];
}
