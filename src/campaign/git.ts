import { execFile } from "node:child_process";
import { realpath } from "node:fs/promises";
import { basename, dirname, isAbsolute, relative, resolve, sep } from "node:path";

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

/** Where a sweep file is, independent of the working directory. */
export interface SweepFileLocation {
  /** The git repository's root, or the working directory outside git: where `.segsweep/` (the journal) lives. */
  readonly home: string;
  /** The file's path from `home`, with `/` separators: what the `segsweep:sweep-file` tag says. Never absolute. */
  readonly relative: string;
}

/**
 * The sweep file's path relative to its git repository's root (so launching from `sweeps/` or
 * from the root tags the same path), or relative to `cwd` outside git. A file outside `cwd` and
 * outside git is named by its base name: no absolute local path goes into a tag.
 */
export async function sweepFileLocation(file: string, cwd: string): Promise<SweepFileLocation> {
  const path = resolve(cwd, file);
  const top = await git(["rev-parse", "--show-toplevel"], dirname(path));
  if (top !== undefined && top !== "") {
    const root = await realpathOr(top);
    return { home: root, relative: posixRelative(root, await realpathOr(path)) };
  }
  const fromCwd = posixRelative(cwd, path);
  return { home: cwd, relative: fromCwd.startsWith("../") || isAbsolute(fromCwd) ? basename(path) : fromCwd };
}

/** The real path (git names the root with symlinks resolved), or the path itself when it cannot be resolved. */
async function realpathOr(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return path;
  }
}

function posixRelative(from: string, to: string): string {
  return relative(from, to).split(sep).join("/");
}
