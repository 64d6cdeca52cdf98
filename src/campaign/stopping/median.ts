import { quantile, type StoppingRule, shown } from "./rule.js";

/**
 * The median stopping rule of SageMaker Automatic Model Tuning (docs/sources.md#early-stopping):
 * after each epoch from min_epochs on, a job stops when its best objective so far is worse than
 * the median of the running averages (the mean of epochs 1..e) of the jobs that reached the same
 * epoch before it. With no such job it goes on.
 */
export function medianRule(options: { readonly minEpochs: number; readonly metric: string }): StoppingRule {
  const { minEpochs, metric } = options;
  return {
    label: `median stopping rule (from epoch ${minEpochs})`,
    judgesAt: (epoch) => epoch >= minEpochs,
    mark: (values) => values.reduce((sum, v) => sum + v, 0) / values.length,
    judge({ epoch, values, peers }) {
      if (peers.length === 0) return { stop: false };
      const best = Math.max(...values);
      const median = quantile(peers, 0.5);
      if (!(best < median)) return { stop: false };
      return {
        stop: true,
        reason: `median rule: best ${metric} ${shown(best)} by epoch ${epoch} is below the median ${shown(median)} of the running averages of the ${peers.length} jobs that reached epoch ${epoch} before it`,
      };
    },
  };
}
