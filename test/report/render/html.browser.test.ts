import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Chromium, type OpenedPage, startChromium } from "../../../bench/report-page/chromium.js";
import { renderHtml } from "../../../src/report/render/html.js";
import type { CampaignReport } from "../../../src/report/types.js";
import { HOSTILE_REASON, p0, p1, p2, p3, p4, p5, p6, pageReport, plainReport, TERMINATION_REASON } from "./page-fixture.js";

/**
 * The report page in a real browser (Debian's Chromium, see bench/report-page/chromium.ts),
 * loaded from a file. Run alone with `npm run test:browser`. The screenshot of the full page is
 * written to SCREENSHOT for people to look at.
 */
const SCREENSHOT = join(tmpdir(), "segsweep-report-page", "report.png");

const HOSTILE_VALUE = `"><img src=x onerror="window.pwned=1">`;
const HOSTILE_JOB = `<b id="injected">${p5}</b>`;

/** The fixture campaign, with a job name and a hyperparameter value that are markup (the failure reason already is). */
function hostile(report: CampaignReport): CampaignReport {
  const leaderboard = report.leaderboard.map((row) =>
    row.job === p5 ? { ...row, job: HOSTILE_JOB, hyperparameters: { ...row.hyperparameters, algorithm: HOSTILE_VALUE } } : row,
  );
  return { ...report, leaderboard };
}

let browser: Chromium;
let dir: string;
let main: OpenedPage;
let plain: OpenedPage;

async function open(name: string, html: string): Promise<OpenedPage> {
  const file = join(dir, name);
  await writeFile(file, html);
  const opened = await browser.open(file);
  await opened.page.waitForSelector("html[data-rendered-ms]", { timeout: 30_000 });
  return opened;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "segsweep-report-page-test-"));
  browser = await startChromium();
  main = await open("report.html", renderHtml(hostile(pageReport())));
  plain = await open("plain.html", renderHtml(plainReport()));
  await mkdir(join(tmpdir(), "segsweep-report-page"), { recursive: true });
  await main.page.screenshot({ path: SCREENSHOT, fullPage: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

const cells = (page: Page, column: number) =>
  page.$$eval(`#leaderboard-table tbody tr td:nth-child(${column})`, (tds) => tds.map((td) => td.textContent));
const clickColumn = (page: Page, title: string) => page.dispatchEvent(`#leaderboard-table th button:text-is("${title}")`, "click");
const marksOf = (page: Page, selector: string) =>
  page.$$eval(`${selector} canvas`, (canvases) => canvases.map((c) => Number(c.getAttribute("data-marks"))));
/** The part of a canvas element these checks use (the tests compile without the DOM's types). */
interface CanvasLike {
  readonly width: number;
  readonly height: number;
  getContext(kind: "2d"): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}

/** Pixels drawn (alpha > 0) on each canvas under `selector`. */
const inkOf = (page: Page, selector: string) =>
  page.$$eval(`${selector} canvas`, (canvases) =>
    canvases.map((canvas) => {
      const drawn = canvas as unknown as CanvasLike;
      const pixels = drawn.getContext("2d")?.getImageData(0, 0, drawn.width, drawn.height).data ?? [];
      let ink = 0;
      for (let k = 3; k < pixels.length; k += 4) if ((pixels[k] ?? 0) > 0) ink++;
      return ink;
    }),
  );

describe("the report page in Chromium [browser]", () => {
  it("loads with no console error and no request other than its own file", () => {
    expect(main.errors).toEqual([]);
    expect(main.requests).toEqual([]);
    expect(plain.errors).toEqual([]);
    expect(plain.requests).toEqual([]);
  });

  it("lists the leaderboard's rows in rank order, the stopped job marked with the campaign's reason", async () => {
    const ranked = hostile(pageReport()).leaderboard;
    expect(await cells(main.page, 2)).toEqual(ranked.map((row) => row.job));
    expect(ranked.slice(0, 5).map((row) => row.job)).toEqual([p1, p0, `${p4}-r1`, p6, p3]);
    expect(await cells(main.page, 4)).toEqual(["0.6400", "0.6100", "0.5800", "0.5000", "0.3600", "-", "-"]);
    const stopped = await main.page.$eval("#leaderboard-table tr.terminated td.state", (td) => [td.textContent, td.getAttribute("title")]);
    expect(stopped).toEqual(["stopped early (campaign)", TERMINATION_REASON]);
  });

  it("sorts on a click on a column, and reverses on a second click", async () => {
    // The first click with the mouse, as a person does; the rest as click events, which is quicker.
    await main.page.click(`#leaderboard-table th button:text-is("job")`);
    const byName = [p0, p1, p2, p3, `${p4}-r1`, p6, HOSTILE_JOB].sort();
    expect(await cells(main.page, 2)).toEqual(byName);
    expect(await main.page.getAttribute("#leaderboard-table th:nth-child(2)", "aria-sort")).toBe("ascending");
    await clickColumn(main.page, "job");
    expect(await cells(main.page, 2)).toEqual([...byName].reverse());
    await clickColumn(main.page, "learning_rate");
    expect(await cells(main.page, 10)).toEqual(["0.001", "0.001", "0.01", "0.01", "0.01", "0.1", "0.1"]);
    await clickColumn(main.page, "mIOU");
    expect(await cells(main.page, 4)).toEqual(["0.6400", "0.6100", "0.5800", "0.5000", "0.3600", "-", "-"]);
    await main.page.fill("#leaderboard input", "psp");
    expect(await main.page.$$eval("#leaderboard-table tbody tr", (rows) => rows.length)).toBe(3);
    await main.page.fill("#leaderboard input", "");
  });

  it("draws the objective against each hyperparameter, one dot per point that reported it", async () => {
    expect(await main.page.$$eval("#by-hyperparameter figure", (figures) => figures.length)).toBe(2);
    expect(await marksOf(main.page, "#by-hyperparameter")).toEqual([5, 5]);
    for (const ink of await inkOf(main.page, "#by-hyperparameter")) expect(ink).toBeGreaterThan(50);
    const ticks = await main.page.$$eval("#by-hyperparameter figure:first-child svg text", (texts) => texts.map((t) => t.textContent));
    expect(ticks).toEqual(expect.arrayContaining(["deeplab", "fcn", "psp"]));
  });

  it("shows the job under the pointer", async () => {
    const ring = await main.page.$("#by-hyperparameter figure:first-child svg g[aria-label='dot'] circle");
    const box = await ring?.boundingBox();
    if (!box) throw new Error("the best point's ring is not drawn");
    await main.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await main.page.waitForSelector("#by-hyperparameter .hover-tip:not([hidden])");
    expect(await main.page.textContent("#by-hyperparameter .hover-tip:not([hidden])")).toContain(`${p1} · algorithm fcn`);
  });

  it("draws parallel coordinates, learning curves (the stopped job marked) and cost over time", async () => {
    expect(await marksOf(main.page, "#parallel")).toEqual([5]);
    expect(await marksOf(main.page, "#curves")).toEqual([5]);
    for (const ink of [...(await inkOf(main.page, "#parallel")), ...(await inkOf(main.page, "#curves"))]) expect(ink).toBeGreaterThan(500);
    expect(await main.page.textContent("#curves .legend")).toContain("1 job stopped early by the campaign");
    const costPath = await main.page.getAttribute("#cost svg g[aria-label='line'] path", "d");
    expect(costPath?.split(/[ML]/).filter(Boolean).length).toBeGreaterThanOrEqual(5);
    expect(await main.page.textContent("#cost")).toContain("cumulative cost (USD)");
  });

  it("groups failures by reason, showing markup in a reason as text", async () => {
    const rows = await main.page.$$eval("#failures-table tbody tr", (trs) => trs.map((tr) => tr.querySelector(".reason")?.textContent));
    expect(rows).toHaveLength(2);
    expect(rows).toContain(HOSTILE_REASON);
  });

  it("never turns data into markup: no image, no injected element, no script ran", async () => {
    expect(await main.page.$$eval("img", (images) => images.length)).toBe(0);
    expect(await main.page.$("#injected")).toBeNull();
    expect(await main.page.evaluate("window.pwned")).toBeUndefined();
    expect(await main.page.title()).toBe("segsweep report · seg-lr");
    expect(await main.page.$$eval("#by-hyperparameter svg text", (texts) => texts.map((t) => t.textContent))).toContain(HOSTILE_VALUE);
  });

  it("says what it does not know instead of drawing it: no curves, cost in hours when a price is missing", async () => {
    expect(await plain.page.textContent("#curves")).toContain("No learning curves in this report");
    expect(await plain.page.$$("#curves canvas")).toHaveLength(0);
    expect(await plain.page.textContent("#cost")).toContain("billable instance-hours (cost unknown)");
    expect(await plain.page.textContent("header")).toContain("cost unknown: no price in the catalog for ml.g5.48xlarge");
  });

  it("would notice a request or a console error (the checks above can fail)", async () => {
    const probe = await open(
      "probe.html",
      `<!doctype html><img src="http://127.0.0.1:9/x.png"><script>console.error("boom")</script><script>document.documentElement.dataset.renderedMs = "1"</script>`,
    );
    expect(probe.requests).toEqual(["http://127.0.0.1:9/x.png"]);
    expect(probe.errors.join("\n")).toContain("boom");
  });
});
