import type { CampaignReport } from "../types.js";
import { renderCsv } from "./csv.js";
import { renderHtml } from "./html.js";
import { renderJson } from "./json.js";
import { renderTable } from "./table.js";

/**
 * The report's renderers, one per format, each a function of the same CampaignReport:
 * `table` for people in a terminal, `json` (the report object) and `csv` (the leaderboard) for
 * scripts, `html` (one self-contained page with charts) for people in a browser.
 */
export const REPORT_FORMATS = ["table", "json", "csv", "html"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Renders a report in one of REPORT_FORMATS; the text ends with a newline. */
export function renderReport(report: CampaignReport, format: ReportFormat): string {
  switch (format) {
    case "table":
      return renderTable(report);
    case "json":
      return renderJson(report);
    case "csv":
      return renderCsv(report);
    case "html":
      return renderHtml(report);
  }
}

/** Whether a `--format` value is one of REPORT_FORMATS. */
export function isReportFormat(format: string): format is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(format);
}
