import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";

/**
 * Sizes of the sources, read with the TypeScript compiler's parser: lines per file and lines per
 * function (declarations, methods, function expressions and arrow functions; a function's lines
 * include the functions nested in it, since that is what a reader has to hold at once).
 */
export interface FunctionSize {
  readonly file: string;
  readonly name: string;
  /** 1-based line of the function's start. */
  readonly line: number;
  readonly lines: number;
}

/** Every .ts file under `dir`, relative to `root`. */
export function tsFilesUnder(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tsFilesUnder(root, path));
    else if (entry.name.endsWith(".ts")) out.push(relative(".", path));
  }
  return out;
}

/** Lines of a file, a final newline not counted as a line of its own. */
export function fileLines(text: string): number {
  return text.endsWith("\n") ? text.split("\n").length - 1 : text.split("\n").length;
}

function nameOf(node: ts.Node, source: ts.SourceFile): string {
  if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isFunctionExpression(node)) && node.name !== undefined) {
    return node.name.getText(source);
  }
  const parent = node.parent;
  if (parent !== undefined && ts.isVariableDeclaration(parent)) return parent.name.getText(source);
  if (parent !== undefined && ts.isPropertyAssignment(parent)) return parent.name.getText(source);
  if (ts.isConstructorDeclaration(node)) return "constructor";
  return "(anonymous)";
}

/** Every function in `text` with its length in lines. */
export function functionSizes(file: string, text: string): FunctionSize[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const sizes: FunctionSize[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && "body" in node && node.body !== undefined) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      sizes.push({ file, name: nameOf(node, source), line: start + 1, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return sizes;
}

/** Reads every file under `dirs` and measures it. */
export function measureSources(
  root: string,
  dirs: readonly string[],
): { files: { file: string; lines: number }[]; functions: FunctionSize[] } {
  const files: { file: string; lines: number }[] = [];
  const functions: FunctionSize[] = [];
  for (const file of dirs.flatMap((dir) => tsFilesUnder(root, dir))) {
    const text = readFileSync(join(root, file), "utf8");
    files.push({ file, lines: fileLines(text) });
    functions.push(...functionSizes(file, text));
  }
  return { files, functions };
}
