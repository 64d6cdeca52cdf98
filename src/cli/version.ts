import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * segsweep's version, read at run time from its own package.json: the first package.json named
 * "segsweep" above this module, which is the same file whether the module runs from src/ (tsx),
 * from dist/src/ (the build) or from node_modules/segsweep/dist/src/ (an npm install).
 */
export async function segsweepVersion(moduleUrl: string = import.meta.url): Promise<string> {
  let dir = dirname(fileURLToPath(moduleUrl));
  for (;;) {
    const found = await readPackage(join(dir, "package.json"));
    if (found !== undefined) return found;
    const parent = dirname(dir);
    if (parent === dir) return "unknown";
    dir = parent;
  }
}

async function readPackage(path: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return undefined;
  }
  let json: { name?: unknown; version?: unknown };
  try {
    json = JSON.parse(text) as { name?: unknown; version?: unknown };
  } catch {
    return undefined; // someone else's broken package.json: keep looking up
  }
  return json.name === "segsweep" && typeof json.version === "string" ? json.version : undefined;
}
