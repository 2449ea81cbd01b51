/**
 * A small protocol-buffer wire-format reader and writer (varint, fixed32, fixed64,
 * length-delimited) for the handful of TensorFlow messages a checkpoint holds
 * (BundleHeaderProto, BundleEntryProto, TensorShapeProto, TrackableObjectGraph). Hand-written
 * rather than an npm protobuf runtime: these five messages need ~150 lines, no .proto
 * compilation step, and the writer must emit fields in exactly TensorFlow's (C++ proto3) order
 * so that re-encoded indexes match TensorFlow's bytes; the existing tf.train.Example codec
 * (lib/data/tfrecord/example_codec.ts) is specialised to Example and not reusable here.
 *
 * Varints are decoded as JS numbers (exact up to 2^53: offsets, sizes and dims of any real
 * checkpoint); negative int32/int64 (10-byte varints) decode through BigInt.
 *
 * @module
 */

/** Protobuf wire types. */
export const WIRE = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const;

/** Thrown by {@linkcode ProtoReader} on bytes that are not valid wire format. */
export class ProtoWireError extends Error {
  override name = "ProtoWireError";
}

/** One field as read: number, wire type, and its value (number for varint/fixed, bytes for length-delimited). */
export interface ProtoField {
  /** Field number. */
  field: number;
  /** Wire type (see {@linkcode WIRE}). */
  wire: number;
  /** Varint / fixed32 / fixed64 value. */
  value: number;
  /** Length-delimited payload (a view into the buffer). */
  bytes: Uint8Array;
}

/** Sequential reader over one message's bytes. */
export class ProtoReader {
  pos = 0;
  /** @param buf the message bytes */
  constructor(readonly buf: Uint8Array) {}

  /** Whether bytes are left. */
  more(): boolean {
    return this.pos < this.buf.length;
  }

  /** Reads one varint (up to 64 bits; values above 2^53 lose precision, negatives via BigInt). */
  varint(): number {
    const start = this.pos;
    let result = 0, mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) {
        throw new ProtoWireError(`varint runs past the end at byte ${start}`);
      }
      const b = this.buf[this.pos++];
      if (i === 7) return this.bigVarint(start);
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return result;
      mul *= 128;
    }
    throw new ProtoWireError(`varint longer than 10 bytes at byte ${start}`);
  }

  // Varints of 8+ bytes (above 2^49, or negative int64s): exactly, through BigInt.
  private bigVarint(start: number): number {
    let v = 0n, shift = 0n;
    this.pos = start;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) {
        throw new ProtoWireError(`varint runs past the end at byte ${start}`);
      }
      const b = this.buf[this.pos++];
      v |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return Number(BigInt.asIntN(64, v));
      shift += 7n;
    }
    throw new ProtoWireError(`varint longer than 10 bytes at byte ${start}`);
  }

  /** Reads a little-endian uint32. */
  fixed32(): number {
    if (this.pos + 4 > this.buf.length) {
      throw new ProtoWireError(`fixed32 runs past the end at byte ${this.pos}`);
    }
    const b = this.buf, p = this.pos;
    this.pos += 4;
    return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
  }

  /** Reads a little-endian uint64 as a number (exact up to 2^53). */
  fixed64(): number {
    const lo = this.fixed32();
    return lo + this.fixed32() * 2 ** 32;
  }

  /** Reads a length-delimited payload (a view, not a copy). */
  bytes(): Uint8Array {
    const n = this.varint();
    if (this.pos + n > this.buf.length) {
      throw new ProtoWireError(`a ${n}-byte field runs past the end at byte ${this.pos}`);
    }
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Reads the next field (tag + value). */
  field(): ProtoField {
    const tag = this.varint();
    const field = Math.floor(tag / 8), wire = tag % 8;
    const f: ProtoField = { field, wire, value: 0, bytes: EMPTY };
    if (wire === WIRE.varint) f.value = this.varint();
    else if (wire === WIRE.fixed32) f.value = this.fixed32();
    else if (wire === WIRE.fixed64) f.value = this.fixed64();
    else if (wire === WIRE.bytes) f.bytes = this.bytes();
    else {throw new ProtoWireError(
        `unsupported wire type ${wire} (field ${field}) at byte ${this.pos}`,
      );}
    return f;
  }
}

const EMPTY = new Uint8Array(0);
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** Decodes UTF-8 bytes (proto `string` fields). */
export function decodeUtf8(bytes: Uint8Array): string {
  return fromUtf8.decode(bytes);
}

/** Growing buffer that writes wire format. */
export class ProtoWriter {
  private buf = new Uint8Array(64);
  private len = 0;

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  /** Appends raw bytes. */
  raw(bytes: Uint8Array): this {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
    return this;
  }

  /** Appends a varint (non-negative up to 2^53, or a negative int64 as 10 bytes). */
  varint(n: number): this {
    this.reserve(10);
    if (n < 0) {
      let v = BigInt.asUintN(64, BigInt(n));
      while (v >= 0x80n) {
        this.buf[this.len++] = Number(v & 0x7fn) | 0x80;
        v >>= 7n;
      }
      this.buf[this.len++] = Number(v);
      return this;
    }
    while (n >= 0x80) {
      this.buf[this.len++] = (n % 128) | 0x80;
      n = Math.floor(n / 128);
    }
    this.buf[this.len++] = n;
    return this;
  }

  /** Appends a little-endian uint32. */
  fixed32(n: number): this {
    this.reserve(4);
    new DataView(this.buf.buffer).setUint32(this.len, n >>> 0, true);
    this.len += 4;
    return this;
  }

  /** Appends a little-endian uint64 (exact up to 2^53). */
  fixed64(n: number): this {
    this.fixed32(n % 2 ** 32);
    return this.fixed32(Math.floor(n / 2 ** 32));
  }

  /** Appends a field tag. */
  tag(field: number, wire: number): this {
    return this.varint(field * 8 + wire);
  }

  /** Appends a varint field (always, even when 0: callers skip proto3 defaults). */
  varintField(field: number, n: number): this {
    return this.tag(field, WIRE.varint).varint(n);
  }

  /** Appends a length-delimited field from bytes or a string. */
  bytesField(field: number, data: Uint8Array | string): this {
    const bytes = typeof data === "string" ? utf8.encode(data) : data;
    return this.tag(field, WIRE.bytes).varint(bytes.length).raw(bytes);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.len;
  }

  /** The bytes written so far (a copy). */
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}
