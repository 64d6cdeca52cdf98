import { z } from "zod";
import { type CheckResult, result } from "./report.js";

/**
 * The label map's documented shapes (docs/sources.md#algorithm): `{"scale": "k"}` divides each
 * pixel value by k; `{"map": {"<class>": <encoded value>, ...}}` names the encoded pixel value of
 * each class (the documented example maps encoded values [0, 5, 2] to classes [1, 0, 2] with
 * {"0": 5, "1": 0, "2": 2}). Annotations are 8-bit, so encoded values are 0..255. Pure.
 */

const Scale = z.strictObject({
  scale: z
    .union([z.string().regex(/^\d+(\.\d+)?$/, 'a number written as a string, e.g. "3"'), z.number()])
    .refine((k) => Number(k) > 0, "greater than 0"),
});
const ClassMap = z.strictObject({
  map: z
    .record(
      z.string().regex(/^\d+$/, 'class indices as keys: "0", "1", ...'),
      z.number().int().min(0).max(255, "an 8-bit pixel value, 0 to 255"),
    )
    .refine((map) => Object.keys(map).length > 0, "at least one class"),
});

/** A label map file as the algorithm reads it. */
export const LabelMap = z.union([Scale, ClassMap], { error: 'either {"scale": "<k>"} or {"map": {"<class>": <pixel value>, ...}}' });
export type LabelMap = z.infer<typeof LabelMap>;

/** One label-map file read from the channel. */
export interface LabelMapFile {
  /** The key, relative to the channel's prefix. */
  readonly name: string;
  readonly text: string;
}

function parse(text: string): { readonly map: LabelMap } | { readonly problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { problem: `not JSON (${(error as Error).message})` };
  }
  const parsed = LabelMap.safeParse(json);
  if (parsed.success) return { map: parsed.data };
  const issue = parsed.error.issues[0];
  const at = issue && issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
  return { problem: `${issue?.message ?? "not a label map"}${at}` };
}

/** One file against one num_classes value: the documented shape, class indices below num_classes, every class covered. */
export function checkLabelMap(uri: string, file: LabelMapFile, numClasses: number): CheckResult {
  const subject = `${uri.replace(/\/?$/, "/")}${file.name}`;
  const parsed = parse(file.text);
  if ("problem" in parsed) {
    return result(
      "label-map",
      subject,
      "fail",
      `${parsed.problem}; a label map is {"scale": "<k>"} or {"map": {"<class>": <pixel value>}}`,
      {
        numbers: { numClasses },
      },
    );
  }
  if ("scale" in parsed.map) {
    return result(
      "label-map",
      subject,
      "pass",
      `scale ${parsed.map.scale}: pixel values are divided by it (the masks' values are not read here)`,
      {
        numbers: { numClasses, scale: Number(parsed.map.scale) },
      },
    );
  }
  const classes = Object.keys(parsed.map.map).map(Number);
  const outside = classes.filter((c) => c >= numClasses).sort((a, b) => a - b);
  const missing = Array.from({ length: numClasses }, (_, c) => c).filter((c) => !classes.includes(c));
  const numbers = { numClasses, classes: classes.length, outside: outside.length, missing: missing.length };
  if (outside.length > 0) {
    return result(
      "label-map",
      subject,
      "fail",
      `maps classes ${outside.join(", ")}, but num_classes is ${numClasses} (classes 0 to ${numClasses - 1})`,
      {
        numbers,
        fix: `Raise num_classes, or remove the classes ${numClasses} and above from the label map`,
      },
    );
  }
  if (missing.length > 0) {
    const shown = missing.slice(0, 10).join(", ") + (missing.length > 10 ? ", ..." : "");
    return result(
      "label-map",
      subject,
      "warn",
      `maps ${classes.length} of num_classes ${numClasses}; no pixel value for classes ${shown}`,
      { numbers },
    );
  }
  return result("label-map", subject, "pass", `maps all ${numClasses} classes`, { numbers });
}
