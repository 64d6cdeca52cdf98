/**
 * A map from 64-bit hashes (two 32-bit halves) to the order in which they were first seen, in one
 * flat typed array with open addressing. Planning a million-point grid must remember every
 * distinct training it has seen; a `Map` or `Set` of a million boxed keys cost more than the rest
 * of planning together. This costs 12 bytes a slot (at most half full) and no per-entry objects,
 * which is what lets `plan` list 500,000 jobs in bounded memory (their order is all it keeps).
 */
export class SeenHashes {
  private table: Uint32Array;
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 1 << 16) {
    const slots = 1 << Math.ceil(Math.log2(Math.max(16, initialCapacity)));
    this.table = new Uint32Array(slots * 3);
    this.mask = slots - 1;
  }

  /** How many distinct hashes were added. */
  get size(): number {
    return this.count;
  }

  /**
   * Adds the hash; returns -1 when it is new (its ordinal is then `size - 1`), else the ordinal it
   * was given when first added. (0,0) is remapped: it marks an empty slot.
   */
  add(high: number, low: number): number {
    if (high === 0 && low === 0) low = 1;
    if ((this.count + 1) * 2 > this.mask + 1) this.grow();
    const ordinal = this.insert(high >>> 0, low >>> 0, this.count);
    if (ordinal === -1) this.count++;
    return ordinal;
  }

  /** The ordinal of a hash added before, or -1. */
  get(high: number, low: number): number {
    if (high === 0 && low === 0) low = 1;
    const table = this.table;
    let slot = this.slotOf(high >>> 0, low >>> 0);
    for (;;) {
      const h = table[slot * 3] ?? 0;
      const l = table[slot * 3 + 1] ?? 0;
      if (h === 0 && l === 0) return -1;
      if (h === high >>> 0 && l === low >>> 0) return table[slot * 3 + 2] ?? -1;
      slot = (slot + 1) & this.mask;
    }
  }

  private slotOf(high: number, low: number): number {
    return (low ^ Math.imul(high, 0x9e3779b1)) & this.mask;
  }

  private insert(high: number, low: number, ordinal: number): number {
    const table = this.table;
    let slot = this.slotOf(high, low);
    for (;;) {
      const h = table[slot * 3] ?? 0;
      const l = table[slot * 3 + 1] ?? 0;
      if (h === 0 && l === 0) {
        table[slot * 3] = high;
        table[slot * 3 + 1] = low;
        table[slot * 3 + 2] = ordinal;
        return -1;
      }
      if (h === high && l === low) return table[slot * 3 + 2] ?? -1;
      slot = (slot + 1) & this.mask;
    }
  }

  private grow(): void {
    const old = this.table;
    const slots = (old.length / 3) * 2;
    this.table = new Uint32Array(slots * 3);
    this.mask = slots - 1;
    for (let i = 0; i < old.length; i += 3) {
      const h = old[i] ?? 0;
      const l = old[i + 1] ?? 0;
      if (h !== 0 || l !== 0) this.insert(h, l, old[i + 2] ?? 0);
    }
  }
}
