import { resolveDataLocation } from "../backend/request.js";
import type { StackOutputs } from "../stack/outputs.js";
import type { DataChannels } from "../sweep/definition.js";
import { type CheckResult, result } from "./report.js";

/**
 * The S3 locations a sweep's data channels name, resolved as `launch` resolves them (relative
 * locations against the stack's datasetsUri), each distinct location once however many channels
 * share it. Pure.
 */

/** What the objects of a channel must be (docs/sources.md#algorithm). */
export type ChannelRole = "images" | "annotations" | "label-map";

const ROLES: Readonly<Record<string, ChannelRole>> = {
  train: "images",
  validation: "images",
  train_annotation: "annotations",
  validation_annotation: "annotations",
  label_map: "label-map",
};

/** A bucket and key (or key prefix), from an s3:// URI. */
export interface S3Location {
  readonly uri: string;
  readonly bucket: string;
  readonly key: string;
}

/** One distinct S3Prefix location and the channels that read it. */
export interface PrefixTarget extends S3Location {
  readonly channels: readonly string[];
}

/** One augmented manifest object (S3DataType AugmentedManifestFile). */
export interface ManifestTarget extends S3Location {
  readonly channel: "train" | "validation";
  readonly attributeNames: readonly string[];
}

export interface DataTargets {
  readonly prefixes: readonly PrefixTarget[];
  readonly manifests: readonly ManifestTarget[];
}

/** `s3://bucket/key` split; undefined for anything else. */
export function parseS3Uri(uri: string): S3Location | undefined {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/s.exec(uri);
  if (match === null || match[1] === undefined) return undefined;
  return { uri, bucket: match[1], key: match[2] ?? "" };
}

/** The role of a channel name (train -> images, ...). */
export function roleOf(channel: string): ChannelRole | undefined {
  return ROLES[channel];
}

/** The distinct locations to read, with the channels of each. */
export function dataTargets(data: DataChannels, datasetsUri: string): DataTargets {
  const at = (location: string): S3Location => {
    const uri = resolveDataLocation(location, datasetsUri);
    return parseS3Uri(uri) ?? { uri, bucket: "", key: "" };
  };
  if ("augmented_manifest" in data) {
    const { train, validation, attribute_names } = data.augmented_manifest;
    return {
      prefixes: [],
      manifests: [
        { ...at(train), channel: "train", attributeNames: attribute_names },
        { ...at(validation), channel: "validation", attributeNames: attribute_names },
      ],
    };
  }
  const byUri = new Map<string, { location: S3Location; channels: string[] }>();
  const entries: [string, string | undefined][] = [
    ["train", data.train],
    ["train_annotation", data.train_annotation],
    ["validation", data.validation],
    ["validation_annotation", data.validation_annotation],
    ["label_map", data.label_map],
  ];
  for (const [channel, location] of entries) {
    if (location === undefined) continue;
    const resolved = at(location);
    const known = byUri.get(resolved.uri);
    if (known) known.channels.push(channel);
    else byUri.set(resolved.uri, { location: resolved, channels: [channel] });
  }
  return { prefixes: [...byUri.values()].map(({ location, channels }) => ({ ...location, channels })), manifests: [] };
}

/** The stack's datasets prefix, with its trailing slash. */
export function datasetsHome(stack: StackOutputs): string {
  return stack.datasetsUri.endsWith("/") ? stack.datasetsUri : `${stack.datasetsUri}/`;
}

/** Every location's check, the passing ones said once together. */
export function checkDataLocations(targets: readonly PrefixTarget[], stack: StackOutputs): CheckResult[] {
  const checks = targets.map((target) => checkDataLocation(target, target.channels, stack));
  const failed = checks.filter((check) => check.status !== "pass");
  if (failed.length > 0 || targets.length === 0) return failed;
  const channels = targets.flatMap((target) => target.channels);
  const home = datasetsHome(stack);
  return [
    result("data-location", home, "pass", `${channels.length} channels under the stack's ${home} (${channels.join(", ")})`, {
      numbers: { channels: channels.length },
    }),
  ];
}

/**
 * The training role reads only the stack's datasets prefix (s3:GetObject on datasets/*), so data
 * anywhere else fails at Downloading after the instance has started.
 */
export function checkDataLocation(location: S3Location, channels: readonly string[], stack: StackOutputs): CheckResult {
  const home = datasetsHome(stack);
  const subject = location.uri;
  const names = channels.join(", ");
  if (location.uri.startsWith(home)) return result("data-location", subject, "pass", `${names}: under the stack's ${home}`);
  const relative = location.key.replace(/^\/+/, "");
  return result(
    "data-location",
    subject,
    "fail",
    `${names}: not under the stack's ${home}; the training role can read only that prefix of bucket ${stack.bucketName}, so every job would fail while downloading its data`,
    { fix: `Copy the data there and name it relative to datasets/: aws s3 sync ${location.uri} ${home}${relative}` },
  );
}
