import type { Diagnostic } from "../../sweep/diagnostic.js";

/**
 * Diagnostics for people: a compiler-style location (editors make `file:line:col` clickable),
 * the field path, then the message.
 *
 *   ✖ sweeps/x.yaml:12:7 hyperparameters.learning_rate[2]
 *     point 3 (and 5 more points): learning_rate: 0 is out of range; allowed: a number with 0 < x ≤ 1
 */
export function renderDiagnostics(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map(renderOne).join("");
}

function renderOne(d: Diagnostic): string {
  const mark = d.severity === "error" ? "✖" : "⚠";
  const where = [d.file, d.line, d.column].filter((part) => part !== undefined).join(":");
  const head = [mark, where, d.path].filter(Boolean).join(" ");
  const body = d.message
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
  return `${head}\n${body}\n`;
}

/** `2 errors, 1 warning` */
export function countLine(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  return `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`;
}
