import type { ContractIssue } from "../algorithms/semantic-segmentation/index.js";
import type { SweepDefinition } from "../sweep/definition.js";
import { type Diagnostic, formatPath } from "../sweep/diagnostic.js";
import { originOf, type SweepPoint } from "../sweep/expand/index.js";
import type { SourceFile } from "../sweep/load.js";

/**
 * Problems found on points, grouped: a bad value on one grid axis breaks every point that uses it,
 * and a million identical lines help nobody. Each group is reported once, at the value's line,
 * with the first point it broke and how many points share it.
 */
export class PointIssues {
  private readonly groups = new Map<string, { severity: Diagnostic["severity"]; issue: ContractIssue; point: SweepPoint; count: number }>();
  private errorCount = 0;

  /** Records one issue of one point. */
  add(severity: Diagnostic["severity"], issue: ContractIssue, point: SweepPoint): void {
    if (severity === "error") this.errorCount++;
    const key = `${severity}\u0000${issue.key}\u0000${issue.message}`;
    const group = this.groups.get(key);
    if (group) group.count++;
    else this.groups.set(key, { severity, issue, point, count: 1 });
  }

  get hasErrors(): boolean {
    return this.errorCount > 0;
  }

  /** The groups as diagnostics, errors first, positioned at the value that caused them. */
  toDiagnostics(def: SweepDefinition, source: SourceFile): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const { severity, issue, point, count } of this.groups.values()) {
      const fieldPath = originOf(def, point, issue.key);
      const others = count > 1 ? ` (and ${count - 1} more point${count === 2 ? "" : "s"})` : "";
      out.push({
        severity,
        file: source.file,
        path: formatPath(fieldPath),
        point: point.index,
        message: `point ${point.index}${others}: ${issue.message}`,
        ...source.locate(fieldPath),
      });
    }
    return out.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1));
  }
}
