import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The texts the report page inlines: the plotting library (Observable Plot on d3, both ISC,
 * their copyright headers kept), the page's own script and style. Read from disk once; the page
 * itself never fetches anything.
 */
export interface PageAssets {
  /** Scripts, in load order: d3, then Plot (its UMD build reads the global `d3`), then the page's charts and the page. */
  readonly scripts: readonly { readonly name: string; readonly text: string }[];
  readonly css: string;
}

const require = createRequire(import.meta.url);

/** The file a package declares as its browser build (`exports["."].umd`: d3 and Plot both do). */
function umdBuildOf(packageName: string): string {
  let dir = dirname(require.resolve(packageName));
  for (;;) {
    const manifestPath = join(dir, "package.json");
    if (existsSync(manifestPath)) {
      const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { name?: string; exports?: { umd?: string } };
      if (manifest.name === packageName && typeof manifest.exports?.umd === "string") return join(dir, manifest.exports.umd);
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`the browser build of ${packageName} was not found (no package.json with exports.umd)`);
    dir = parent;
  }
}

/** The page's own files: next to this module in the source, or back from dist/src/report/render/html/ to the source. */
function pageFile(name: string): string {
  const candidates = [new URL(`./${name}`, import.meta.url), new URL(`../../../../../src/report/render/html/${name}`, import.meta.url)].map(
    (url) => fileURLToPath(url),
  );
  const found = candidates.find((path) => existsSync(path));
  if (found === undefined) throw new Error(`report page file ${name} not found; looked at ${candidates.join(", ")}`);
  return found;
}

/**
 * A script as it can sit inside `<script>…</script>`: `</script` or `<!--` in it would end or
 * confuse the element (HTML's script data state), so a build containing them is refused rather
 * than rewritten (a rewrite inside a regex literal could change its meaning). Source-map
 * comments are dropped: they would point at files that are not there.
 */
export function inlineScript(name: string, text: string): string {
  const cleaned = text.replace(/\n\/\/# sourceMappingURL=\S*\s*$/, "\n");
  if (/<\/script|<!--/i.test(cleaned)) throw new Error(`${name} contains "</script" or "<!--" and cannot be inlined in a page`);
  return cleaned;
}

/** The page's own scripts, in load order: the chart helpers, the charts, the page that calls them. */
const PAGE_SCRIPTS = ["kit.js", "charts.js", "curves.js", "page.js"];

let cached: PageAssets | undefined;

/** Loads (once) the page's scripts and style. */
export function loadPageAssets(): PageAssets {
  cached ??= {
    scripts: [
      { name: "d3", text: inlineScript("d3", readFileSync(umdBuildOf("d3"), "utf8")) },
      { name: "@observablehq/plot", text: inlineScript("@observablehq/plot", readFileSync(umdBuildOf("@observablehq/plot"), "utf8")) },
      ...PAGE_SCRIPTS.map((name) => ({ name, text: inlineScript(name, readFileSync(pageFile(name), "utf8")) })),
    ],
    css: readFileSync(pageFile("page.css"), "utf8"),
  };
  return cached;
}
