import type { CampaignReport } from "../types.js";

/** The whole report object, pretty-printed: its schema is `CampaignReport` (report/types.ts). */
export function renderJson(report: CampaignReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
