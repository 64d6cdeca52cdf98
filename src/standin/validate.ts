import type { ApiModel, Shape } from "./model.js";

/**
 * Checks a request against the botocore shapes, generically: required members, string lengths,
 * patterns and enums, numeric ranges, list and map sizes, nested structures. It reports what
 * SageMaker's front end (Coral) reports, in its words: "1 validation error detected: Value 'x' at
 * 'trainingJobName' failed to satisfy constraint: Member must satisfy regular expression pattern:
 * ..." (docs/sources.md#errors; message shapes from public error output, e.g. Kenza-AI/sagify#57,
 * aws-samples/amazon-sagemaker-pytorch-detectron2#10). Values of the wrong JSON type are not
 * constraint violations: SageMaker answers those with a SerializationException.
 */

/** One failed constraint. `path` is Coral's: lowerCamel members joined by dots, list items as `.N.member`. */
export interface Violation {
  readonly path: string;
  readonly value: unknown;
  readonly constraint: string;
}

/** A value whose JSON type does not match its shape (a string where a number belongs...). */
export interface TypeMismatch {
  readonly path: string;
  readonly expected: string;
  readonly got: string;
}

/** Everything wrong with one request. */
export interface ValidationResult {
  readonly violations: readonly Violation[];
  readonly typeMismatches: readonly TypeMismatch[];
}

/** Checks `input` against the shape named `shapeName`. */
export function validateShape(model: ApiModel, shapeName: string, input: unknown): ValidationResult {
  const violations: Violation[] = [];
  const typeMismatches: TypeMismatch[] = [];
  const walker = { model, violations, typeMismatches };
  checkValue(walker, shapeName, input, "");
  return { violations, typeMismatches };
}

/** "2 validation errors detected: Value ... ; Value ..." as SageMaker words it. */
export function validationMessage(violations: readonly Violation[]): string {
  const count = violations.length;
  const head = `${count} validation error${count === 1 ? "" : "s"} detected: `;
  return (
    head + violations.map((v) => `Value ${renderValue(v.value)} at '${v.path}' failed to satisfy constraint: ${v.constraint}`).join("; ")
  );
}

/** "Expected a string at 'trainingJobName', got number" for the first few type mismatches. */
export function typeMismatchMessage(mismatches: readonly TypeMismatch[]): string {
  return mismatches
    .slice(0, 5)
    .map((m) => `Expected ${m.expected} at '${m.path || "(request)"}', got ${m.got}`)
    .join("; ");
}

interface Walker {
  readonly model: ApiModel;
  readonly violations: Violation[];
  readonly typeMismatches: TypeMismatch[];
}

function shapeOf(walker: Walker, name: string): Shape {
  const shape = walker.model.shapes[name];
  if (shape === undefined) throw new Error(`API model has no shape ${name}`);
  return shape;
}

function join(path: string, member: string): string {
  const camel = member.charAt(0).toLowerCase() + member.slice(1);
  return path === "" ? camel : `${path}.${camel}`;
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkValue(walker: Walker, shapeName: string, value: unknown, path: string): void {
  const shape = shapeOf(walker, shapeName);
  const mismatch = (expected: string): void => {
    walker.typeMismatches.push({ path, expected, got: jsonType(value) });
  };
  switch (shape.type) {
    case "structure": {
      if (!isRecord(value)) {
        mismatch("an object");
        return;
      }
      const required = new Set(shape.required ?? []);
      for (const [member, ref] of Object.entries(shape.members ?? {})) {
        const memberValue = value[member];
        const memberPath = join(path, member);
        if (memberValue === undefined || memberValue === null) {
          if (required.has(member)) walker.violations.push({ path: memberPath, value: null, constraint: "Member must not be null" });
          continue;
        }
        checkValue(walker, ref.shape, memberValue, memberPath);
      }
      return;
    }
    case "list": {
      if (!Array.isArray(value)) {
        mismatch("a list");
        return;
      }
      pushAll(walker, path, value, sizeFailures(shape, value.length));
      const memberShape = shape.member?.shape;
      if (memberShape === undefined) return;
      if (isContainer(walker, memberShape)) {
        for (const [index, item] of value.entries()) checkValue(walker, memberShape, item, `${path}.${index + 1}.member`);
      } else if (value.some((item) => scalarFailures(walker, memberShape, item, path).length > 0)) {
        walker.violations.push({
          path,
          value,
          constraint: `Member must satisfy constraint: [${describe(shapeOf(walker, memberShape)).join(", ")}]`,
        });
      }
      return;
    }
    case "map": {
      if (!isRecord(value)) {
        mismatch("a map");
        return;
      }
      const entries = Object.entries(value);
      pushAll(walker, path, value, sizeFailures(shape, entries.length));
      const keyShape = shape.key?.shape;
      const valueShape = shape.value?.shape;
      if (keyShape !== undefined && entries.some(([key]) => scalarFailures(walker, keyShape, key, path).length > 0)) {
        walker.violations.push({
          path,
          value,
          constraint: `Map keys must satisfy constraint: [${describe(shapeOf(walker, keyShape)).join(", ")}]`,
        });
      }
      if (valueShape === undefined) return;
      if (isContainer(walker, valueShape)) {
        for (const [key, item] of entries) checkValue(walker, valueShape, item, `${path}.${key}`);
      } else if (entries.some(([, item]) => scalarFailures(walker, valueShape, item, path).length > 0)) {
        walker.violations.push({
          path,
          value,
          constraint: `Map value must satisfy constraint: [${describe(shapeOf(walker, valueShape)).join(", ")}]`,
        });
      }
      return;
    }
    default:
      pushAll(walker, path, value, scalarFailures(walker, shapeName, value, path));
  }
}

function pushAll(walker: Walker, path: string, value: unknown, constraints: readonly string[]): void {
  for (const constraint of constraints) walker.violations.push({ path, value, constraint });
}

function isContainer(walker: Walker, shapeName: string): boolean {
  const type = shapeOf(walker, shapeName).type;
  return type === "structure" || type === "list" || type === "map";
}

function sizeFailures(shape: Shape, length: number): string[] {
  const failures: string[] = [];
  if (shape.max !== undefined && length > shape.max) failures.push(`Member must have length less than or equal to ${shape.max}`);
  if (shape.min !== undefined && length < shape.min) failures.push(`Member must have length greater than or equal to ${shape.min}`);
  return failures;
}

/** The constraints a scalar fails; a wrong JSON type is recorded as a mismatch and fails nothing else. */
function scalarFailures(walker: Walker, shapeName: string, value: unknown, path: string): string[] {
  const shape = shapeOf(walker, shapeName);
  const mismatch = (expected: string): string[] => {
    walker.typeMismatches.push({ path, expected, got: jsonType(value) });
    return [];
  };
  switch (shape.type) {
    case "string": {
      if (typeof value !== "string") return mismatch("a string");
      // Coral counts code points, not UTF-16 units.
      const failures = sizeFailures(shape, [...value].length);
      if (shape.pattern !== undefined) {
        const regex = compilePattern(shape.pattern);
        if (regex !== undefined && !regex.test(value)) failures.push(`Member must satisfy regular expression pattern: ${shape.pattern}`);
      }
      if (shape.enum !== undefined && !shape.enum.includes(value))
        failures.push(`Member must satisfy enum value set: [${shape.enum.join(", ")}]`);
      return failures;
    }
    case "integer":
    case "long":
      if (typeof value !== "number" || !Number.isInteger(value)) return mismatch("an integer");
      return rangeFailures(shape, value);
    case "float":
    case "double":
      if (typeof value !== "number") return mismatch("a number");
      return rangeFailures(shape, value);
    case "boolean":
      return typeof value === "boolean" ? [] : mismatch("a boolean");
    case "timestamp":
      // awsJson sends epoch seconds; ISO strings are accepted as the service does.
      return typeof value === "number" || (typeof value === "string" && !Number.isNaN(Date.parse(value))) ? [] : mismatch("a timestamp");
    case "blob":
      return typeof value === "string" ? [] : mismatch("base64 text");
    default:
      return [];
  }
}

function rangeFailures(shape: Shape, value: number): string[] {
  const failures: string[] = [];
  if (shape.max !== undefined && value > shape.max) failures.push(`Member must have value less than or equal to ${shape.max}`);
  if (shape.min !== undefined && value < shape.min) failures.push(`Member must have value greater than or equal to ${shape.min}`);
  return failures;
}

/** Every constraint of a scalar shape, as Coral lists them inside "must satisfy constraint: [...]". */
function describe(shape: Shape): string[] {
  const parts: string[] = [];
  const unit = shape.type === "string" ? "length" : "value";
  if (shape.max !== undefined) parts.push(`Member must have ${unit} less than or equal to ${shape.max}`);
  if (shape.min !== undefined) parts.push(`Member must have ${unit} greater than or equal to ${shape.min}`);
  if (shape.pattern !== undefined) parts.push(`Member must satisfy regular expression pattern: ${shape.pattern}`);
  if (shape.enum !== undefined) parts.push(`Member must satisfy enum value set: [${shape.enum.join(", ")}]`);
  return parts;
}

const compiled = new Map<string, RegExp | undefined>();

/**
 * The model's patterns are Java regular expressions, matched against the whole value. Two Java
 * forms have no JavaScript spelling and are rewritten: `\p{Alnum}` (ASCII letters and digits) and
 * a quantifier on `$` (`${1,128}`, which only asserts the end). Undefined when a pattern still
 * does not compile (none in the shipped model: a test checks this).
 */
export function compilePattern(pattern: string): RegExp | undefined {
  if (compiled.has(pattern)) return compiled.get(pattern);
  const javaToJs = pattern
    .replace(/\[([^\]]*)\]/g, (cls: string) => cls.replaceAll("\\p{Alnum}", "a-zA-Z0-9"))
    .replaceAll("\\p{Alnum}", "[a-zA-Z0-9]")
    .replace(/\$\{\d+(,\d*)?\}/g, "$");
  let regex: RegExp | undefined;
  try {
    regex = new RegExp(`^(?:${javaToJs})$`, "u");
  } catch {
    regex = undefined;
  }
  compiled.set(pattern, regex);
  return regex;
}

/** A value as Coral prints it in messages: 'text', '12', null, '[a, b]', '{k=v}'. */
function renderValue(value: unknown): string {
  if (value === null || value === undefined) return "null";
  return `'${renderInner(value)}'`;
}

function renderInner(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(renderInner).join(", ")}]`;
  if (isRecord(value))
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}=${renderInner(v)}`)
      .join(", ")}}`;
  return String(value);
}
