import { S3_URI_MAX } from "../catalog/sagemaker-api.js";

/**
 * A sweep file's data location, checked offline and resolved: an `s3://bucket/key` URI, or a key
 * prefix relative to the stack's `datasetsUri` (so committed sweep files need not name a generated
 * bucket). One resolver for `validate`, `plan`, `--dry-run` and `launch`. Rules and sources:
 * docs/sweep-files.md#data-locations, docs/sources.md#s3-names.
 */

/**
 * The longest `datasetsUri` a stack can have: `s3://` + a 63-character bucket name + `/datasets/`
 * (78 characters). A relative location must fit SageMaker's S3Uri limit once joined to it.
 */
export const ASSUMED_DATASETS_URI_MAX = "s3://".length + 63 + "/datasets/".length;

/** S3 object keys are at most 1,024 bytes of UTF-8 (docs/sources.md#s3-names). */
export const S3_KEY_MAX_BYTES = 1024;

const ALLOWED = "an s3://bucket/prefix/ URI, or a key prefix relative to the stack's datasetsUri such as pascal-voc/train/";

/** A location as parsed: the bucket (undefined when relative to the stack's datasetsUri) and the key. */
export interface DataLocationParts {
  readonly bucket: string | undefined;
  readonly key: string;
}

/** Why `value` is not a usable data location (what it is, then what is allowed), or undefined when it is one. */
export function dataLocationProblem(value: string): string | undefined {
  const control = firstControlCharacter(value);
  if (control !== undefined) {
    const char = value[control] ?? "";
    const name = char === "\n" ? "a newline" : char === "\t" ? "a tab" : `the control character U+${hex(char)}`;
    return `${ALLOWED}; this one holds ${name} at character ${control + 1}`;
  }
  const local = localPathKind(value);
  if (local) return `${ALLOWED}; this is ${local}, and training jobs read only S3: upload the data first (aws s3 sync)`;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(value)?.[1];
  if (scheme !== undefined && value.startsWith("s3://")) return s3UriProblem(value);
  if (scheme !== undefined) {
    const hint = scheme.toLowerCase() === "s3" ? ` (write the scheme in lower case: s3://)` : "";
    return `${ALLOWED}; ${scheme}:// is not supported${hint}`;
  }
  const keyProblem = keySegmentsProblem(value);
  if (keyProblem) return `${ALLOWED}; ${keyProblem}`;
  const resolved = ASSUMED_DATASETS_URI_MAX + codePoints(value);
  if (resolved > S3_URI_MAX) {
    return `at most ${S3_URI_MAX - ASSUMED_DATASETS_URI_MAX} characters for a relative location: joined to the stack's datasetsUri (assumed at most ${ASSUMED_DATASETS_URI_MAX} characters: s3:// + a 63-character bucket + /datasets/) it would be ${resolved.toLocaleString("en-US")} characters, over SageMaker's ${S3_URI_MAX.toLocaleString("en-US")} (S3Uri)`;
  }
  return undefined;
}

/** The bucket and key of a valid location (call dataLocationProblem first). */
export function dataLocationParts(value: string): DataLocationParts {
  if (!value.startsWith("s3://")) return { bucket: undefined, key: value };
  const rest = value.slice("s3://".length);
  const slash = rest.indexOf("/");
  return slash < 0 ? { bucket: rest, key: "" } : { bucket: rest.slice(0, slash), key: rest.slice(slash + 1) };
}

/**
 * A channel's S3 prefix that is not a folder: SageMaker reads every object whose key starts with
 * the prefix, so `road/train` also reads `road/train_annotation/...` (docs/sources.md#s3-names).
 * `others`: the other channels' locations, to name one this prefix would swallow.
 */
export function prefixWithoutSlashWarning(value: string, others: readonly string[] = []): string | undefined {
  const { key } = dataLocationParts(value);
  if (key === "" || key.endsWith("/")) return undefined;
  const swallowed = others.find((other) => other !== value && other.startsWith(value));
  const example = swallowed !== undefined ? `${JSON.stringify(swallowed)}, another channel's data` : JSON.stringify(`${key}-old/...`);
  return `${JSON.stringify(value)} has no trailing /: SageMaker reads every object whose key starts with it, so it also reads ${example}; write ${JSON.stringify(`${value}/`)}`;
}

/**
 * The S3 URI SageMaker receives: an `s3://` location as it is, a relative one joined to the stack's
 * `datasetsUri` with exactly one slash. It does not judge the location (`dataLocationProblem`
 * does, when the sweep file is read), so a resolved plan and a validated file always agree.
 */
export function resolveDataLocation(location: string, datasetsUri: string): string {
  if (location.startsWith("s3://")) return location;
  return `${datasetsUri.replace(/\/+$/, "")}/${location.replace(/^\/+/, "")}`;
}

/** What kind of local path `value` is, or undefined when it is not one. */
function localPathKind(value: string): string | undefined {
  if (/^file:/i.test(value)) return "a local file URI";
  if (/^[A-Za-z]:([\\/]|$)/.test(value)) return "a Windows drive path";
  if (value.startsWith("\\")) return "a Windows path";
  if (value.startsWith("~")) return "a path in a home directory";
  if (value.startsWith("/")) return "an absolute local path";
  if (/^\.\.?([\\/]|$)/.test(value)) return "a relative local path";
  return undefined;
}

/** `//`, `.` or `..` segments, or a backslash, in a key (or key prefix). */
function keySegmentsProblem(key: string): string | undefined {
  if (key.includes("\\")) return `the key holds a backslash: S3 keys separate folders with /`;
  const segments = key.split("/");
  // A trailing slash leaves one empty last segment: that is how a folder prefix is written.
  const inner = key.endsWith("/") ? segments.slice(0, -1) : segments;
  if (inner.some((segment) => segment === "")) return `the key holds an empty segment (//): S3 keys are literal, so it names no folder`;
  const dots = inner.find((segment) => segment === "." || segment === "..");
  if (dots !== undefined) return `the key holds a ${dots} segment: S3 keys are literal (no folders to resolve ${dots} against)`;
  if (Buffer.byteLength(key, "utf8") > S3_KEY_MAX_BYTES) return `the key is over S3's ${S3_KEY_MAX_BYTES.toLocaleString("en-US")} bytes`;
  return undefined;
}

function s3UriProblem(value: string): string | undefined {
  const { bucket, key } = dataLocationParts(value);
  const bucketProblem = bucketNameProblem(bucket ?? "");
  if (bucketProblem) return `${ALLOWED}; the bucket name ${JSON.stringify(bucket)} ${bucketProblem} (S3's bucket naming rules)`;
  if (key !== "") {
    const keyProblem = keySegmentsProblem(key);
    if (keyProblem) return `${ALLOWED}; ${keyProblem}`;
  }
  const length = codePoints(value);
  if (length > S3_URI_MAX)
    return `at most ${S3_URI_MAX.toLocaleString("en-US")} characters (SageMaker's S3Uri); this one has ${length.toLocaleString("en-US")}`;
  return undefined;
}

/** Why S3 would refuse this bucket name (general purpose or directory bucket), or undefined. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `has ${name.length} characters; a bucket name has 3 to 63`;
  // Directory buckets (S3 Express One Zone): base--zone-id--x-s3, lowercase letters, digits and hyphens.
  if (name.endsWith("--x-s3")) {
    return /^[a-z0-9][a-z0-9-]*--[a-z0-9-]+--x-s3$/.test(name) ? undefined : "is not a directory bucket name (base--zone-id--x-s3)";
  }
  const bad = [...new Set(name.match(/[^a-z0-9.-]/g) ?? [])];
  if (bad.length > 0)
    return `holds ${bad.map((c) => JSON.stringify(c)).join(", ")}; only lowercase letters, digits, dots and hyphens are allowed`;
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return "must begin and end with a letter or digit";
  if (name.includes("..")) return "holds two adjacent dots";
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return "is formatted as an IP address";
  const prefix = ["xn--", "sthree-", "amzn-s3-demo-"].find((p) => name.startsWith(p));
  if (prefix) return `starts with ${prefix}, which S3 reserves`;
  const suffix = ["-s3alias", "--ol-s3", ".mrap", "--table-s3"].find((s) => name.endsWith(s));
  if (suffix) return `ends with ${suffix}, which S3 reserves`;
  return undefined;
}

/** Index of the first C0 or C1 control character (a newline, a tab, DEL...), or undefined. */
function firstControlCharacter(text: string): number | undefined {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return i;
  }
  return undefined;
}

function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

function hex(char: string): string {
  return (char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0");
}
