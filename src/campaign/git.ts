import { execFile } from "node:child_process";
import { basename, dirname, resolve } from "node:path";

/**
 * The git commit a sweep file comes from, tagged on every job so a result can be traced to the
 * exact file: `<sha>`, or `<sha>-dirty` when the file has uncommitted changes. Undefined outside
 * a repository or without git.
 */
export async function sweepFileCommit(file: string, cwd: string): Promise<string | undefined> {
  const path = resolve(cwd, file);
  const dir = dirname(path);
  const sha = await git(["rev-parse", "HEAD"], dir);
  if (sha === undefined || !/^[0-9a-f]{40}$/.test(sha)) return undefined;
  const status = await git(["status", "--porcelain", "--", basename(path)], dir);
  return status !== undefined && status !== "" ? `${sha}-dirty` : sha;
}

function git(args: readonly string[], cwd: string): Promise<string | undefined> {
  return new Promise((resolvePromise) => {
    execFile("git", [...args], { cwd, timeout: 10_000 }, (error, stdout) => resolvePromise(error === null ? stdout.trim() : undefined));
  });
}
