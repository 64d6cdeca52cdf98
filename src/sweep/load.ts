import { readFile } from "node:fs/promises";
import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import type { Diagnostic, FieldPath } from "./diagnostic.js";

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
}

export type ParseResult =
  | { readonly ok: true; readonly source: SourceFile }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/** Parses sweep-file text. Pure: `file` is only used in messages. */
export function parseSweepText(text: string, file: string): ParseResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      diagnostics: doc.errors.map((error) => {
        const position = error.linePos?.[0];
        // yaml's message repeats the position and a code excerpt after a colon-newline; keep the first line.
        const message = error.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? error.message;
        return {
          severity: "error",
          file,
          message: `not valid YAML: ${message}`,
          ...(position ? { line: position.line, column: position.col } : {}),
        } satisfies Diagnostic;
      }),
    };
  }
  const data: unknown = doc.toJS({ maxAliasCount: 1000 });
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    return {
      ok: false,
      diagnostics: [
        {
          severity: "error",
          file,
          line: 1,
          column: 1,
          message: "a sweep file is a mapping with at least `name`, `hyperparameters` and `data`",
        },
      ],
    };
  }
  return {
    ok: true,
    source: {
      file,
      data,
      locate(path, at = "value") {
        const offset = offsetOf(doc, path, at);
        if (offset === undefined) return undefined;
        const { line, col } = lineCounter.linePos(offset);
        return { line, column: col };
      },
    },
  };
}

/** Reads and parses a sweep file; a file that cannot be read is a diagnostic, not an exception. */
export async function loadSweepFile(file: string): Promise<ParseResult> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    return { ok: false, diagnostics: [{ severity: "error", file, message: `cannot read the sweep file: ${reason}` }] };
  }
  return parseSweepText(text, file);
}

/** Start offset of the node at `path` (or of its key), falling back to the deepest existing ancestor. */
function offsetOf(doc: Document, path: FieldPath, at: "key" | "value"): number | undefined {
  let node: unknown = doc.contents;
  let best = rangeStart(node);
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) return best;
      if (last && at === "key") return rangeStart(pair.key) ?? best;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number") {
      node = node.items[segment];
    } else {
      return best;
    }
    best = rangeStart(node) ?? best;
  }
  return best;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}
