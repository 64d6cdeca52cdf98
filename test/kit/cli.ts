import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CliIO } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";

/** A CliIO whose output is captured, with no TTY unless asked (as CI runs). */
export function captureIO(overrides: Partial<CliIO> = {}, options: { stderrIsTTY?: boolean } = {}) {
  const output = { stdout: "", stderr: "" };
  const io: CliIO = {
    stdout: { write: (text: string) => (output.stdout += text) },
    stderr: { write: (text: string) => (output.stderr += text), isTTY: options.stderrIsTTY === true },
    env: {},
    cwd: process.cwd(),
    signal: new AbortController().signal,
    ...overrides,
  };
  return { io, output };
}

/** Runs the CLI in-process with captured output and no TTY, as CI would. */
export async function runCli(argv: string[], overrides: Partial<CliIO> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const { io, output } = captureIO(overrides);
  const code = await main(argv, io);
  return { code, ...output };
}

/** Writes a sweep file into a fresh temporary folder and returns its path. */
export function writeSweep(text: string, name = "sweep.yaml"): string {
  const dir = mkdtempSync(join(tmpdir(), "segsweep-test-"));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** A minimal valid sweep; `extra` lines are appended under the top level. */
export function sweepText(hyperparameters: string, extra = ""): string {
  return `name: test-sweep
hyperparameters:
  num_classes: 21
  num_training_samples: 1000
${hyperparameters
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => `  ${line}`)
  .join("\n")}
data:
  train: s3://bucket/train/
  validation: s3://bucket/validation/
  train_annotation: s3://bucket/train_annotation/
  validation_annotation: s3://bucket/validation_annotation/
${extra}`;
}
