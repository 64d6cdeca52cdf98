import { describeTuningJob, listTuningTrainingJobs, type TuningView } from "./tuning-render.js";

/**
 * The tuning-job operations of the stand-in, after the request passed the API model: the one
 * place index.ts routes them to.
 */
export const TUNING_OPERATIONS: readonly string[] = [
  "CreateHyperParameterTuningJob",
  "DescribeHyperParameterTuningJob",
  "ListTrainingJobsForHyperParameterTuningJob",
  "StopHyperParameterTuningJob",
];

/** Answers one tuning-job operation at `now`. */
export function tuningOperation(view: TuningView, operation: string, input: Record<string, unknown>, now: number): unknown {
  const name = String(input.HyperParameterTuningJobName ?? "");
  switch (operation) {
    case "CreateHyperParameterTuningJob":
      return { HyperParameterTuningJobArn: view.tunings.create(input, now).arn };
    case "DescribeHyperParameterTuningJob":
      return describeTuningJob(view, view.tunings.lookup(name), now);
    case "ListTrainingJobsForHyperParameterTuningJob":
      return listTuningTrainingJobs(view, input, now);
    default:
      view.tunings.stop(name, now);
      return {};
  }
}
