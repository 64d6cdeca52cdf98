import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { UserError } from "../errors.js";
import { StackOutputs } from "./outputs.js";

/**
 * Reads the Pulumi stack's outputs: from a file written by `pulumi stack output --json`, or by
 * running that command when the Pulumi CLI is installed. Values are never echoed back in errors
 * beyond the field's name and what was expected: stack outputs may hold secrets.
 */
export type StackOutputsSource = { readonly file: string } | { readonly stack: string | undefined };

export interface ReadStackOptions {
  /** Where relative files resolve and `pulumi` runs (the Pulumi project directory). */
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Reads and validates the stack outputs; throws UserError naming the source and the bad field. */
export async function readStackOutputs(source: StackOutputsSource, options: ReadStackOptions = {}): Promise<StackOutputs> {
  const cwd = options.cwd ?? process.cwd();
  if ("file" in source) {
    const path = resolve(cwd, source.file);
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      throw new UserError(
        `Cannot read the stack outputs file ${source.file}: ${(error as Error).message}.\nWrite it with: pulumi stack output --json > ${source.file}`,
      );
    }
    return parseStackOutputs(text, source.file);
  }
  const args = ["stack", "output", "--json", ...(source.stack !== undefined ? ["--stack", source.stack] : [])];
  const text = await runPulumi(args, cwd, options.env ?? process.env);
  return parseStackOutputs(text, `pulumi ${args.join(" ")}`);
}

function runPulumi(args: readonly string[], cwd: string, env: Readonly<Record<string, string | undefined>>): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile("pulumi", [...args], { cwd, env: { ...env } as NodeJS.ProcessEnv, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error === null) {
        resolvePromise(stdout);
        return;
      }
      if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        reject(
          new UserError(
            "The Pulumi CLI is not installed (it is needed to read the stack outputs).\n" +
              "Install it (https://www.pulumi.com/docs/install/), or, where it is installed, run\n" +
              "  pulumi stack output --json > stack-outputs.json\n" +
              "and pass --stack-outputs stack-outputs.json.",
          ),
        );
        return;
      }
      const detail = String(stderr).trim().split("\n").slice(-3).join("\n");
      reject(
        new UserError(
          `pulumi ${args.join(" ")} failed${detail ? `:\n${detail}` : ""}\nSelect the stack with --stack NAME, or pass --stack-outputs FILE.`,
        ),
      );
    });
  });
}

/** Parses `pulumi stack output --json` text; `origin` names the file or command in errors. */
export function parseStackOutputs(text: string, origin: string): StackOutputs {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${origin}: not JSON (${(error as Error).message}). Expected the output of \`pulumi stack output --json\`.`);
  }
  const parsed = StackOutputs.safeParse(json);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const field = issue.path.join(".") || "(top level)";
    // The message says what is expected; the value itself is not printed (it may be a secret).
    const hint = issue.code === "invalid_type" && /undefined/.test(issue.message) ? "missing" : issue.message;
    return `  ✖ ${field}: ${hint}`;
  });
  throw new UserError(
    `${origin}: the stack outputs are not what segsweep expects:\n${lines.join("\n")}\n` +
      "Run `pulumi up` with this version of segsweep's stack, then read the outputs again.",
  );
}
