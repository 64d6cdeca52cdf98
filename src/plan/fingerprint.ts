import { createHash } from "node:crypto";
import { HYPERPARAMETER_NAMES } from "../algorithms/semantic-segmentation/index.js";

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
 * A 53-bit non-cryptographic hash (two 32-bit FNV-1a lanes) for counting distinct trainings in
 * bounded memory when a plan keeps no jobs (`--summary` over huge grids). A collision would
 * under-count by one; at 10^6 points its probability is about 10^-4.
 */
export function fastHash53(text: string): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff);
}

/** Length of the job name hash: 48 bits keeps collisions negligible for any plannable campaign. */
export const POINT_ID_HEX = 12;

/**
 * The point id in job names: sha256 over what defines the training (hyperparameters as sent,
 * resources, data). `context` is the canonical JSON of resources and data, computed once per plan.
 */
export function pointId(canonical: string, context: string): string {
  return createHash("sha256").update(context).update("\n").update(canonical).digest("hex").slice(0, POINT_ID_HEX);
}
