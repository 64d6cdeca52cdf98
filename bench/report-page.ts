/**
 * Report page benchmark (issue 10): a campaign of 5,000 jobs with 30-epoch learning curves,
 * rendered by `segsweep report --format html` and opened from a file in Debian's Chromium
 * (a laptop's 1366×768 viewport), each run in a fresh page. Prints the file's size, the time from
 * navigation to the last section drawn, the longest task that blocked the page meanwhile, and how
 * long a click on a leaderboard column takes to re-sort 5,000 rows; beside them the floor: the
 * same file whose page script only parses the data (the libraries and data still load).
 *
 *   npx tsx bench/report-page.ts [--jobs 5000] [--epochs 30] [--runs 3]
 *
 * Targets (2-vCPU machine): file < 3 MB; rendered < 3 s; no blocking task over 500 ms; a sort
 * click under 100 ms; no console error and no network request.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { loadPageAssets, type PageAssets } from "../src/report/render/html/assets.js";
import { renderHtml } from "../src/report/render/html.js";
import { syntheticReport } from "./report-page/campaign.js";
import { type Chromium, type OpenedPage, startChromium } from "./report-page/chromium.js";

const { values } = parseArgs({
  options: { jobs: { type: "string", default: "5000" }, epochs: { type: "string", default: "30" }, runs: { type: "string", default: "3" } },
});
const JOBS = Number(values.jobs);
const EPOCHS = Number(values.epochs);
const RUNS = Number(values.runs);

/** What one page load measured, in ms. */
interface Load {
  readonly renderedMs: number;
  readonly longestTaskMs: number;
  readonly sections: Record<string, number>;
}

// Runs inside the page (as text: tsx would otherwise add helpers the page does not have).
const READ_TIMINGS = `new Promise((resolve) => {
  new PerformanceObserver((list, observer) => {
    observer.disconnect();
    const tasks = list.getEntries().map((entry) => entry.duration);
    resolve({
      renderedMs: Number(document.documentElement.dataset.renderedMs),
      longestTaskMs: Math.round(Math.max(0, ...tasks)),
      sections: JSON.parse(document.documentElement.dataset.sectionsMs || "{}"),
    });
  }).observe({ type: "longtask", buffered: true });
  setTimeout(() => resolve({ renderedMs: Number(document.documentElement.dataset.renderedMs), longestTaskMs: 0, sections: JSON.parse(document.documentElement.dataset.sectionsMs || "{}") }), 1000);
})`;

// Clicks the "job" column (sorting 5,000 rows by name) and forces layout: the time a user waits.
const SORT_CLICK = `(() => {
  const button = [...document.querySelectorAll("#leaderboard-table th button")].find((b) => b.textContent === "job");
  const started = performance.now();
  button.click();
  document.body.getBoundingClientRect();
  return performance.now() - started;
})()`;

async function load(browser: Chromium, file: string, sortClick: boolean): Promise<Load & { sortMs: number | null; opened: OpenedPage }> {
  const opened = await browser.open(file);
  await opened.page.waitForSelector("html[data-rendered-ms]", { timeout: 60_000 });
  const timings = (await opened.page.evaluate(READ_TIMINGS)) as Load;
  const sortMs = sortClick ? ((await opened.page.evaluate(SORT_CLICK)) as number) : null;
  await opened.page.close();
  return { ...timings, sortMs, opened };
}

/** The same page whose own scripts only parse the data and say they are done: the cost of loading alone. */
function floorAssets(assets: PageAssets): PageAssets {
  const parseOnly = `JSON.parse(document.getElementById("report-data").textContent);
document.documentElement.dataset.renderedMs = String(Math.round(performance.now()));`;
  return { css: assets.css, scripts: [...assets.scripts.slice(0, 2), { name: "floor.js", text: parseOnly }] };
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function main(): Promise<void> {
  const report = syntheticReport({ jobs: JOBS, epochs: EPOCHS });
  const started = performance.now();
  const html = renderHtml(report);
  const renderNodeMs = performance.now() - started;
  const assets = loadPageAssets();
  const libraryBytes = assets.scripts.slice(0, 2).reduce((sum, script) => sum + Buffer.byteLength(script.text), 0);
  const dir = await mkdtemp(join(tmpdir(), "segsweep-report-bench-"));
  const page = join(dir, "report.html");
  const floor = join(dir, "floor.html");
  await writeFile(page, html);
  await writeFile(floor, renderHtml(report, floorAssets(assets)));
  const browser = await startChromium();
  try {
    const loads = [];
    const floors = [];
    for (let run = 0; run < RUNS; run++) {
      loads.push(await load(browser, page, true));
      floors.push(await load(browser, floor, false));
    }
    const problems = loads.flatMap((run) => [...run.opened.errors, ...run.opened.requests.map((url) => `request: ${url}`)]);
    const rendered = median(loads.map((run) => run.renderedMs));
    const floorMs = median(floors.map((run) => run.renderedMs));
    const longest = Math.max(...loads.map((run) => run.longestTaskMs));
    const sort = median(loads.map((run) => run.sortMs ?? Number.NaN));
    const bytes = Buffer.byteLength(html);
    const curves = report.leaderboard.filter((row) => row.curve !== undefined).length;
    const line = (label: string, value: string, target = "") => console.log(`${label.padEnd(48)}${value.padEnd(22)}${target}`);
    console.log(`Report page: ${JOBS} jobs (${curves} with ${EPOCHS}-epoch or shorter curves), ${RUNS} runs, median shown`);
    console.log(
      `Load average when done: ${loadavg()
        .map((x) => x.toFixed(1))
        .join(" ")} (on ${availableParallelism()} cores)\n`,
    );
    line("page size", `${(bytes / 1e6).toFixed(2)} MB`, bytes < 3e6 ? "< 3 MB: ok" : "< 3 MB: MISSED");
    line("  of which Plot + d3 (inlined)", `${(libraryBytes / 1e3).toFixed(0)} KB`);
    line("  gzipped (as a CI artifact or mail)", `${(gzipSync(html).length / 1e6).toFixed(2)} MB`);
    line("renderHtml in Node", `${renderNodeMs.toFixed(0)} ms`);
    line("navigation to every section drawn", `${rendered} ms`, rendered < 3000 ? "< 3 s: ok" : "< 3 s: MISSED");
    line("floor: same file, data parsed, nothing drawn", `${floorMs} ms`);
    line("drawn / floor", `${(rendered / floorMs).toFixed(2)}×`);
    line("longest blocking task (any run)", `${longest} ms`, longest < 500 ? "< 500 ms: ok" : "< 500 ms: MISSED");
    line("sort click, 5,000 rows re-sorted", `${sort.toFixed(0)} ms`, sort < 100 ? "< 100 ms: ok" : "< 100 ms: MISSED");
    line("sections (first run), ms", JSON.stringify(loads[0]?.sections));
    line(
      "console errors and requests",
      String(problems.length),
      problems.length === 0 ? "none: ok" : `MISSED: ${problems.slice(0, 3).join("; ")}`,
    );
  } finally {
    await browser.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
