import { createHash } from "node:crypto";
import { HYPERPARAMETER_NAMES } from "../algorithms/semantic-segmentation/index.js";
import { POINT_ID_HEX } from "./job-name.js";

/**
 * What makes two points the same training, and the job name's hash.
 * The canonical form lists the hyperparameters as sent in the contract's fixed order, so it does
 * not depend on key order in the file or in the resolver's output.
 */
export function canonicalHyperparameters(sent: Readonly<Record<string, string>>): string {
  let text = "";
  for (const name of HYPERPARAMETER_NAMES) {
    const value = sent[name];
    if (value !== undefined) text += `${name}=${value}\n`;
  }
  return text;
}

/**
 * A 64-bit non-cryptographic hash of the hyperparameters as sent (two 32-bit lanes, written to
 * `out` to avoid an allocation per point), for counting distinct trainings in bounded memory when
 * a plan keeps no jobs (`--summary` over huge grids). A collision would under-count by one; at
 * 10^6 points its probability is about 3 × 10^-8.
 *
 * Grid values repeat, so each distinct value's hash is computed once and cached per parameter;
 * a point then costs one lookup and a few multiplies per parameter, in the contract's fixed order.
 */
export function hashSent(sent: Readonly<Record<string, string>>, out: [number, number]): void {
  let h1 = 0x811c9dc5;
  let h2 = 0x5bd1e995;
  for (let i = 0; i < HYPERPARAMETER_NAMES.length; i++) {
    const value = sent[HYPERPARAMETER_NAMES[i] ?? ""];
    const v = value === undefined ? ABSENT : valueHash(i, value);
    h1 = Math.imul(h1 ^ (v[0] ?? 0), 0x01000193);
    h1 ^= h1 >>> 13;
    h2 = Math.imul(h2 ^ (v[1] ?? 0) ^ i, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  out[0] = h1 >>> 0;
  out[1] = h2 >>> 0;
}

const ABSENT: readonly [number, number] = [0x9e3779b9, 0x7f4a7c15];
const VALUE_CACHE_LIMIT = 65_536;
const valueHashes = HYPERPARAMETER_NAMES.map(() => new Map<string, readonly [number, number]>());

function valueHash(parameter: number, value: string): readonly [number, number] {
  const cache = valueHashes[parameter];
  const cached = cache?.get(value);
  if (cached) return cached;
  let a = 0x811c9dc5;
  let b = 0x27d4eb2f;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  const hash = [a >>> 0, b >>> 0] as const;
  if (cache && cache.size < VALUE_CACHE_LIMIT) cache.set(value, hash);
  return hash;
}

/**
 * The point id in job names: sha256 over what defines the training (hyperparameters as sent,
 * resources, data). `context` is the canonical JSON of resources and data, computed once per plan.
 */
export function pointId(canonical: string, context: string): string {
  return createHash("sha256").update(context).update("\n").update(canonical).digest("hex").slice(0, POINT_ID_HEX);
}
