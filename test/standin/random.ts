import { createHash } from "node:crypto";

/**
 * Seeded randomness for the stand-in. Anything that belongs to one job (its duration, its
 * outcome, whether an event is delivered twice) is a hash of the seed and the job's name, so it
 * does not depend on the order requests arrive in: a launcher killed and started again sees the
 * same world. Only throttling, which is about calls, draws from a sequential stream.
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

/** A sequential generator in [0, 1) (mulberry32): small, fast, and the same for the same seed. */
export function createRandomStream(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * A log-normal draw with the given median and sigma (of the underlying normal), from two
 * uniforms in [0, 1) by the Box-Muller transform.
 */
export function logNormal(median: number, sigma: number, u1: number, u2: number): number {
  const z = Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  return median * Math.exp(sigma * z);
}
