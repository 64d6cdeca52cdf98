import type { ManifestTarget } from "./channels.js";
import { type CheckResult, result } from "./report.js";

/**
 * Augmented manifests (docs/sources.md#algorithm): JSON Lines, each line an object with the
 * attribute names of the channel (`source-ref` and the annotation's `-ref` attribute), each an
 * S3 URI. Only the first lines are read; what they reference must be readable by the training role.
 */

/** How many lines of a manifest are parsed. */
export const MANIFEST_LINES = 5;
/** How many bytes of a manifest are read to find them. */
export const MANIFEST_HEAD_BYTES = 64 * 1024;

/** The first lines of a manifest, parsed: the references they make, or what is wrong with them. */
export interface ManifestHead {
  readonly lines: number;
  /** S3 URIs named by the attributes of the first line. */
  readonly refs: readonly string[];
  readonly problems: readonly string[];
}

/** Parses the first complete lines of `text` (which may end inside a line when the object is longer). */
export function parseManifestHead(text: string, complete: boolean, attributeNames: readonly string[]): ManifestHead {
  const all = text.split("\n");
  if (!complete) all.pop(); // the last line was cut by the range read
  const lines = all.filter((line) => line.trim() !== "").slice(0, MANIFEST_LINES);
  const problems: string[] = [];
  let refs: string[] = [];
  lines.forEach((line, index) => {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      problems.push(`line ${index + 1}: not JSON (${(error as Error).message})`);
      return;
    }
    if (typeof json !== "object" || json === null || Array.isArray(json)) {
      problems.push(`line ${index + 1}: not a JSON object`);
      return;
    }
    const record = json as Record<string, unknown>;
    const missing = attributeNames.filter((name) => !(name in record));
    if (missing.length > 0)
      problems.push(`line ${index + 1}: no attribute ${missing.map((m) => `"${m}"`).join(", ")} (has ${Object.keys(record).join(", ")})`);
    const notUris = attributeNames.filter(
      (name) => name in record && !(typeof record[name] === "string" && String(record[name]).startsWith("s3://")),
    );
    if (notUris.length > 0) problems.push(`line ${index + 1}: ${notUris.map((m) => `"${m}"`).join(", ")} not an s3:// URI`);
    if (index === 0) refs = attributeNames.flatMap((name) => (typeof record[name] === "string" ? [String(record[name])] : []));
  });
  if (lines.length === 0) problems.push("no lines");
  return { lines: lines.length, refs, problems };
}

/** The manifest's first lines, and whether the objects its first line names exist and are readable by the training role. */
export function checkManifest(
  target: ManifestTarget,
  head: ManifestHead,
  refs: ReadonlyMap<string, boolean>,
  datasetsUri: string,
): CheckResult {
  const home = datasetsUri.endsWith("/") ? datasetsUri : `${datasetsUri}/`;
  const outside = head.refs.filter((ref) => !ref.startsWith(home));
  const absent = head.refs.filter((ref) => refs.get(ref) === false);
  const problems = [
    ...head.problems,
    ...outside.map((ref) => `line 1: ${ref} is not under the stack's ${home} (the training role cannot read it)`),
    ...absent.map((ref) => `line 1: ${ref} does not exist`),
  ];
  const numbers = { linesRead: head.lines, problems: problems.length };
  const subject = target.uri;
  if (problems.length === 0) {
    return result(
      "manifest",
      subject,
      "pass",
      `${target.channel}: the first ${head.lines} lines are JSON with ${target.attributeNames.join(", ")}; the first line's objects exist`,
      { numbers },
    );
  }
  return result(
    "manifest",
    subject,
    "fail",
    `${target.channel}: ${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ""}`,
    {
      numbers,
      examples: problems.slice(0, 5),
      fix: `Each line must be a JSON object with ${target.attributeNames.map((n) => `"${n}"`).join(" and ")}, each an s3:// URI under ${home}`,
    },
  );
}
