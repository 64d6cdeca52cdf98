import type { JobCurve, MetricJob, MetricSource } from "../../../src/backend/metric-source.js";

/** A MetricSource over curves known in advance: it shows each epoch once its report time is before `until`. */
export interface FakeSource extends MetricSource {
  /** The job names asked for, per call. */
  readonly asked: string[][];
}

export function fakeSource(curves: ReadonlyMap<string, JobCurve>): FakeSource {
  const calls: Record<string, number> = {};
  const asked: string[][] = [];
  return {
    calls,
    asked,
    async curves(jobs: readonly MetricJob[], until: number) {
      calls.GetMetricData = (calls.GetMetricData ?? 0) + 1;
      asked.push(jobs.map((job) => job.name));
      return new Map(
        jobs.map((job) => {
          const epochs = curves.get(job.name)?.epochs.filter((epoch) => epoch.at < until) ?? [];
          return [job.name, { name: job.name, epochs }];
        }),
      );
    },
  };
}

/** A curve of objective values, epoch k reported at start + k · every ms. */
export function curve(name: string, start: number, every: number, values: readonly number[]): JobCurve {
  return {
    name,
    epochs: values.map((value, i) => ({ epoch: i + 1, at: start + (i + 1) * every, values: { "validation:mIOU": value }, exact: true })),
  };
}
