import { z } from "zod";

/**
 * The distributions `strategy: random` can draw a hyperparameter from. Each is written in the
 * sweep file as a one-key mapping, e.g. `learning_rate: {log_uniform: [0.0001, 0.1]}`; the
 * schemas below are the single source of truth for the bounds' shape and their messages.
 */

const TWO_NUMBERS = "two numbers [low, high]";

const NumberBounds = z.tuple([z.number(TWO_NUMBERS), z.number(TWO_NUMBERS)], TWO_NUMBERS).refine(([low, high]) => low < high, {
  message: "low less than high",
});

const TWO_INTEGERS = "two integers [low, high]";

/** The bounds each distribution takes, as zod schemas: their messages say what is allowed. */
export const DISTRIBUTION_BOUNDS = {
  uniform: NumberBounds,
  log_uniform: NumberBounds.refine(([low]) => low > 0, { message: "low greater than 0 (log_uniform draws on a log scale)" }),
  int_uniform: z.tuple([z.int(TWO_INTEGERS), z.int(TWO_INTEGERS)], TWO_INTEGERS).refine(([low, high]) => low < high, {
    message: "low less than high",
  }),
} as const;

/** `uniform`, `log_uniform`, `int_uniform`. */
export type DistributionName = keyof typeof DISTRIBUTION_BOUNDS;

/** The distribution names, in the order messages list them. */
export const DISTRIBUTION_NAMES = Object.keys(DISTRIBUTION_BOUNDS) as DistributionName[];

/** Whether a mapping key names a distribution (own keys only, so `constructor` is not one). */
export function isDistributionName(name: string): name is DistributionName {
  return Object.hasOwn(DISTRIBUTION_BOUNDS, name);
}

/** Significant digits kept of a continuous draw: readable in job lists, and stable when printed and read back. */
export const SIGNIFICANT_DIGITS = 6;

/**
 * Maps a uniform variate `u` in [0, 1) to a value of the distribution. Continuous draws are
 * rounded to 6 significant digits and then kept within [low, high] (rounding could cross a bound
 * that itself has more digits).
 */
export function drawFrom(name: DistributionName, low: number, high: number, u: number): number {
  switch (name) {
    case "uniform":
      return clamp(round(low + u * (high - low)), low, high);
    case "log_uniform": {
      const logLow = Math.log(low);
      return clamp(round(Math.exp(logLow + u * (Math.log(high) - logLow))), low, high);
    }
    case "int_uniform":
      // high - low + 1 outcomes, each equally likely; min() guards float rounding on huge ranges.
      return Math.min(high, low + Math.floor(u * (high - low + 1)));
  }
}

function round(value: number): number {
  return Number(value.toPrecision(SIGNIFICANT_DIGITS));
}

function clamp(value: number, low: number, high: number): number {
  return value < low ? low : Math.min(value, high);
}
