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

/**
 * Free arrays by length, most recently returned first. When full, the lengths used least
 * recently are dropped first, so a new working set (inference after training in one process,
 * another batch size) replaces the old one instead of finding the pool full of it.
 */
export class OutputPool {
  /** Lengths in least-recently-used-first order (a Map keeps insertion order). */
  readonly #free = new Map<number, Float32Array[]>();
  #bytes = 0;

  /** Bytes held now. */
  get bytes(): number {
    return this.#bytes;
  }

  /** A free array of `length` (dirty), or null when none is held. */
  take(length: number): Float32Array | null {
    const list = this.#touch(length);
    const a = list?.pop();
    if (!a) return null;
    this.#bytes -= a.byteLength;
    return a;
  }

  /** Keeps `a` for a later {@linkcode take} unless it is small (or larger than the pool). */
  give(a: Float32Array): void {
    if (a.length < MIN_POOLED_LENGTH || a.byteLength > MAX_POOLED_BYTES) return;
    let list = this.#touch(a.length);
    if (!list) this.#free.set(a.length, list = []);
    list.push(a);
    this.#bytes += a.byteLength;
    for (const [length, old] of this.#free) {
      if (this.#bytes <= MAX_POOLED_BYTES) break;
      while (old.length > 0 && this.#bytes > MAX_POOLED_BYTES) {
        this.#bytes -= old.shift()!.byteLength;
      }
      if (old.length === 0) this.#free.delete(length);
    }
  }

  /** Drops every held array. */
  clear(): void {
    this.#free.clear();
    this.#bytes = 0;
  }

  /** The list of `length`, moved to the most recently used end. */
  #touch(length: number): Float32Array[] | undefined {
    const list = this.#free.get(length);
    if (list) {
      this.#free.delete(length);
      this.#free.set(length, list);
    }
    return list;
  }
}
