import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exitCodeOf } from "../../src/cli/errors.js";
import type { CliIO, Command } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import { UserError } from "../../src/errors.js";

/** The one captured-IO helper: a CliIO whose output is kept, off a terminal unless told otherwise (as CI runs). */
export interface Captured {
  readonly io: CliIO;
  stdout(): string;
  stderr(): string;
}

export interface CaptureOptions {
  /** Default: AWS_REGION=us-east-1 and nothing else. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  /** Both streams are terminals. */
  readonly tty?: boolean;
  /** Only stderr is a terminal (the launch progress line). */
  readonly stderrIsTTY?: boolean;
  readonly confirm?: (question: string) => Promise<boolean>;
  readonly signal?: AbortSignal;
}

export function captureIO(options: CaptureOptions = {}): Captured {
  let out = "";
  let err = "";
  const io: CliIO = {
    stdout: { write: (text: string) => (out += text), isTTY: options.tty === true },
    stderr: { write: (text: string) => (err += text), isTTY: options.tty === true || options.stderrIsTTY === true },
    env: options.env ?? { AWS_REGION: "us-east-1" },
    cwd: options.cwd ?? process.cwd(),
    signal: options.signal ?? new AbortController().signal,
    ...(options.confirm !== undefined ? { confirm: options.confirm } : {}),
  };
  return { io, stdout: () => out, stderr: () => err };
}

/** Runs the CLI in-process with captured output and no TTY, as CI would. */
export async function runCli(argv: string[], options: CaptureOptions = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const captured = captureIO(options);
  const code = await main(argv, captured.io);
  return { code, stdout: captured.stdout(), stderr: captured.stderr() };
}

/** Runs one command in-process as main() would: a UserError becomes its message on stderr and its exit code; a bug is thrown. */
export async function runCommand(command: Command, argv: string[], captured: Captured): Promise<number> {
  try {
    return await command(argv, captured.io);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    captured.io.stderr.write(`${error.message}\n`);
    return exitCodeOf(error);
  }
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
