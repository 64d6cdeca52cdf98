import { open } from "node:fs/promises";
import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, type Node, type Pair, parseDocument, type YAMLMap } from "yaml";
import type { Diagnostic, FieldPath } from "./diagnostic.js";
import { checkDocumentLimits, count, INPUT_LIMITS, lineAtByte, lineOverValueBound } from "./input-limits.js";

/**
 * A sweep file read from disk and parsed, with what is needed to point an error at a line:
 * the YAML document keeps every node's offset, the LineCounter turns offsets into line/column.
 * JSON files go through the same parser (JSON is YAML 1.2).
 */
export interface SourceFile {
  readonly file: string;
  /** The plain data (what zod validates). */
  readonly data: unknown;
  /** Where a field path stands in the file: the value's position, or its nearest existing parent's. */
  locate(path: FieldPath, at?: "key" | "value"): { line: number; column: number } | undefined;
  /** Whether the path exists in the file (a field left out is not there, whatever its default). */
  has(path: FieldPath): boolean;
}

export type ParseResult =
  | { readonly ok: true; readonly source: SourceFile }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/** Parses sweep-file text. Pure: `file` is only used in messages. Refuses what passes INPUT_LIMITS. */
export function parseSweepText(text: string, file: string): ParseResult {
  const tooBig = sizeProblem(Buffer.from(text, "utf8"), file);
  if (tooBig) return { ok: false, diagnostics: [tooBig] };
  const overLine = lineOverValueBound(text);
  if (overLine !== undefined) {
    const message = `the file holds more than ${count(INPUT_LIMITS.values)} values (list items and mapping entries) by this line; a sweep file may hold at most ${count(INPUT_LIMITS.values)}`;
    return { ok: false, diagnostics: [{ severity: "error", file, line: overLine, column: 1, message }] };
  }
  const lineCounter = new LineCounter();
  // uniqueKeys is checked by checkDocumentLimits in linear time (the library's check is quadratic).
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: true });
  if (doc.errors.length > 0) return { ok: false, diagnostics: doc.errors.map((error) => yamlError(error, file)) };
  const limits = checkDocumentLimits(doc, lineCounter, file);
  if (limits.length > 0) return { ok: false, diagnostics: limits };
  let data: unknown;
  try {
    // checkDocumentLimits bounds what aliases expand to; the library's own guard stays as a second line.
    data = doc.toJS({ maxAliasCount: INPUT_LIMITS.values });
  } catch (error) {
    const message = `the file's aliases cannot be expanded: ${(error as Error).message}`;
    return { ok: false, diagnostics: [{ severity: "error", file, message }] };
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    const message = "a sweep file is a mapping with at least `name`, `hyperparameters` and `data`";
    return { ok: false, diagnostics: [{ severity: "error", file, line: 1, column: 1, message }] };
  }
  return { ok: true, source: sourceFile(file, data, doc, lineCounter) };
}

function sourceFile(file: string, data: object, doc: Document, lineCounter: LineCounter): SourceFile {
  return {
    file,
    data,
    locate(path, at = "value") {
      const offset = offsetOf(doc, path, at).offset;
      if (offset === undefined) return undefined;
      const { line, col } = lineCounter.linePos(offset);
      return { line, column: col };
    },
    has: (path) => offsetOf(doc, path, "value").exact,
  };
}

function yamlError(error: { message: string; linePos?: readonly { line: number; col: number }[] }, file: string): Diagnostic {
  const position = error.linePos?.[0];
  // yaml's message repeats the position and a code excerpt after a colon-newline; keep the first line.
  const first = error.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? error.message;
  // The parser recurses once per nesting level; thousands of `[` overflow its stack before any limit is checked.
  const message = first.includes("Maximum call stack size exceeded")
    ? `lists and mappings are nested too deep to parse; a sweep file may nest at most ${INPUT_LIMITS.depth}`
    : first;
  return {
    severity: "error",
    file,
    message: `not valid YAML: ${message}`,
    ...(position ? { line: position.line, column: position.col } : {}),
  };
}

/** A file over the size limit, with the line the limit falls on. */
function sizeProblem(bytes: Uint8Array, file: string, size = bytes.length): Diagnostic | undefined {
  if (size <= INPUT_LIMITS.fileBytes) return undefined;
  return {
    severity: "error",
    file,
    line: lineAtByte(bytes, INPUT_LIMITS.fileBytes),
    column: 1,
    message: `the file is ${count(size)} bytes, more than the ${count(INPUT_LIMITS.fileBytes)} bytes (1 MiB) a sweep file may have; the limit falls on this line`,
  };
}

/**
 * Reads and parses a sweep file; a file that cannot be read is a diagnostic, not an exception.
 * A file over the size limit is refused after reading only its first megabyte.
 */
export async function loadSweepFile(file: string): Promise<ParseResult> {
  let read: { bytes: Uint8Array; size: number };
  try {
    read = await readHead(file, INPUT_LIMITS.fileBytes + 1);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : (error as Error).message;
    return { ok: false, diagnostics: [{ severity: "error", file, message: `cannot read the sweep file: ${reason}` }] };
  }
  const tooBig = sizeProblem(read.bytes, file, read.size);
  if (tooBig) return { ok: false, diagnostics: [tooBig] };
  return parseSweepText(Buffer.from(read.bytes).toString("utf8"), file);
}

/** The first `max` bytes of a file, and its size (from stat; or what was read, for a pipe that has none). */
async function readHead(file: string, max: number): Promise<{ bytes: Uint8Array; size: number }> {
  const handle = await open(file, "r");
  try {
    const statSize = (await handle.stat()).size;
    const buffer = Buffer.alloc(max);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, max - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === max) break;
    }
    return { bytes: buffer.subarray(0, length), size: Math.max(statSize, length) };
  } finally {
    await handle.close();
  }
}

/** Each mapping's keys, indexed on first use: looking a key up by scanning made many diagnostics quadratic. */
const keyIndex = new WeakMap<YAMLMap, Map<string, Pair>>();

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  let index = keyIndex.get(map);
  if (!index) {
    index = new Map();
    for (const item of map.items) if (isPair(item) && isScalar(item.key)) index.set(String(item.key.value), item);
    keyIndex.set(map, index);
  }
  return index.get(key);
}

/** Start offset of the node at `path` (or of its key), falling back to the deepest existing ancestor. */
function offsetOf(doc: Document, path: FieldPath, at: "key" | "value"): { offset: number | undefined; exact: boolean } {
  let node: unknown = doc.contents;
  let best = rangeStart(node);
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if (isMap(node)) {
      const pair = pairOf(node, String(segment));
      if (!pair) return { offset: best, exact: false };
      if (i === path.length - 1 && at === "key") return { offset: rangeStart(pair.key) ?? best, exact: true };
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number" && segment < node.items.length) {
      node = node.items[segment];
    } else {
      return { offset: best, exact: false };
    }
    best = rangeStart(node) ?? best;
  }
  return { offset: best, exact: true };
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}
