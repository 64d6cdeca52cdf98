/**
 * Where the per-epoch metrics of training jobs come from: a small interface, so the campaign's
 * early termination (src/campaign/stopping/) reads curves without knowing whether they come from
 * CloudWatch metrics (cloudwatch-metrics.ts), logs, or an in-memory fake in tests. One call
 * serves many jobs: sources batch, and count their calls.
 */

/** A job whose curve is wanted, and the window its datapoints can lie in. */
export interface MetricJob {
  readonly name: string;
  /** Epoch ms: the job's creation (nothing it reports is older). */
  readonly from: number;
}

/** One finished epoch of one job. */
export interface EpochMetrics {
  /** 1-based. */
  readonly epoch: number;
  /** Epoch ms: when it was reported (for CloudWatch, the start of the period holding it). */
  readonly at: number;
  /** Metric name -> value, e.g. {"validation:mIOU": 0.61}: the metrics reported for this epoch. */
  readonly values: Readonly<Record<string, number>>;
  /**
   * False when the source could not tell this epoch from its neighbours: several epochs ended in
   * one CloudWatch period, and each of them carries their average. See docs/early-termination.md.
   */
  readonly exact: boolean;
}

/** A job's epochs so far, oldest first, numbered 1, 2, 3... without gaps. */
export interface JobCurve {
  readonly name: string;
  readonly epochs: readonly EpochMetrics[];
}

/** Per-epoch curves of many jobs, in batches. */
export interface MetricSource {
  /**
   * The curves of `jobs` from what was reported before `until` (epoch ms, exclusive); a job with
   * nothing reported yet has an empty curve. Rejects with a BackendError when the service keeps failing.
   */
  curves(jobs: readonly MetricJob[], until: number, signal?: AbortSignal): Promise<ReadonlyMap<string, JobCurve>>;
  /** API calls made so far, by operation, retries included. */
  readonly calls: Readonly<Record<string, number>>;
}
