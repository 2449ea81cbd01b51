/**
 * Recycled `Float32Array`s for the native kernels' outputs, by length.
 *
 * Why: a fresh large `Float32Array` is fresh pages from the OS, and every first write to one
 * faults a page in: writing 6.4 MB (a MobileFaceNet activation at batch 8, 56x56x64) measured
 * 0.65 ms into a fresh array against 0.19 ms into a reused one on this machine, and the native
 * kernels' own time is mostly such writes (a FusedBatchNorm of that tensor: 0.78 ms). A
 * tensor's array comes back here only when no tensor entry holds it any more and nobody
 * outside the backend ever read it (see `NativeBackend`), so a recycled array is never visible
 * to anyone. Arrays come back dirty: callers that do not overwrite every element ask for
 * `zeroed`.
 *
 * @module
 */

/** Arrays shorter than this are not pooled (allocating them is cheap). */
export const MIN_POOLED_LENGTH = 4096;

/** Bytes the pool may hold at most (the rest is left to the garbage collector). */
export const MAX_POOLED_BYTES = 512 * 1024 * 1024;

/** Free arrays by length, most recently returned first. */
export class OutputPool {
  readonly #free = new Map<number, Float32Array[]>();
  #bytes = 0;

  /** Bytes held now. */
  get bytes(): number {
    return this.#bytes;
  }

  /** A free array of `length` (dirty), or null when none is held. */
  take(length: number): Float32Array | null {
    const list = this.#free.get(length);
    const a = list?.pop();
    if (!a) return null;
    this.#bytes -= a.byteLength;
    return a;
  }

  /** Keeps `a` for a later {@linkcode take} unless it is small or the pool is full. */
  give(a: Float32Array): void {
    if (a.length < MIN_POOLED_LENGTH || this.#bytes + a.byteLength > MAX_POOLED_BYTES) return;
    let list = this.#free.get(a.length);
    if (!list) this.#free.set(a.length, list = []);
    list.push(a);
    this.#bytes += a.byteLength;
  }

  /** Drops every held array. */
  clear(): void {
    this.#free.clear();
    this.#bytes = 0;
  }
}
