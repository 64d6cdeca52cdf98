/**
 * SageMaker Automatic Model Tuning (AMT) facts that the tuning planner and the stand-in both rely
 * on, in one place (sources: docs/sources.md#amt). Limits from the API model are hard; the
 * "Resource Limits for Automatic Model Tuning" page gives the account defaults.
 */

/** HyperParameterTuningJobName: 1-32 characters (API model, HyperParameterTuningJobName). */
export const TUNING_JOB_NAME_MAX = 32;

/** HyperParameterTuningJobName's pattern (API model). */
export const TUNING_JOB_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}$/;

/** "Hyperparameters that can be searched: 30", each categorical value counting as one (limits page). */
export const AMT_MAX_SEARCHED_VALUES = 30;

/** CategoricalParameterRange.Values: 1 to 30 values (API model, ParameterValues). */
export const AMT_MAX_CATEGORICAL_VALUES = 30;

/** Parallel training jobs per tuning job: 10 by default, can be raised to 100 (limits page). */
export const AMT_DEFAULT_PARALLEL = 10;
export const AMT_MAX_PARALLEL = 100;

/** The AMT strategies (API model, HyperParameterTuningJobStrategyType). */
export type AmtStrategy = "Grid" | "Random" | "Bayesian" | "Hyperband";

/** Training jobs per tuning job: 750 for every strategy by default; Random can be raised to 10,000 (limits page). */
export const AMT_DEFAULT_TRAINING_JOBS = 750;
export const AMT_MAX_TRAINING_JOBS: Readonly<Record<AmtStrategy, number>> = {
  Grid: 750,
  Random: 10_000,
  Bayesian: 750,
  Hyperband: 750,
};

/** Hyperband reads its budget from the static `epochs`; "The maximum value is 20,000 epochs" (HyperbandStrategyConfig). */
export const HYPERBAND_MAX_RESOURCE = 20_000;

/** Static hyperparameters Hyperband infers MaxResource from when it is absent (HyperbandStrategyConfig). */
export const HYPERBAND_RESOURCE_KEYS = ["epochs", "numepochs", "n-epochs", "n_epochs", "num_epochs"] as const;

/**
 * The training jobs a tuning job launches are named `<tuning job name>-<3 digits>-<8 hex>`
 * (third-party: public job listings), so a tuning job name is a prefix of its jobs' names.
 */
export const AMT_TRAINING_JOB_NAME = /^(?<tuning>[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31})-(?<index>\d{3,})-(?<hex>[0-9a-f]{8})$/;
