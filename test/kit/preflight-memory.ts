import type { ListPrefixOptions, PrefixListing, S3Reader } from "../../src/backend/s3.js";
import { BackendError } from "../../src/backend/types.js";
import type { LaunchPlan } from "../../src/plan/types.js";
import { dataTargets, roleOf } from "../../src/preflight/channels.js";
import type { PreflightClients } from "../../src/preflight/index.js";
import type { StackOutputs } from "../../src/stack/outputs.js";

/**
 * Preflight's clients in memory, for the campaign commands' tests that are not about preflight:
 * an S3 holding a small well-formed dataset wherever the plan's channels point, no quota found
 * (a warning), nothing in progress. The preflight tests themselves use moto's S3.
 */

/** An S3Reader over objects keyed `bucket/key`. */
export function memoryS3(objects: ReadonlyMap<string, string>): S3Reader {
  const calls: Record<string, number> = {};
  const count = (operation: string): void => {
    calls[operation] = (calls[operation] ?? 0) + 1;
  };
  const bucketExists = (bucket: string): boolean => [...objects.keys()].some((key) => key.startsWith(`${bucket}/`));
  return {
    calls,
    async listPrefix(bucket: string, prefix: string, _options: ListPrefixOptions): Promise<PrefixListing> {
      count("ListObjectsV2");
      if (!bucketExists(bucket)) throw new BackendError("not-found", "The specified bucket does not exist", "NoSuchBucket");
      const head = `${bucket}/${prefix}`;
      const found = [...objects.entries()]
        .filter(([key]) => key.startsWith(head))
        .map(([key, body]) => ({ key: key.slice(head.length), size: body.length }));
      return { bucket, prefix, objects: found, pages: 1, complete: true };
    },
    async readStart(bucket: string, key: string, maxBytes: number) {
      count("GetObject");
      const body = objects.get(`${bucket}/${key}`);
      if (body === undefined) throw new BackendError("not-found", "The specified key does not exist.", "NoSuchKey");
      return { text: body.slice(0, maxBytes), size: body.length };
    },
    async countLines(bucket: string, key: string) {
      count("GetObject");
      const body = objects.get(`${bucket}/${key}`) ?? "";
      return body.split("\n").filter((line) => line !== "").length;
    },
    async exists(bucket: string, key: string) {
      count("HeadObject");
      return objects.has(`${bucket}/${key}`);
    },
  };
}

/** One JPEG/PNG pair (or label map) per channel of the plan, under the locations it names. */
export function cleanObjectsFor(plan: LaunchPlan, stack: StackOutputs): Map<string, string> {
  const objects = new Map<string, string>();
  const targets = dataTargets(plan.data, stack.datasetsUri);
  for (const target of targets.prefixes) {
    for (const channel of target.channels) {
      const role = roleOf(channel);
      const name = role === "images" ? "img-1.jpg" : role === "annotations" ? "img-1.png" : "labels.json";
      objects.set(`${target.bucket}/${target.key}${name}`, role === "label-map" ? '{"scale": "1"}' : "data");
    }
  }
  for (const manifest of targets.manifests) {
    const line = Object.fromEntries(manifest.attributeNames.map((name, i) => [name, `s3://${manifest.bucket}/datasets/m/${i}`]));
    for (let i = 0; i < manifest.attributeNames.length; i++) objects.set(`${manifest.bucket}/datasets/m/${i}`, "data");
    objects.set(`${manifest.bucket}/${manifest.key}`, `${JSON.stringify(line)}\n`);
  }
  return objects;
}

/** Clients that find the plan's data well formed, no quota, and nothing else in progress. */
export function cleanPreflightClients(plan: LaunchPlan, stack: StackOutputs): PreflightClients {
  return {
    s3: memoryS3(cleanObjectsFor(plan, stack)),
    quotas: { calls: {}, findByName: async () => ({ found: new Map(), errors: [] }) },
    usage: { calls: {}, inProgressJobs: async () => [] },
  };
}
