import type { S3Reader } from "../backend/s3.js";
import { BackendError } from "../backend/types.js";
import type { JobsPlan } from "../plan/types.js";
import type { StackOutputs } from "../stack/outputs.js";
import { checkDataLocation, type ManifestTarget, parseS3Uri } from "./channels.js";
import { readFailure } from "./data.js";
import { checkManifest, MANIFEST_HEAD_BYTES, parseManifestHead } from "./manifest.js";
import { type CheckResult, result } from "./report.js";
import { checkSamples, distinctValues } from "./samples.js";

/**
 * The augmented-manifest data checks: each manifest object exists, its first lines are JSON with
 * the attribute names, the objects its first line names exist; the training manifest's lines are
 * counted for num_training_samples when it is small enough to read whole.
 */

/** Manifests up to this size are read whole to count their lines (about 150,000 lines of 200 bytes). */
const COUNT_LINES_MAX_BYTES = 32 * 1024 * 1024;

async function refsExist(refs: readonly string[], datasetsUri: string, s3: S3Reader): Promise<Map<string, boolean>> {
  const found = new Map<string, boolean>();
  for (const ref of refs) {
    const location = parseS3Uri(ref);
    // Outside the datasets prefix the check fails anyway; do not probe other buckets.
    if (location === undefined || !ref.startsWith(datasetsUri)) continue;
    found.set(ref, await s3.exists(location.bucket, location.key));
  }
  return found;
}

async function oneManifest(target: ManifestTarget, plan: JobsPlan, stack: StackOutputs, s3: S3Reader): Promise<CheckResult[]> {
  const location = checkDataLocation(target, [target.channel], stack);
  if (location.status !== "pass") return [location];
  const checks = [location];
  try {
    const head = await s3.readStart(target.bucket, target.key, MANIFEST_HEAD_BYTES);
    const parsed = parseManifestHead(head.text, head.size <= MANIFEST_HEAD_BYTES, target.attributeNames);
    checks.push(checkManifest(target, parsed, await refsExist(parsed.refs, stack.datasetsUri, s3), stack.datasetsUri));
    if (target.channel === "train") {
      const lines = await s3.countLines(target.bucket, target.key, COUNT_LINES_MAX_BYTES);
      const what =
        lines === undefined
          ? `lines of the training manifest (over ${COUNT_LINES_MAX_BYTES / 1024 / 1024} MiB, not read whole)`
          : "lines in the training manifest";
      for (const value of distinctValues(plan, "num_training_samples"))
        checks.push(checkSamples(value, { images: lines, complete: true, what }));
    }
  } catch (error) {
    if (error instanceof BackendError && error.kind === "not-found" && error.code !== "NoSuchBucket") {
      checks.push(
        result("manifest", target.uri, "fail", `${target.channel}: the manifest object does not exist`, {
          fix: `Upload it: aws s3 cp ./${target.channel}.manifest ${target.uri}`,
        }),
      );
    } else checks.push({ ...readFailure(target.uri, `${target.channel} manifest`, error, target.bucket), check: "manifest" });
  }
  return checks;
}

/** The checks of augmented-manifest data, train and validation at the same time. */
export async function checkManifestData(
  plan: JobsPlan,
  stack: StackOutputs,
  targets: readonly ManifestTarget[],
  s3: S3Reader,
): Promise<CheckResult[]> {
  return (await Promise.all(targets.map((target) => oneManifest(target, plan, stack, s3)))).flat();
}
