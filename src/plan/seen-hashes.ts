/**
 * A set of 64-bit hashes (two 32-bit halves) in flat typed arrays with open addressing.
 * `--summary` over a million-point grid must remember every distinct training it has seen; a
 * `Set<number>` of a million 53-bit doubles boxes each one and rehashes as it grows, which cost
 * more than the rest of planning together. This costs 8 bytes a slot and no per-entry objects.
 */
export class SeenHashes {
  private table: Uint32Array;
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 1 << 16) {
    const slots = 1 << Math.ceil(Math.log2(Math.max(16, initialCapacity)));
    this.table = new Uint32Array(slots * 2);
    this.mask = slots - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Adds the hash; returns false when it was there already. (0,0) is remapped: it marks an empty slot. */
  add(high: number, low: number): boolean {
    if (high === 0 && low === 0) low = 1;
    if ((this.count + 1) * 2 > this.mask + 1) this.grow();
    return this.insert(high >>> 0, low >>> 0);
  }

  private insert(high: number, low: number): boolean {
    const table = this.table;
    let slot = (low ^ Math.imul(high, 0x9e3779b1)) & this.mask;
    for (;;) {
      const h = table[slot * 2] ?? 0;
      const l = table[slot * 2 + 1] ?? 0;
      if (h === 0 && l === 0) {
        table[slot * 2] = high;
        table[slot * 2 + 1] = low;
        this.count++;
        return true;
      }
      if (h === high && l === low) return false;
      slot = (slot + 1) & this.mask;
    }
  }

  private grow(): void {
    const old = this.table;
    this.table = new Uint32Array(old.length * 2);
    this.mask = old.length - 1; // old.length = 2 × old slots = new slot count
    this.count = 0;
    for (let i = 0; i < old.length; i += 2) {
      const h = old[i] ?? 0;
      const l = old[i + 1] ?? 0;
      if (h !== 0 || l !== 0) this.insert(h, l);
    }
  }
}
