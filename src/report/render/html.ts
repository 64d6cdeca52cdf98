import { createHash } from "node:crypto";
import type { CampaignReport } from "../types.js";
import { loadPageAssets, type PageAssets } from "./html/assets.js";
import { type PageData, pageData } from "./html/page-data.js";

/**
 * The report as one self-contained HTML page: the data, the plotting library (Observable Plot
 * on d3) and the page's script inlined, nothing fetched at view time. Every string of the report
 * is data: the header is HTML-escaped here, the data travels as JSON inside a non-executed
 * script element, and the page's script only ever sets text. A Content-Security-Policy allows
 * exactly the inlined scripts (by hash) and no network at all, so even a bug that let markup
 * through could neither run a script nor load an image.
 */
export function renderHtml(report: CampaignReport, assets: PageAssets = loadPageAssets()): string {
  const data = pageData(report);
  const title = `${report.simulated ? "SIMULATED · " : ""}segsweep report · ${report.campaign}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(assets)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="segsweep">
<title>${escapeHtml(title)}</title>
<style>${assets.css}</style>
</head>
<body>
${header(data)}
<noscript><p class="note">The leaderboard and the charts are drawn by the page's script: allow JavaScript, or use <code>segsweep report FILE --format table</code>.</p></noscript>
<main id="report">
${SECTIONS.map(([id, heading]) => `<section id="${id}"><h2>${heading}</h2><div class="body"></div></section>`).join("\n")}
</main>
<script type="application/json" id="report-data">${jsonForScriptElement(data)}</script>
${assets.scripts.map((script) => `<script>${script.text}</script>`).join("\n")}
</body>
</html>
`;
}

/** The page's sections, in reading order; the page's script fills each `.body`. */
const SECTIONS: readonly (readonly [string, string])[] = [
  ["leaderboard", "Leaderboard"],
  ["by-hyperparameter", "Objective by hyperparameter"],
  ["parallel", "All points across hyperparameters"],
  ["curves", "Learning curves"],
  ["cost", "Cost over time"],
  ["failures", "Failures by reason"],
];

function header(data: PageData): string {
  const lines = data.summary.map((line, i) => `<p class="${data.simulated && i === 0 ? "banner" : "summary"}">${escapeHtml(line)}</p>`);
  return `<header>
<h1>Campaign ${escapeHtml(data.campaign)} <span class="file">${escapeHtml(data.sweepFile)}</span></h1>
${lines.join("\n")}
<nav>${SECTIONS.map(([id, heading]) => `<a href="#${id}">${heading}</a>`).join(" · ")}</nav>
</header>`;
}

/** Text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/**
 * JSON that can sit inside `<script type="application/json">`: `<`, `>` and `&` become `\u003c`
 * and so on (still the same JSON), so no string in it can close the element or open a comment;
 * U+2028 and U+2029 are escaped too, for tools that read it as JavaScript.
 */
export function jsonForScriptElement(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Scripts allowed by hash only; no connections, frames, fonts or images other than the legend's data: URL. */
function contentSecurityPolicy(assets: PageAssets): string {
  const hashes = assets.scripts.map((script) => `'sha256-${createHash("sha256").update(script.text).digest("base64")}'`);
  return [
    "default-src 'none'",
    `script-src ${hashes.join(" ")}`,
    // Plot writes a <style> element into each chart, with generated class names.
    "style-src 'unsafe-inline'",
    // Plot draws colour-ramp legends on a canvas and embeds them as data: images.
    "img-src data:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}
