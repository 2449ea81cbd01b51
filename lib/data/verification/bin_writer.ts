/**
 * Writes a {@linkcode VerificationSet} as an insightface verification `.bin`: the pickle of
 * `(bins, issame_list)` with bins = [a0, b0, a1, b1, ...] (an image used by several pairs is
 * stored once per use, as insightface does) and issame_list a list of bool.
 *
 * - protocol 4 (default): what Python 3 writes (BINBYTES, 64 KiB frames); loads with a plain
 *   `pickle.load(f)` in Python >= 3.4.
 * - protocol 2: a Python 2 style file (images as SHORT_BINSTRING/BINSTRING str), like
 *   insightface's own files; loads in Python 2, and in Python 3 with
 *   `pickle.load(f, encoding='bytes')` (insightface's `load_bin` falls back to that).
 *
 * The file is written to a temporary name beside `path` and renamed at the end (atomic).
 *
 * @module
 */
import { dirname } from "node:path";
import { withAtomicFile } from "../../io/atomic_write.ts";
import { BinWriteError } from "./errors.ts";
import { OP } from "./pickle_opcodes.ts";
import { contiguousFolds, type VerificationSet } from "./verification_set.ts";

/** Options of {@linkcode writeInsightfaceBin}. */
export interface WriteBinOptions {
  /** Pickle protocol: 4 (Python 3, default) or 2 (Python 2 compatible). */
  protocol?: 2 | 4;
  /** Progress: (pairs written, total pairs). */
  onProgress?: (done: number, total: number) => void;
}

const FRAME_TARGET = 64 * 1024; // CPython's _FRAME_SIZE_TARGET
const APPENDS_BATCH = 1000; // CPython's _BATCHSIZE
const FLUSH_AT = 4 * 1024 * 1024;

/** Buffered pickle output; with framing (protocol 4) small opcodes are grouped into FRAMEs. */
class PickleSink {
  #frame: Uint8Array[] = [];
  #frameSize = 0;
  #out: Uint8Array[] = [];
  #outSize = 0;
  constructor(readonly file: Deno.FsFile, readonly framed: boolean) {}

  /**
   * Queues one whole opcode (all its parts) in the current frame; a frame only ends between
   * opcodes, never inside one (the unpickler cannot read an argument across frames).
   */
  async op(...parts: Uint8Array[]): Promise<void> {
    for (const p of parts) {
      this.#frame.push(p);
      this.#frameSize += p.length;
    }
    if (this.#frameSize >= FRAME_TARGET) await this.commit();
  }
  /** Queues a bytes payload; large ones go outside frames like CPython's write_large_bytes. */
  async payload(header: Uint8Array, data: Uint8Array): Promise<void> {
    if (this.framed && data.length >= FRAME_TARGET) {
      await this.raw(header);
      await this.#emit(data);
    } else {
      await this.op(header, data);
    }
  }
  /** Writes bytes outside any frame. */
  async raw(bytes: Uint8Array): Promise<void> {
    await this.commit();
    await this.#emit(bytes);
  }
  /** Ends the current frame. */
  async commit(): Promise<void> {
    if (this.#frameSize === 0) return;
    if (this.framed) {
      const h = new Uint8Array(9);
      h[0] = OP.FRAME;
      new DataView(h.buffer).setBigUint64(1, BigInt(this.#frameSize), true);
      await this.#emit(h);
    }
    for (const c of this.#frame) await this.#emit(c);
    this.#frame = [];
    this.#frameSize = 0;
  }
  async #emit(bytes: Uint8Array): Promise<void> {
    this.#out.push(bytes);
    this.#outSize += bytes.length;
    if (this.#outSize >= FLUSH_AT) await this.flush();
  }
  /** Writes everything emitted so far to the file. */
  async flush(): Promise<void> {
    for (const c of this.#out) {
      let off = 0;
      while (off < c.length) off += await this.file.write(c.subarray(off));
    }
    this.#out = [];
    this.#outSize = 0;
  }
}

function lengthHeader(code: number, n: number): Uint8Array {
  const h = new Uint8Array(5);
  h[0] = code;
  new DataView(h.buffer).setUint32(1, n, true);
  return h;
}

function bytesHeader(n: number, protocol: 2 | 4): Uint8Array {
  if (n > 0x7fffffff) throw new BinWriteError(`an image of ${n} bytes is too large for a .bin`);
  if (n < 256) {
    return Uint8Array.of(protocol === 2 ? OP.SHORT_BINSTRING : OP.SHORT_BINBYTES, n);
  }
  return lengthHeader(protocol === 2 ? OP.BINSTRING : OP.BINBYTES, n);
}

function checkSet(set: VerificationSet): void {
  const P = set.issame.length;
  if (set.pairs.length !== 2 * P) {
    throw new BinWriteError(
      `set '${set.name}': pairs has ${set.pairs.length} indices for ${P} labels (need ${2 * P})`,
    );
  }
  for (let i = 0; i < set.pairs.length; i++) {
    if (!(set.pairs[i] >= 0 && set.pairs[i] < set.images.length)) {
      throw new BinWriteError(
        `set '${set.name}': pair ${i >> 1} refers to image ${set.pairs[i]}, ` +
          `but the set has ${set.images.length} images`,
      );
    }
  }
}

/**
 * The order in which to write the pairs so that a reader's 10 contiguous folds are the set's
 * folds: pairs sorted by fold, file order within a fold (the identity for View 2 and .bin
 * sources; for View 1's stratified folds, blocks of same + different pairs).
 */
export function binPairOrder(set: VerificationSet): number[] {
  const P = set.issame.length;
  const order = Array.from({ length: P }, (_, i) => i)
    .sort((a, b) => set.folds[a] - set.folds[b] || a - b);
  const folds = contiguousFolds(P);
  if (set.folds.length !== P || order.some((k, i) => set.folds[k] !== folds[i])) {
    throw new BinWriteError(
      `set '${set.name}': its folds cannot be written as the 10 contiguous folds a .bin ` +
        "implies (the fold sizes differ from an even split)",
    );
  }
  return order;
}

/**
 * Writes `set` as an insightface `.bin` at `path` (atomically: temp file + rename).
 *
 * @param set the pairs to write, fold by fold (see {@linkcode binPairOrder})
 * @param path output file
 */
export async function writeInsightfaceBin(
  set: VerificationSet,
  path: string,
  options: WriteBinOptions = {},
): Promise<void> {
  const protocol = options.protocol ?? 4;
  if (protocol !== 2 && protocol !== 4) {
    throw new BinWriteError(`protocol ${protocol} is not supported; use 2 or 4`);
  }
  checkSet(set);
  const P = set.issame.length;
  const order = binPairOrder(set);
  // A missing output folder would surface as raw OS text from the temp file's open.
  const folder = dirname(path);
  const isDir = await Deno.stat(folder).then((i) => i.isDirectory, () => false);
  if (!isDir) {
    throw new BinWriteError(
      `cannot write ${path}: the folder ${folder} does not exist (or is not a folder); create ` +
        `it first (mkdir -p) or choose another --out`,
    );
  }
  await withAtomicFile(path, async (file) => {
    const sink = new PickleSink(file, protocol >= 4);
    await sink.raw(Uint8Array.of(OP.PROTO, protocol)); // before the first frame, as CPython
    // bins: EMPTY_LIST, then MARK <= 1000 images APPENDS, ...
    await sink.op(Uint8Array.of(OP.EMPTY_LIST));
    for (let start = 0; start < 2 * P; start += APPENDS_BATCH) {
      await sink.op(Uint8Array.of(OP.MARK));
      const stop = Math.min(2 * P, start + APPENDS_BATCH);
      for (let k = start; k < stop; k++) {
        const pair = order[k >> 1], side = k & 1;
        const data = set.images[set.pairs[2 * pair + side]].bytes;
        await sink.payload(bytesHeader(data.length, protocol), data);
        if (k % 2 === 1) options.onProgress?.((k + 1) / 2, P);
      }
      await sink.op(Uint8Array.of(OP.APPENDS));
    }
    // issame_list: EMPTY_LIST, MARK <= 1000 bools APPENDS, ...
    await sink.op(Uint8Array.of(OP.EMPTY_LIST));
    for (let start = 0; start < P; start += APPENDS_BATCH) {
      const stop = Math.min(P, start + APPENDS_BATCH);
      const chunk = new Uint8Array(stop - start + 2);
      chunk[0] = OP.MARK;
      for (let k = start; k < stop; k++) {
        chunk[k - start + 1] = set.issame[order[k]] ? OP.NEWTRUE : OP.NEWFALSE;
      }
      chunk[chunk.length - 1] = OP.APPENDS;
      await sink.op(chunk);
    }
    await sink.op(Uint8Array.of(OP.TUPLE2, OP.STOP));
    await sink.commit();
    await sink.flush();
  });
}
