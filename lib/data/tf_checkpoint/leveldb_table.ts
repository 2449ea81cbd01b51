/**
 * The LevelDB table format TensorFlow's tensor-bundle `.index` files use
 * (tensorflow/core/lib/io/{format,block,table,table_builder}.cc, same as LevelDB's): data blocks
 * of shared-prefix-compressed keys with a restart array, an index block (one entry per data
 * block: a separator key and the block's handle), an empty metaindex block, and a 48-byte footer
 * (both handles as varints, zero padding, magic 0xdb4775248b80fb57). Each block is followed by a
 * 5-byte trailer: compression type and the masked CRC32C of block + type byte.
 *
 * Written here because no maintained npm package reads LevelDB tables without a native LevelDB
 * build (the `level` packages wrap the whole database, not one table file), and the writer must
 * reproduce TensorFlow's exact bytes. An index is small (kilobytes per thousand tensors), so it is
 * handled in memory.
 *
 * @module
 */
import { maskedCrc32c } from "../tfrecord/crc32c.ts";
import { TfCheckpointError } from "./errors.ts";
import { ProtoReader, ProtoWireError, ProtoWriter } from "./proto_wire.ts";

/** The table magic number, little-endian in the footer's last 8 bytes. */
export const TABLE_MAGIC = 0xdb4775248b80fb57n;
/** Footer size: two block handles padded to 40 bytes + 8-byte magic. */
export const FOOTER_SIZE = 48;
const TRAILER_SIZE = 5;

/** Options of the table writer, as TensorFlow's `table::Options`. */
export interface TableOptions {
  /** Data block size target in bytes (TensorFlow's default 262144). */
  blockSize?: number;
  /** Keys between restart points in data blocks (TensorFlow's default 16). */
  restartInterval?: number;
}

/** One key/value of a table. */
export interface TableEntry {
  /** The key bytes. */
  key: Uint8Array;
  /** The value bytes. */
  value: Uint8Array;
}

interface BlockHandle {
  offset: number;
  size: number;
}

const hex = (n: number) => `0x${n.toString(16).padStart(2, "0")}`;

/**
 * Reads every key/value of a table held in `bytes` (the whole `.index` file), in key order.
 * Checks the footer magic and each block's CRC; refuses compressed blocks. `file` names the file
 * in errors.
 */
export function readTable(bytes: Uint8Array, file: string): TableEntry[] {
  if (bytes.length < FOOTER_SIZE) {
    throw new TfCheckpointError(
      `checkpoint index ${file} is truncated: ${bytes.length} bytes, shorter than the ` +
        `${FOOTER_SIZE}-byte table footer; the file was cut off while copying: copy it again`,
      "truncated",
      file,
    );
  }
  const footer = bytes.subarray(bytes.length - FOOTER_SIZE);
  const magic = new DataView(footer.buffer, footer.byteOffset + 40, 8).getBigUint64(0, true);
  if (magic !== TABLE_MAGIC) {
    throw new TfCheckpointError(
      `checkpoint index ${file} does not end with the table magic 0xdb4775248b80fb57 (found ` +
        `0x${magic.toString(16)}): it is truncated or not a TensorFlow .index file; copy it again`,
      "truncated",
      file,
    );
  }
  const r = new ProtoReader(footer);
  let index: BlockHandle;
  try {
    readHandle(r); // metaindex: TensorFlow's bundle tables have no filter / meta blocks
    index = readHandle(r);
  } catch (e) {
    throw formatError(file, `its footer: ${(e as Error).message}`);
  }
  const entries: TableEntry[] = [];
  for (const { value } of readBlock(bytes, index, file, "index block")) {
    let handle: BlockHandle;
    try {
      handle = readHandle(new ProtoReader(value));
    } catch (e) {
      throw formatError(file, `an index-block handle: ${(e as Error).message}`);
    }
    for (const e of readBlock(bytes, handle, file, "data block")) entries.push(e);
  }
  return entries;
}

function readHandle(r: ProtoReader): BlockHandle {
  return { offset: r.varint(), size: r.varint() };
}

function formatError(file: string, what: string): TfCheckpointError {
  return new TfCheckpointError(
    `checkpoint index ${file} is corrupt at ${what}; copy the checkpoint again`,
    "format",
    file,
  );
}

function readBlock(
  bytes: Uint8Array,
  h: BlockHandle,
  file: string,
  what: string,
): TableEntry[] {
  const end = h.offset + h.size + TRAILER_SIZE;
  if (end > bytes.length - FOOTER_SIZE) {
    throw new TfCheckpointError(
      `checkpoint index ${file} is truncated: its ${what} at offset ${h.offset} (${h.size} ` +
        `bytes + trailer) runs past the data (${bytes.length - FOOTER_SIZE} bytes before the ` +
        `footer); copy the file again`,
      "truncated",
      file,
    );
  }
  const type = bytes[h.offset + h.size];
  const stored = new DataView(bytes.buffer, bytes.byteOffset + h.offset + h.size + 1, 4)
    .getUint32(0, true);
  const actual = maskedCrc32c(bytes.subarray(h.offset, h.offset + h.size + 1));
  if (stored !== actual) {
    throw new TfCheckpointError(
      `checkpoint index ${file}: CRC mismatch in its ${what} at offset ${h.offset} (stored ` +
        `${hex(stored)}, computed ${hex(actual)}); the file is corrupted: copy it again`,
      "crc",
      file,
    );
  }
  if (type !== 0) {
    throw new TfCheckpointError(
      `checkpoint index ${file}: its ${what} at offset ${h.offset} is compressed (type ${type}` +
        `${type === 1 ? ", snappy" : ""}); TensorFlow writes bundle indexes uncompressed and ` +
        `this reader does not decompress: re-save the checkpoint with TensorFlow`,
      "compressed",
      file,
    );
  }
  try {
    return decodeBlock(bytes.subarray(h.offset, h.offset + h.size));
  } catch (e) {
    throw formatError(file, `its ${what} at offset ${h.offset}: ${(e as Error).message}`);
  }
}

function decodeBlock(block: Uint8Array): TableEntry[] {
  if (block.length < 4) {
    throw new ProtoWireError(`a ${block.length}-byte block has no restart count`);
  }
  const dv = new DataView(block.buffer, block.byteOffset, block.length);
  const numRestarts = dv.getUint32(block.length - 4, true);
  const limit = block.length - 4 - 4 * numRestarts;
  if (limit < 0) throw new ProtoWireError(`restart count ${numRestarts} does not fit the block`);
  const r = new ProtoReader(block.subarray(0, limit));
  const out: TableEntry[] = [];
  let last: Uint8Array = new Uint8Array(0);
  while (r.more()) {
    const shared = r.varint(), nonShared = r.varint(), valueLen = r.varint();
    if (shared > last.length || r.pos + nonShared + valueLen > limit) {
      throw new ProtoWireError(`entry at byte ${r.pos} runs past the block`);
    }
    const key = new Uint8Array(shared + nonShared);
    key.set(last.subarray(0, shared));
    key.set(block.subarray(r.pos, r.pos + nonShared), shared);
    r.pos += nonShared;
    out.push({ key, value: block.slice(r.pos, r.pos + valueLen) });
    r.pos += valueLen;
    last = key;
  }
  return out;
}

class BlockBuilder {
  private w = new ProtoWriter();
  private size = 0;
  private restarts = [0];
  private counter = 0;
  private last: Uint8Array = new Uint8Array(0);
  empty = true;

  constructor(private readonly restartInterval: number) {}

  add(key: Uint8Array, value: Uint8Array) {
    let shared = 0;
    if (this.counter < this.restartInterval) {
      const n = Math.min(this.last.length, key.length);
      while (shared < n && this.last[shared] === key[shared]) shared++;
    } else {
      this.restarts.push(this.size);
      this.counter = 0;
    }
    const before = this.w.length;
    this.w.varint(shared).varint(key.length - shared).varint(value.length)
      .raw(key.subarray(shared)).raw(value);
    this.size += this.w.length - before;
    this.last = key;
    this.counter++;
    this.empty = false;
  }

  // TensorFlow / LevelDB: current bytes + restart array + restart count.
  sizeEstimate(): number {
    return this.size + this.restarts.length * 4 + 4;
  }

  finish(): Uint8Array {
    for (const r of this.restarts) this.w.fixed32(r);
    this.w.fixed32(this.restarts.length);
    return this.w.finish();
  }
}

// LevelDB's BytewiseComparator::FindShortestSeparator: a short key in [start, limit).
function shortestSeparator(start: Uint8Array, limit: Uint8Array): Uint8Array {
  const n = Math.min(start.length, limit.length);
  let i = 0;
  while (i < n && start[i] === limit[i]) i++;
  if (i >= n) return start; // one is a prefix of the other
  const b = start[i];
  if (b < 0xff && b + 1 < limit[i]) {
    const out = start.slice(0, i + 1);
    out[i]++;
    return out;
  }
  return start;
}

// LevelDB's BytewiseComparator::FindShortSuccessor: a short key >= key.
function shortSuccessor(key: Uint8Array): Uint8Array {
  for (let i = 0; i < key.length; i++) {
    if (key[i] !== 0xff) {
      const out = key.slice(0, i + 1);
      out[i]++;
      return out;
    }
  }
  return key;
}

/**
 * Encodes `entries` (keys sorted bytewise, unique) as a table file, block by block exactly as
 * TensorFlow's `TableBuilder` does (uncompressed): data blocks flushed once their size estimate
 * reaches `blockSize`, index entries keyed by the shortest separator, an empty metaindex block,
 * the footer.
 */
export function buildTable(entries: readonly TableEntry[], options: TableOptions = {}): Uint8Array {
  const blockSize = options.blockSize ?? 262144;
  const restartInterval = options.restartInterval ?? 16;
  const out = new ProtoWriter();
  let offset = 0;
  const writeBlock = (block: BlockBuilder): BlockHandle => {
    const contents = block.finish();
    const withType = new Uint8Array(contents.length + 1); // type 0: no compression
    withType.set(contents);
    out.raw(withType).fixed32(maskedCrc32c(withType));
    const handle = { offset, size: contents.length };
    offset += contents.length + TRAILER_SIZE;
    return handle;
  };
  const index = new BlockBuilder(1);
  let data = new BlockBuilder(restartInterval);
  let pending: BlockHandle | undefined;
  let last: Uint8Array = new Uint8Array(0);
  const handleBytes = (h: BlockHandle) =>
    new ProtoWriter().varint(h.offset).varint(h.size).finish();
  for (const { key, value } of entries) {
    if (pending) {
      index.add(shortestSeparator(last, key), handleBytes(pending));
      pending = undefined;
    }
    data.add(key, value);
    last = key;
    if (data.sizeEstimate() >= blockSize) {
      pending = writeBlock(data);
      data = new BlockBuilder(restartInterval);
    }
  }
  if (!data.empty) pending = writeBlock(data);
  const meta = writeBlock(new BlockBuilder(restartInterval));
  if (pending) index.add(shortSuccessor(last), handleBytes(pending));
  const indexHandle = writeBlock(index);
  const footer = new ProtoWriter().varint(meta.offset).varint(meta.size)
    .varint(indexHandle.offset).varint(indexHandle.size).finish();
  const padded = new Uint8Array(FOOTER_SIZE);
  padded.set(footer);
  new DataView(padded.buffer).setBigUint64(40, TABLE_MAGIC, true);
  return out.raw(padded).finish();
}
