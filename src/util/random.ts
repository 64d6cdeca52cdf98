import { createHash } from "node:crypto";

/**
 * The project's one source of seeded randomness (Math.random cannot be seeded): a sequential
 * generator for the expanders' draws, and hash-keyed draws for anything that belongs to one thing
 * (a stand-in job's duration, outcome or learning curve), so that it does not depend on the order
 * in which things happen. Not for security.
 *
 * The sequential generator gives the same sweep file and seed the same points on every machine
 * and Node version.
 *
 * The seed text is hashed to 128 bits (four FNV-1a lanes with different offsets, each finished
 * with MurmurHash3's fmix32 avalanche), which seed sfc32 (Chris Doty-Humphrey's "small fast
 * counting" generator from PractRand: 128-bit state, passes PractRand, period ≥ 2^32).
 */

const FNV_PRIME = 0x01000193;
/** The FNV-1a 32-bit offset basis, then three arbitrary odd constants for the other lanes. */
const LANE_OFFSETS = [0x811c9dc5, 0x9e3779b9, 0x85ebca6b, 0xc2b2ae35] as const;

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of a string (one FNV-1a lane with avalanche); used to derive a seed from a name. */
export function hash32(text: string, lane = 0): number {
  let h: number = LANE_OFFSETS[lane % LANE_OFFSETS.length] ?? LANE_OFFSETS[0];
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return fmix32(h ^ text.length);
}

/** Returns a function that yields uniform doubles in [0, 1) with 53 random bits, from a seed text. */
export function seededUniform(seedText: string): () => number {
  let a = hash32(seedText, 0);
  let b = hash32(seedText, 1);
  let c = hash32(seedText, 2);
  let d = hash32(seedText, 3);
  const next32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Discard the first outputs: with a fresh state they still carry structure of the seed.
  for (let i = 0; i < 15; i++) next32();
  return () => {
    const high = next32() >>> 5; // 27 bits
    const low = next32() >>> 6; // 26 bits
    return (high * 67_108_864 + low) / 9_007_199_254_740_992; // (high·2^26 + low) / 2^53
  };
}

/*
 * Hash-keyed draws: a value that depends only on `parts`, so a launcher killed and started again
 * against the stand-in sees the same world.
 */

/** A number in [0, 1) that depends only on `parts` (SHA-256 of their joined text). */
export function hashUnit(...parts: readonly (string | number)[]): number {
  const digest = createHash("sha256").update(parts.join("\u0000")).digest();
  // 48 bits are plenty and stay exact in a double.
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

/** A short hex id that depends only on `parts`, e.g. for event ids and message ids. */
export function hashHex(length: number, ...parts: readonly (string | number)[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, length);
}

/** A UUID-shaped id (8-4-4-4-12 hex) that depends only on `parts`. */
export function hashUuid(...parts: readonly (string | number)[]): string {
  const hex = hashHex(32, ...parts);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * A log-normal draw with the given median and sigma (of the underlying normal), from two
 * uniforms in [0, 1) by the Box-Muller transform.
 */
export function logNormal(median: number, sigma: number, u1: number, u2: number): number {
  const z = Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  return median * Math.exp(sigma * z);
}
