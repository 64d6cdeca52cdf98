import type { PrefixListing, S3Reader } from "../backend/s3.js";
import { BackendError } from "../backend/types.js";
import type { JobsPlan } from "../plan/types.js";
import type { StackOutputs } from "../stack/outputs.js";
import { checkDataLocations, type PrefixTarget, roleOf } from "./channels.js";
import { checkLabelMap } from "./label-map.js";
import { checkFormats, checkListingBound, checkPairs, checkPrefix, filesOf } from "./layout.js";
import { type CheckResult, result } from "./report.js";
import { checkSamples, distinctValues } from "./samples.js";

/**
 * The S3Prefix data checks: list each distinct channel prefix once (all at the same time), then
 * run the pure layout checks on the listings. Reads only what the training role could read: a
 * location outside the stack's datasets prefix fails its location check and is not listed.
 */

/** Progress of one prefix's listing, for a progress line on stderr. */
export interface ListingProgress {
  readonly uri: string;
  readonly listed: number;
  readonly pages: number;
  readonly done: boolean;
}

export interface DataCheckOptions {
  readonly maxObjects: number;
  readonly onProgress?: (progress: ListingProgress) => void;
  readonly signal?: AbortSignal;
}

/** Label maps are a few hundred bytes; anything over this is not one. */
const LABEL_MAP_MAX_BYTES = 1024 * 1024;
/** At most this many label-map files are read (the algorithm documents one per split). */
const LABEL_MAP_FILES = 10;

type Listed =
  | { readonly target: PrefixTarget; readonly listing: PrefixListing }
  | { readonly target: PrefixTarget; readonly failure: CheckResult };

/** A failed read as a fail result that says what to do. */
export function readFailure(uri: string, what: string, error: unknown, bucket: string): CheckResult {
  if (!(error instanceof BackendError)) throw error;
  const detail = `${error.code}: ${error.message}`;
  if (error.kind === "not-found" && error.code === "NoSuchBucket")
    return result("prefix", uri, "fail", `bucket ${bucket} does not exist (${detail})`, {
      fix: "Check the stack outputs (--stack / --stack-outputs) and the data location",
    });
  if (error.kind === "access-denied") {
    return result("prefix", uri, "fail", `${what}: access denied (${detail})`, {
      fix: "Use credentials that carry the stack's operator policy (stack output operatorPolicyArn): it allows listing and reading datasets/",
    });
  }
  return result("prefix", uri, "fail", `${what}: could not be read (${detail})`);
}

async function listTarget(target: PrefixTarget, s3: S3Reader, options: DataCheckOptions): Promise<Listed> {
  try {
    const listing = await s3.listPrefix(target.bucket, target.key, {
      maxObjects: options.maxObjects,
      onPage: (listed, pages) => options.onProgress?.({ uri: target.uri, listed, pages, done: false }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    options.onProgress?.({ uri: target.uri, listed: listing.objects.length, pages: listing.pages, done: true });
    return { target, listing };
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return { target, failure: readFailure(target.uri, `${target.channels.join(", ")}: listing`, error, target.bucket) };
  }
}

/** Checks of one listed prefix: not empty, the bound, the format of each role its channels have. */
function prefixChecks(listed: Listed, maxObjects: number): CheckResult[] {
  if ("failure" in listed) return [listed.failure];
  const { target, listing } = listed;
  // An empty prefix fails; otherwise the format check says how many files there are.
  if (filesOf(listing).length === 0) return [checkPrefix(target.uri, target.channels, listing)];
  const bound = checkListingBound(target.uri, listing, maxObjects);
  const checks = bound ? [bound] : [];
  const roles = new Set(target.channels.flatMap((channel) => roleOf(channel) ?? []));
  for (const role of roles) checks.push(checkFormats(target.uri, target.channels, role, listing));
  return checks;
}

/** Label maps: each JSON file of the channel against each num_classes value of the plan. */
async function labelMapChecks(listed: Listed | undefined, plan: JobsPlan, s3: S3Reader): Promise<CheckResult[]> {
  if (listed === undefined || "failure" in listed) return [];
  const { target, listing } = listed;
  const files = filesOf(listing)
    .filter((file) => /\.json$/i.test(file.key))
    .slice(0, LABEL_MAP_FILES);
  const checks: CheckResult[] = [];
  for (const file of files) {
    const uri = `${target.uri}${file.key}`;
    if (file.size > LABEL_MAP_MAX_BYTES) {
      checks.push(result("label-map", uri, "fail", `${file.size} bytes: too large for a label map (at most ${LABEL_MAP_MAX_BYTES})`));
      continue;
    }
    try {
      const { text } = await s3.readStart(target.bucket, `${target.key}${file.key}`, LABEL_MAP_MAX_BYTES);
      for (const numClasses of distinctValues(plan, "num_classes"))
        checks.push(checkLabelMap(target.uri, { name: file.key, text }, numClasses));
    } catch (error) {
      checks.push({ ...readFailure(uri, "label map", error, target.bucket), check: "label-map" });
    }
  }
  return checks;
}

/** The checks of S3Prefix data: locations, prefixes, formats, pairs, num_training_samples, label maps. */
export async function checkPrefixData(
  plan: JobsPlan,
  stack: StackOutputs,
  targets: readonly PrefixTarget[],
  s3: S3Reader,
  options: DataCheckOptions,
): Promise<CheckResult[]> {
  const locations = checkDataLocations(targets, stack);
  const outside = new Set(locations.filter((check) => check.status === "fail").map((check) => check.subject));
  const readable = targets.filter((target) => !outside.has(target.uri));
  const listed = await Promise.all(readable.map((target) => listTarget(target, s3, options)));
  const byChannel = (channel: string): Listed | undefined => listed.find((entry) => entry.target.channels.includes(channel));
  const checks = [...locations, ...listed.flatMap((entry) => prefixChecks(entry, options.maxObjects))];
  for (const split of ["train", "validation"] as const) {
    const images = byChannel(split);
    const annotations = byChannel(`${split}_annotation`);
    if (images === undefined || annotations === undefined || "failure" in images || "failure" in annotations) continue;
    if (filesOf(images.listing).length === 0 && filesOf(annotations.listing).length === 0) continue;
    checks.push(
      checkPairs({ uri: images.target.uri, listing: images.listing }, { uri: annotations.target.uri, listing: annotations.listing }, split),
    );
  }
  const train = byChannel("train");
  if (train !== undefined && !("failure" in train)) {
    const jpegs = filesOf(train.listing).filter((file) => /\.jpe?g$/i.test(file.key)).length;
    for (const value of distinctValues(plan, "num_training_samples"))
      checks.push(checkSamples(value, { images: jpegs, complete: train.listing.complete, what: "JPEG images under train" }));
  }
  checks.push(...(await labelMapChecks(byChannel("label_map"), plan, s3)));
  return checks;
}
