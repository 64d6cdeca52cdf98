/**
 * The points that were the same training as an earlier point, grouped by that training, in flat
 * typed arrays: 8 bytes a duplicate while planning, 4 once grouped, and no object per job. Lets
 * the job list be streamed in a second pass with each job's `points` known up front.
 */
export class DuplicatePoints {
  private jobs = new Uint32Array(1024);
  private points = new Uint32Array(1024);
  private length = 0;
  private offsets: Uint32Array | undefined;
  private grouped: Uint32Array | undefined;

  /** How many duplicate points were recorded. */
  get size(): number {
    return this.length;
  }

  /** Records that point `point` (1-based) is the same training as job `job` (0-based ordinal). */
  add(job: number, point: number): void {
    if (this.length === this.jobs.length) {
      this.jobs = grow(this.jobs);
      this.points = grow(this.points);
    }
    this.jobs[this.length] = job;
    this.points[this.length] = point;
    this.length++;
  }

  /** Groups the records by job (a counting sort, so each job's points stay in ascending order). */
  finish(jobCount: number): void {
    const offsets = new Uint32Array(jobCount + 1);
    for (let i = 0; i < this.length; i++) {
      const slot = (this.jobs[i] ?? 0) + 1;
      offsets[slot] = (offsets[slot] ?? 0) + 1;
    }
    for (let j = 0; j < jobCount; j++) offsets[j + 1] = (offsets[j + 1] ?? 0) + (offsets[j] ?? 0);
    const next = offsets.slice(0, jobCount);
    const grouped = new Uint32Array(this.length);
    for (let i = 0; i < this.length; i++) {
      const job = this.jobs[i] ?? 0;
      grouped[next[job] ?? 0] = this.points[i] ?? 0;
      next[job] = (next[job] ?? 0) + 1;
    }
    this.offsets = offsets;
    this.grouped = grouped;
    this.jobs = new Uint32Array(0);
    this.points = new Uint32Array(0);
  }

  /** The duplicate points of job `job`, ascending (call `finish` first). */
  of(job: number): number[] {
    const offsets = this.offsets;
    const grouped = this.grouped;
    if (!offsets || !grouped) throw new Error("DuplicatePoints.of called before finish");
    return Array.from(grouped.subarray(offsets[job] ?? 0, offsets[job + 1] ?? 0));
  }
}

function grow(array: Uint32Array<ArrayBuffer>): Uint32Array<ArrayBuffer> {
  const bigger = new Uint32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
