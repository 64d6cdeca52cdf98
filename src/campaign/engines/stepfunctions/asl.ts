/**
 * The few Amazon States Language shapes the generator writes and the checker reads. Loose on
 * purpose: the checker must read any definition, good or bad, so states are open records.
 */

/** A JSON value, as a definition holds them. */
export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

/** One state: its `Type` and whatever fields that type has. */
export interface AslState {
  readonly Type: string;
  readonly [field: string]: Json;
}

/** A state machine, or a Map's ItemProcessor. */
export interface AslMachine {
  readonly Comment?: string;
  readonly StartAt: string;
  readonly States: { readonly [name: string]: AslState };
}

/** One entry of a Retry list. */
export type Retrier = {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds: number;
  readonly BackoffRate: number;
  readonly MaxAttempts: number;
  readonly MaxDelaySeconds: number;
  readonly JitterStrategy: "FULL" | "NONE";
};

/** Escapes `*` and `\` for a Choice rule's StringMatches pattern (both are special there). */
export function escapeStringMatches(text: string): string {
  return text.replace(/[\\*]/g, (character) => `\\${character}`);
}
