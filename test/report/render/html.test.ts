import { createHash } from "node:crypto";
import { homedir } from "node:os";
import { describe, expect, it } from "vitest";
import { inlineScript, loadPageAssets } from "../../../src/report/render/html/assets.js";
import { pageData } from "../../../src/report/render/html/page-data.js";
import { escapeHtml, jsonForScriptElement, renderHtml } from "../../../src/report/render/html.js";
import { renderReport } from "../../../src/report/render/index.js";
import { HOSTILE_REASON, pageReport } from "./page-fixture.js";

/** A report whose strings are markup: campaign, job name, hyperparameter value and failure reason. */
function hostileReport() {
  const report = pageReport();
  const [first, ...rest] = report.leaderboard;
  if (first === undefined) throw new Error("fixture has no rows");
  return {
    ...report,
    campaign: `seg<script>window.pwned=1</script>`,
    leaderboard: [
      { ...first, job: `<b id="injected">job</b>`, hyperparameters: { ...first.hyperparameters, algorithm: `"><svg onload=alert(1)>` } },
      ...rest,
    ],
  };
}

/** The text of every `<script …>…</script>` element, with its attributes. */
function scripts(html: string): { attributes: string; text: string }[] {
  return [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)].map((match) => ({ attributes: match[1] ?? "", text: match[2] ?? "" }));
}

describe("renderHtml", () => {
  const report = hostileReport();
  const html = renderReport(report, "html");

  it("has exactly the page's own script elements: no string of the report opens or closes one", () => {
    const found = scripts(html);
    const names = loadPageAssets().scripts.map((script) => script.name);
    expect(found).toHaveLength(1 + names.length);
    expect(found[0]?.attributes).toBe(' type="application/json" id="report-data"');
    expect(found.slice(1).map((script) => script.text)).toEqual(loadPageAssets().scripts.map((script) => script.text));
  });

  it("carries the data as JSON that parses back to the page data, with no raw < > & in it", () => {
    const json = scripts(html)[0]?.text ?? "";
    expect(json).not.toMatch(/[<>&]/);
    const data = JSON.parse(json) as ReturnType<typeof pageData>;
    expect(data).toEqual(JSON.parse(JSON.stringify(pageData(report))));
    expect(data.failures.map((failure) => failure.reason)).toContain(HOSTILE_REASON);
    expect(data.rows.job[0]).toBe(`<b id="injected">job</b>`);
  });

  it("escapes the strings it writes into the header", () => {
    expect(html).toContain("<h1>Campaign seg&#60;script&#62;window.pwned=1&#60;/script&#62; ");
    expect(html).not.toContain("<script>window.pwned");
  });

  it("allows only its own inline scripts, by hash, and no connection at all", () => {
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? "";
    expect(policy).toContain("default-src 'none'");
    const scriptSrc = policy.split("; ").find((directive) => directive.startsWith("script-src")) ?? "";
    const hashes = scripts(html)
      .slice(1)
      .map((script) => `'sha256-${createHash("sha256").update(script.text).digest("base64")}'`);
    expect(scriptSrc).toBe(`script-src ${hashes.join(" ")}`);
    expect(policy).not.toMatch(/unsafe-eval|connect-src|https?:/);
  });

  it("holds no local path: not the working directory, the home directory, node_modules or a file: URL", () => {
    for (const path of [process.cwd(), homedir(), "node_modules", "file:"]) expect(html).not.toContain(path);
  });

  it("is the same text for the same report", () => {
    expect(renderHtml(report)).toBe(html);
  });
});

describe("the page's building blocks", () => {
  it("escapes the five HTML-special characters", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;");
  });

  it("writes JSON for a script element that parses back to the same value", () => {
    const value = { s: "</script><!-- \u2028 & >", n: [1, null] };
    const text = jsonForScriptElement(value);
    expect(text).not.toMatch(/<|>|&|\u2028/);
    expect(JSON.parse(text)).toEqual(value);
  });

  it("refuses to inline a script that would end or confuse its element, and drops source-map comments", () => {
    expect(() => inlineScript("lib", 'const s = "</script>";')).toThrow(/lib contains/);
    expect(() => inlineScript("lib", "x = 1; <!-- y")).toThrow(/lib contains/);
    expect(inlineScript("lib", "x = 1;\n//# sourceMappingURL=lib.js.map\n")).toBe("x = 1;\n");
  });
});
