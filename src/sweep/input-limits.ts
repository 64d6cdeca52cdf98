import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from "yaml";
import type { Diagnostic } from "./diagnostic.js";

/**
 * What a sweep file may hold, so that a huge or hostile file is refused with its line and the
 * limit instead of exhausting memory or time (docs/sweep-files.md, "Input limits"). A real sweep
 * file is a few kilobytes; every limit is orders of magnitude above that.
 */
export const INPUT_LIMITS = {
  /** Bytes of the file. Parsing costs about 2 µs and 200 bytes of memory a line or value. */
  fileBytes: 1_048_576,
  /** List items plus mapping entries in the whole file, aliases expanded (what a YAML alias bomb inflates). */
  values: 100_000,
  /** Entries of one mapping (the algorithm has 24 hyperparameters). */
  keysPerMapping: 1_000,
  /** Items of one list (a grid axis, include, exclude). */
  listItems: 10_000,
  /** Nesting of lists and mappings (a sweep file needs 4). */
  depth: 32,
  /** Aliases (`*name`) in the file. */
  aliases: 100,
} as const;

/** At most this many structure problems are listed; the rest are counted. */
const MAX_LISTED = 20;

/** `1,048,576` */
export function count(value: number): string {
  return value.toLocaleString("en-US");
}

/**
 * A bound on the list items and mapping entries of a text, read before parsing: every item or
 * entry needs one of `- , : ? [ {`, so their number cannot exceed the count of these characters.
 * Parsing a million-item flow list takes the YAML library seconds and gigabytes; this takes a
 * millisecond. Returns the 1-based line where the bound passes the limit, or undefined.
 */
export function lineOverValueBound(text: string, limit: number = INPUT_LIMITS.values): number | undefined {
  let seen = 0;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    else if (c === 45 || c === 44 || c === 58 || c === 63 || c === 91 || c === 123) {
      if (++seen > limit) return line;
    }
  }
  return undefined;
}

/** 1-based line of a byte offset of UTF-8 text (the line a size limit falls on). */
export function lineAtByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  const end = Math.min(offset, bytes.length);
  for (let i = 0; i < end; i++) if (bytes[i] === 10) line++;
  return line;
}

/**
 * Checks the parsed document against INPUT_LIMITS, and for duplicate keys (done here in linear
 * time: the YAML library's own `uniqueKeys` check compares each new key with every earlier one,
 * which made 100,000 keys take minutes). Aliases to an undefined anchor or to an enclosing node
 * are refused too: the first cannot be resolved, the second would make the data circular.
 */
export function checkDocumentLimits(doc: Document, lineCounter: LineCounter, file: string): Diagnostic[] {
  const problems: Diagnostic[] = [];
  let omitted = 0;
  const report = (node: unknown, message: string): void => {
    if (problems.length >= MAX_LISTED) {
      omitted++;
      return;
    }
    const offset = (node as Node | null | undefined)?.range?.[0];
    const position = offset === undefined ? undefined : lineCounter.linePos(offset);
    problems.push({ severity: "error", file, message, ...(position ? { line: position.line, column: position.col } : {}) });
  };
  const walker = new LimitWalker(report);
  const total = walker.weigh(doc.contents, 0);
  if (total > INPUT_LIMITS.values) {
    report(
      walker.firstAlias ?? doc.contents,
      `the file holds ${walker.firstAlias ? "(with its aliases expanded) " : ""}more than ${count(INPUT_LIMITS.values)} values (list items and mapping entries); a sweep file may hold at most ${count(INPUT_LIMITS.values)}${walker.firstAlias ? ". An alias that repeats an anchor that itself holds aliases grows exponentially (a YAML alias bomb)" : ""}`,
    );
  }
  if (omitted > 0) problems.push({ severity: "error", file, message: `and ${count(omitted)} more problems of the same kinds` });
  return problems;
}

/** One pass over the document: counts values with aliases expanded (memoised per node), checks each limit. */
class LimitWalker {
  private readonly anchors = new Map<string, unknown>();
  private readonly weights = new Map<unknown, number>();
  private readonly open = new Set<unknown>();
  private aliases = 0;
  firstAlias: unknown;

  constructor(private readonly report: (node: unknown, message: string) => void) {}

  /** List items and mapping entries under `node`, aliases expanded. */
  weigh(node: unknown, depth: number): number {
    const anchor = (node as { anchor?: string } | null)?.anchor;
    if (anchor !== undefined) this.anchors.set(anchor, node);
    if (isAlias(node)) return this.weighAlias(node);
    if (!isMap(node) && !isSeq(node)) return 0;
    if (depth >= INPUT_LIMITS.depth) {
      this.report(
        node,
        `lists and mappings are nested more than ${INPUT_LIMITS.depth} deep here; a sweep file may nest at most ${INPUT_LIMITS.depth}`,
      );
      return 0;
    }
    this.open.add(node);
    const weight = isMap(node) ? this.weighMap(node.items, depth) : this.weighSeq(node.items, depth);
    this.open.delete(node);
    this.weights.set(node, weight);
    return weight;
  }

  private weighMap(pairs: readonly unknown[], depth: number): number {
    if (pairs.length > INPUT_LIMITS.keysPerMapping) {
      const first = pairs[INPUT_LIMITS.keysPerMapping];
      this.report(
        isPair(first) ? first.key : first,
        `this mapping has ${count(pairs.length)} keys, more than the ${count(INPUT_LIMITS.keysPerMapping)} a sweep file allows in one mapping`,
      );
      return pairs.length;
    }
    const seen = new Map<string, unknown>();
    let weight = pairs.length;
    for (const pair of pairs) {
      if (!isPair(pair)) continue;
      if (isScalar(pair.key)) {
        const key = String(pair.key.value);
        if (seen.has(key)) this.report(pair.key, `duplicate key ${JSON.stringify(key)}: each key must be unique within a mapping`);
        else seen.set(key, pair.key);
      }
      weight += this.weigh(pair.key, depth + 1) + this.weigh(pair.value, depth + 1);
    }
    return weight;
  }

  private weighSeq(items: readonly unknown[], depth: number): number {
    if (items.length > INPUT_LIMITS.listItems) {
      this.report(
        items[INPUT_LIMITS.listItems],
        `this list has ${count(items.length)} items, more than the ${count(INPUT_LIMITS.listItems)} a sweep file allows in one list`,
      );
      return items.length;
    }
    let weight = items.length;
    for (const item of items) weight += this.weigh(item, depth + 1);
    return weight;
  }

  private weighAlias(alias: { source: string }): number {
    this.firstAlias ??= alias;
    if (++this.aliases === INPUT_LIMITS.aliases + 1) {
      this.report(alias, `more than ${INPUT_LIMITS.aliases} aliases (*name); a sweep file may use at most ${INPUT_LIMITS.aliases}`);
    }
    const target = this.anchors.get(alias.source);
    if (target === undefined) {
      this.report(alias, `*${alias.source} refers to no anchor: define &${alias.source} before it`);
      return 0;
    }
    if (this.open.has(target)) {
      this.report(alias, `*${alias.source} is inside the value it refers to (&${alias.source}), which would make the data endless`);
      return 0;
    }
    return this.weights.get(target) ?? 0;
  }
}
