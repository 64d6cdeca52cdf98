import { APPLIES_ONLY_WHEN, type ContractIssue, type HyperparameterName } from "../algorithms/semantic-segmentation/index.js";
import type { SweepDefinition } from "../sweep/definition.js";
import { type Diagnostic, type FieldPath, formatPath } from "../sweep/diagnostic.js";
import { originOf, type SweepPoint } from "../sweep/expand/index.js";
import type { SourceFile } from "../sweep/load.js";

/** Example values for the include entry suggested when a conditionally required parameter is missing. */
const EXAMPLE_VALUE: Readonly<Partial<Record<string, string>>> = { lr_scheduler_step: '"10,20"' };

/**
 * Problems found on points, grouped: a bad value on one grid axis breaks every point that uses it,
 * and a million identical lines help nobody. Each group is reported once, at the value's line,
 * with the first point it broke and how many points share it.
 */
export class PointIssues {
  private readonly groups = new Map<string, { severity: Diagnostic["severity"]; issue: ContractIssue; point: SweepPoint; count: number }>();
  private errorCount = 0;

  /** `ignored`: keys whose problems are reported elsewhere (an unknown name, a value that did not compile). */
  constructor(private readonly ignored: ReadonlySet<string> = new Set()) {}

  /** Records one issue of one point. */
  add(severity: Diagnostic["severity"], issue: ContractIssue, point: SweepPoint): void {
    if (this.ignored.size > 0 && this.ignored.has(issue.key)) return;
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
      const { fieldPath, hint } = whereToPoint(def, point, issue.key);
      const others = count > 1 ? ` (and ${(count - 1).toLocaleString("en-US")} more point${count === 2 ? "" : "s"})` : "";
      out.push({
        severity,
        file: source.file,
        path: formatPath(fieldPath),
        point: point.index,
        message: `point ${point.index.toLocaleString("en-US")}${others}: ${issue.message}${hint}`,
        ...source.locate(fieldPath),
      });
    }
    return out.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1));
  }
}

/**
 * The value a problem should point at. A parameter that only some values of another require
 * (`lr_scheduler_step` under `lr_scheduler: step`) is missing because of that value: point there,
 * and say how to add it to those points only.
 */
function whereToPoint(def: SweepDefinition, point: SweepPoint, key: string): { fieldPath: FieldPath; hint: string } {
  const rule = APPLIES_ONLY_WHEN[key as HyperparameterName];
  if (rule === undefined || point.values[key] !== undefined || point.values[rule.on] === undefined) {
    return { fieldPath: originOf(def, point, key), hint: "" };
  }
  const fieldPath = originOf(def, point, rule.on);
  const controller = point.values[rule.on];
  const hint = `; to add it to the points with ${rule.on}: ${String(controller)} only, use an include entry: include: [{${rule.on}: ${String(controller)}, ${key}: ${EXAMPLE_VALUE[key] ?? "..."}}]`;
  return { fieldPath, hint };
}
