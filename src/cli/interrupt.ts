/**
 * Interruptions by signal, named: the process's AbortSignal carries the signal's name as its
 * reason (processIO in main.ts), so every message says what stopped the command, SIGINT (Ctrl-C)
 * or SIGTERM (a container, a CI runner or `kill` stopping it).
 */

/** The signals segsweep stops on. */
export const STOP_SIGNALS = ["SIGINT", "SIGTERM"] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** The signal that aborted `signal`, or undefined (not aborted, or aborted by something else). */
export function stopSignalOf(signal: AbortSignal): StopSignal | undefined {
  if (!signal.aborted) return undefined;
  const reason: unknown = signal.reason;
  const name = reason instanceof Error ? reason.message : reason;
  return STOP_SIGNALS.find((candidate) => candidate === name);
}

/** "Ctrl-C (SIGINT)", "SIGTERM", or "an interrupt" when the signal is not known. */
export function interruptName(signal: AbortSignal): string {
  const name = stopSignalOf(signal);
  if (name === "SIGINT") return "Ctrl-C (SIGINT)";
  return name ?? "an interrupt";
}

/** "Interrupted by SIGTERM." as the first words of an interruption's message ("Interrupted." when the signal is not known). */
export function interruptedBy(signal: AbortSignal): string {
  return stopSignalOf(signal) === undefined ? "Interrupted." : `Interrupted by ${interruptName(signal)}.`;
}

/** How to quit at once after the first signal: the same signal again. */
export function againToQuit(signal: AbortSignal): string {
  return stopSignalOf(signal) === "SIGTERM" ? "SIGTERM again quits at once." : "Ctrl-C again quits at once.";
}
