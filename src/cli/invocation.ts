import { realpathSync } from "node:fs";
import { delimiter, join } from "node:path";

/**
 * How to run segsweep again in a command a user pastes: `segsweep` when the one running is the one
 * on PATH (a global install, or `npm link`), else `npx segsweep` (after `npm ci` in a clone, the
 * bin is only under node_modules/.bin, which npx finds).
 */

/** `segsweep` when the program running is the first `segsweep` on PATH, else `npx segsweep`. Pure. */
export function chooseInvocation(running: string | undefined, onPath: string | undefined): "segsweep" | "npx segsweep" {
  return running !== undefined && onPath !== undefined && running === onPath ? "segsweep" : "npx segsweep";
}

function realpath(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/** The real path of the first `segsweep` on `PATH`, if any. */
export function segsweepOnPath(pathVariable: string | undefined): string | undefined {
  for (const dir of (pathVariable ?? "").split(delimiter)) {
    if (dir === "") continue;
    const found = realpath(join(dir, "segsweep"));
    if (found !== undefined) return found;
  }
  return undefined;
}

let cached: { readonly path: string | undefined; readonly invocation: "segsweep" | "npx segsweep" } | undefined;

/** The invocation for this process (process.argv[1] is the bin script that runs), decided once per PATH. */
export function segsweepInvocation(env: Readonly<Record<string, string | undefined>>): "segsweep" | "npx segsweep" {
  if (cached !== undefined && cached.path === env.PATH) return cached.invocation;
  const script = process.argv[1];
  const invocation = chooseInvocation(script !== undefined ? realpath(script) : undefined, segsweepOnPath(env.PATH));
  cached = { path: env.PATH, invocation };
  return invocation;
}
