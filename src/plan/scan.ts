import { resolveHyperparameters } from "../algorithms/semantic-segmentation/index.js";
import type { SweepDefinition } from "../sweep/definition.js";
import { type ExpansionStats, expandDespiteErrors, expandPoints, type SweepPoint } from "../sweep/expand/index.js";
import { DuplicatePoints } from "./duplicates.js";
import { hashSent } from "./fingerprint.js";
import { PointIssues } from "./point-issues.js";
import { SeenHashes } from "./seen-hashes.js";

/** How often (in points) a long check reports progress: about every two seconds at the measured speed. */
export const PROGRESS_EVERY = 1_000_000;

export interface ScanOptions {
  /** Stop as soon as there are more distinct trainings than this (undefined: count them all). */
  readonly stopAfterJobs: number | undefined;
  /** Record which points duplicate which job, for a job list (a summary needs only the counts). */
  readonly keepDuplicates: boolean;
  /** The search space has errors: expand without the keys that have them, to check the other values. */
  readonly despiteErrors: boolean;
  /** Keys whose problems are reported elsewhere (unknown names, values that did not compile). */
  readonly ignoredKeys: ReadonlySet<string>;
  /** GPUs of the instance type, for the syncbn warning (undefined when `resources` is broken). */
  readonly gpus: number | undefined;
  readonly total: number;
  readonly onProgress: ((checked: number, total: number) => void) | undefined;
  /** Points between two progress reports (PROGRESS_EVERY unless a test asks for fewer). */
  readonly progressEvery?: number;
  /** Sees every valid point (its hyperparameters as sent), and may add problems: the early_termination checks. */
  readonly observePoint?: ((sent: Readonly<Record<string, string>>, point: SweepPoint, issues: PointIssues) => void) | undefined;
}

/** What the first pass over the points found: their problems, and each distinct training in order. */
export interface Scan {
  readonly stats: ExpansionStats;
  readonly issues: PointIssues;
  /** Distinct trainings by the hash of their hyperparameters as sent, numbered in order of first appearance. */
  readonly jobs: SeenHashes;
  readonly duplicates: DuplicatePoints;
  readonly duplicateCount: number;
  /** Set when the scan stopped early, at this point, because the trainings passed `stopAfterJobs`. */
  readonly stoppedAt: number | undefined;
}

/**
 * The first pass: expands lazily, checks every point against the contract, and numbers the
 * distinct trainings by a 64-bit hash of what SageMaker would receive (bounded memory: no job is
 * kept). A later pass re-expands to list the jobs (`plannedJobs`).
 */
export function scanPoints(def: SweepDefinition, options: ScanOptions): Scan {
  const stats: ExpansionStats = { expanded: 0, excluded: 0 };
  const issues = new PointIssues(options.ignoredKeys);
  const jobs = new SeenHashes();
  const duplicates = new DuplicatePoints();
  const hash: [number, number] = [0, 0];
  const { stopAfterJobs, keepDuplicates, onProgress, gpus } = options;
  const every = options.progressEvery ?? PROGRESS_EVERY;
  let duplicateCount = 0;
  let stoppedAt: number | undefined;
  let checked = 0;
  const points = options.despiteErrors ? expandDespiteErrors(def, stats) : expandPoints(def, stats);
  for (const point of points) {
    if (++checked % every === 0) onProgress?.(checked, options.total);
    const resolution = resolveHyperparameters(point.values);
    for (const warning of resolution.warnings) issues.add("warning", warning, point);
    if (!resolution.ok) {
      for (const error of resolution.errors) issues.add("error", error, point);
      continue;
    }
    const sent = resolution.hyperparameters;
    options.observePoint?.(sent, point, issues);
    if (gpus === 1 && sent.syncbn === "True") {
      const message = `syncbn: True has no effect on ${def.resources.instanceType}, which has one GPU`;
      issues.add("warning", { key: "syncbn", value: "True", message }, point);
    }
    hashSent(sent, hash);
    const ordinal = jobs.add(hash[0], hash[1]);
    if (ordinal >= 0) {
      duplicateCount++;
      if (keepDuplicates) duplicates.add(ordinal, point.index);
    } else if (stopAfterJobs !== undefined && jobs.size > stopAfterJobs) {
      stoppedAt = point.index;
      break;
    }
  }
  if (keepDuplicates) duplicates.finish(jobs.size);
  return { stats, issues, jobs, duplicates, duplicateCount, stoppedAt };
}
