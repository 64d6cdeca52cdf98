import type { PrefixListing, S3Object } from "../backend/s3.js";
import type { ChannelRole } from "./channels.js";
import { type CheckName, type CheckResult, result } from "./report.js";

/**
 * The layout the algorithm reads (docs/sources.md#algorithm): JPEG images under train/validation,
 * PNG annotations under train_annotation/validation_annotation paired one-to-one by base name,
 * label maps as JSON. Pure functions of a prefix's listing.
 */

/** How many offending names a result lists. */
export const EXAMPLES = 5;

interface Format {
  readonly check: CheckName;
  readonly name: string;
  readonly pattern: RegExp;
  readonly allowed: string;
}

const FORMATS: Readonly<Record<ChannelRole, Format>> = {
  images: { check: "images", name: "JPEG", pattern: /\.jpe?g$/i, allowed: ".jpg or .jpeg" },
  annotations: { check: "annotations", name: "PNG", pattern: /\.png$/i, allowed: ".png" },
  "label-map": { check: "label-map", name: "JSON", pattern: /\.json$/i, allowed: ".json" },
};

/** Thousands separated, as people read counts. */
export const count = (n: number): string => n.toLocaleString("en-US");

/** "1 file", "1,464 files". */
export const counted = (n: number, noun: string): string => `${count(n)} ${noun}${n === 1 ? "" : "s"}`;

/** The objects that are files: "folder" markers (a key ending in `/`, no bytes) made by consoles are not. */
export function filesOf(listing: PrefixListing): S3Object[] {
  return listing.objects.filter((object) => !((object.key === "" || object.key.endsWith("/")) && object.size === 0));
}

/** The key without the channel's prefix, without leading slashes (a prefix written without its trailing `/`). */
function relativeName(key: string): string {
  return key.replace(/^\/+/, "");
}

/** A prefix SageMaker will copy must hold at least one file. */
export function checkPrefix(uri: string, channels: readonly string[], listing: PrefixListing): CheckResult {
  const files = filesOf(listing).length;
  const names = channels.join(", ");
  if (files === 0) {
    return result("prefix", uri, "fail", `${names}: no objects under this prefix; each job would fail while downloading`, {
      numbers: { objects: 0 },
      fix: `Upload the data: aws s3 sync ./local-folder ${uri}`,
    });
  }
  return result("prefix", uri, "pass", `${names}: ${counted(files, "object")}${listing.complete ? "" : " or more"}`, {
    numbers: { objects: files },
  });
}

/** A listing cut at the bound is said loudly: what follows counts only its first part. */
export function checkListingBound(uri: string, listing: PrefixListing, maxObjects: number): CheckResult | undefined {
  if (listing.complete) return undefined;
  return result(
    "listing",
    uri,
    "warn",
    `listed only the first ${count(listing.objects.length)} objects (${listing.pages} pages) of this prefix: the bound is ${count(maxObjects)}; counts and pairs below cover that part only`,
    { numbers: { listed: listing.objects.length, pages: listing.pages, maxObjects }, fix: "Raise the bound: --max-objects N" },
  );
}

/** Every file of an images, annotations or label-map channel has that channel's format, and bytes. */
export function checkFormats(uri: string, channels: readonly string[], role: ChannelRole, listing: PrefixListing): CheckResult {
  const format = FORMATS[role];
  const files = filesOf(listing);
  const wrong = files.filter((file) => !format.pattern.test(file.key));
  const empty = files.filter((file) => file.size === 0 && format.pattern.test(file.key));
  const names = channels.join(", ");
  const numbers = {
    files: files.length,
    [format.name.toLowerCase()]: files.length - wrong.length,
    other: wrong.length,
    empty: empty.length,
  };
  if (wrong.length === 0 && empty.length === 0) {
    return result(
      format.check,
      uri,
      "pass",
      `${names}: ${counted(files.length, `${format.name} file`)}${listing.complete ? "" : " (in the part listed)"}`,
      { numbers },
    );
  }
  const byExtension = new Map<string, number>();
  for (const file of wrong) {
    const extension = /\.[^./]+$/.exec(file.key)?.[0]?.toLowerCase() ?? "(no extension)";
    byExtension.set(extension, (byExtension.get(extension) ?? 0) + 1);
  }
  const kinds = [...byExtension].map(([extension, n]) => `${count(n)} ${extension}`).join(", ");
  const problems = [
    ...(wrong.length > 0 ? [`${count(wrong.length)} not ${format.name} (${kinds})`] : []),
    ...(empty.length > 0 ? [`${count(empty.length)} empty (0 bytes)`] : []),
  ];
  return result(
    format.check,
    uri,
    "fail",
    `${names}: ${counted(files.length, "file")}, ${problems.join(", ")}; the channel must hold only ${format.name} files (${format.allowed})`,
    {
      numbers,
      examples: [...wrong, ...empty].slice(0, EXAMPLES).map((file) => relativeName(file.key)),
      fix: `Remove or convert them: every file under ${uri} is read as ${format.name}`,
    },
  );
}

/** Base names (path relative to the prefix, extension removed) of the files matching `pattern`. */
function baseNames(listing: PrefixListing, pattern: RegExp): Map<string, string> {
  const names = new Map<string, string>();
  for (const file of filesOf(listing)) {
    if (!pattern.test(file.key)) continue;
    const name = relativeName(file.key);
    names.set(name.replace(/\.[^./]+$/, ""), name);
  }
  return names;
}

/** Each JPEG image has a PNG annotation of the same base name, and each annotation an image. */
export function checkPairs(
  images: { readonly uri: string; readonly listing: PrefixListing },
  annotations: { readonly uri: string; readonly listing: PrefixListing },
  split: "train" | "validation",
): CheckResult {
  const imageNames = baseNames(images.listing, FORMATS.images.pattern);
  const annotationNames = baseNames(annotations.listing, FORMATS.annotations.pattern);
  const lonelyImages = [...imageNames].filter(([base]) => !annotationNames.has(base)).map(([, name]) => name);
  const lonelyAnnotations = [...annotationNames].filter(([base]) => !imageNames.has(base)).map(([, name]) => name);
  const numbers = {
    images: imageNames.size,
    annotations: annotationNames.size,
    imagesWithoutAnnotation: lonelyImages.length,
    annotationsWithoutImage: lonelyAnnotations.length,
  };
  const subject = `${split}, ${split}_annotation`;
  if (lonelyImages.length === 0 && lonelyAnnotations.length === 0) {
    return result(
      "pairs",
      subject,
      "pass",
      `${split}: ${counted(imageNames.size, "image")} and ${counted(annotationNames.size, "annotation")}, paired by base name`,
      { numbers },
    );
  }
  // A listing cut at the bound may lack the other half of a pair: unpaired is then a maybe.
  const partial = !images.listing.complete || !annotations.listing.complete;
  const parts = [
    ...(lonelyImages.length > 0 ? [`${counted(lonelyImages.length, "image")} without an annotation`] : []),
    ...(lonelyAnnotations.length > 0 ? [`${counted(lonelyAnnotations.length, "annotation")} without an image`] : []),
  ];
  return result(
    "pairs",
    subject,
    partial ? "warn" : "fail",
    `${split}: ${counted(imageNames.size, "image")}, ${counted(annotationNames.size, "annotation")}: ${parts.join(", ")}${partial ? " (in the part listed)" : ""}; every image needs a PNG annotation with its base name`,
    {
      numbers,
      examples: [
        ...lonelyImages.slice(0, EXAMPLES).map((n) => `${split}/${n}`),
        ...lonelyAnnotations.slice(0, EXAMPLES).map((n) => `${split}_annotation/${n}`),
      ],
      fix: `Add the missing files or remove the extra ones under ${images.uri} and ${annotations.uri}`,
    },
  );
}
