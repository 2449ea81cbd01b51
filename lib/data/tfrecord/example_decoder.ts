/**
 * tf.train.Example decoder: a small wire-format parser (no protobuf library), packed and
 * unpacked repeated fields, unknown fields skipped. See `example_codec.ts` for the schema and
 * the int64 rules.
 *
 * @module
 */
import { type DecodedFeature, ExampleDecodeError } from "./example_types.ts";

/** Options of {@linkcode decodeExample}. */
export interface DecodeExampleOptions {
  /**
   * Copy byte values out of the record (default false: byte values are views into `record`,
   * which stay valid as long as `record` is not modified).
   */
  copyBytes?: boolean;
}

const utf8 = new TextDecoder("utf-8", { fatal: false });
const TWO32 = 0x100000000;

/** Cursor over one serialized message. */
class Reader {
  constructor(readonly buf: Uint8Array, public pos: number, public end: number) {}

  fail(msg: string): never {
    throw new ExampleDecodeError(msg, this.pos);
  }

  /** A varint that must fit in a JS number (tags, lengths). */
  uint(): number {
    const buf = this.buf;
    let b = buf[this.pos++];
    if (b < 128 && this.pos <= this.end) return b;
    let v = b & 127, mul = 128;
    for (let i = 1; i < 10; i++) {
      if (this.pos >= this.end) this.fail("varint runs past the end of its message");
      b = buf[this.pos++];
      v += (b & 127) * mul;
      if (b < 128) {
        if (v > Number.MAX_SAFE_INTEGER) this.fail(`length or tag ${v} is too large`);
        return v;
      }
      mul *= 128;
    }
    return this.fail("varint longer than 10 bytes");
  }

  /** An int64 varint: number when safe, bigint otherwise (negatives are 10-byte varints). */
  int64(): number | bigint {
    const buf = this.buf;
    let b = buf[this.pos++];
    if (b < 128 && this.pos <= this.end) return b;
    let lo = b & 127, hi = 0;
    let i = 1;
    for (; i < 4; i++) {
      if (this.pos >= this.end) this.fail("int64 varint runs past the end of its message");
      b = buf[this.pos++];
      lo |= (b & 127) << (i * 7);
      if (b < 128) return lo >>> 0;
    }
    if (this.pos >= this.end) this.fail("int64 varint runs past the end of its message");
    b = buf[this.pos++];
    lo = (lo | ((b & 127) << 28)) >>> 0;
    hi = (b & 127) >> 4;
    if (b >= 128) {
      for (i = 0;; i++) {
        if (i >= 5) this.fail("int64 varint longer than 10 bytes");
        if (this.pos >= this.end) this.fail("int64 varint runs past the end of its message");
        b = buf[this.pos++];
        hi = (hi | ((b & 127) << (i * 7 + 3))) >>> 0;
        if (b < 128) break;
      }
    }
    const hs = hi | 0;
    if (hs >= -0x200000 && hs < 0x200000) {
      const v = hs * TWO32 + lo;
      if (Number.isSafeInteger(v)) return v;
    }
    return BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo));
  }

  /** Reads a length prefix and returns the end of that sub-message. */
  sub(): number {
    const len = this.uint();
    const end = this.pos + len;
    if (end > this.end) {
      this.fail(`a length-delimited field of ${len} bytes runs past the end of its message`);
    }
    return end;
  }

  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.int64();
        return;
      case 1:
        this.pos += 8;
        break;
      case 2:
        this.pos = this.sub();
        return;
      case 5:
        this.pos += 4;
        break;
      default:
        this.fail(`unsupported wire type ${wireType}`);
    }
    if (this.pos > this.end) this.fail("a fixed-size field runs past the end of its message");
  }
}

/** Decodes a short, usually ASCII, key without the TextDecoder call overhead. */
function decodeKey(buf: Uint8Array, start: number, end: number): string {
  if (end - start <= 64) {
    let s = "";
    for (let i = start; i < end; i++) {
      const c = buf[i];
      if (c >= 128) return utf8.decode(buf.subarray(start, end));
      s += String.fromCharCode(c);
    }
    return s;
  }
  return utf8.decode(buf.subarray(start, end));
}

function readFloats(r: Reader, end: number, out: number[]): void {
  const dv = new DataView(r.buf.buffer, r.buf.byteOffset);
  if ((end - r.pos) % 4 !== 0) r.fail("packed float list length is not a multiple of 4");
  for (; r.pos < end; r.pos += 4) out.push(dv.getFloat32(r.pos, true));
}

function readFeature(r: Reader, end: number, copy: boolean): DecodedFeature {
  let feature: DecodedFeature = { kind: "bytes", value: [] };
  while (r.pos < end) {
    const tag = r.uint();
    const field = tag >>> 3, wt = tag & 7;
    if (wt !== 2 || field < 1 || field > 3) {
      r.skip(wt);
      continue;
    }
    const listEnd = r.sub();
    if (field === 1) {
      const value: Uint8Array[] = [];
      while (r.pos < listEnd) {
        const t = r.uint();
        if (t === 0x0a) {
          const e = r.sub();
          value.push(copy ? r.buf.slice(r.pos, e) : r.buf.subarray(r.pos, e));
          r.pos = e;
        } else r.skip(t & 7);
      }
      feature = { kind: "bytes", value };
    } else if (field === 2) {
      const value: number[] = [];
      while (r.pos < listEnd) {
        const t = r.uint();
        if (t === 0x0a) readFloats(r, r.sub(), value); // packed
        else if (t === 0x0d) { // unpacked fixed32
          const e = r.pos + 4;
          if (e > listEnd) r.fail("float runs past the end of its list");
          readFloats(r, e, value);
        } else r.skip(t & 7);
      }
      feature = { kind: "float", value: Float32Array.from(value) };
    } else {
      const value: Array<number | bigint> = [];
      while (r.pos < listEnd) {
        const t = r.uint();
        if (t === 0x0a) { // packed
          const e = r.sub();
          const outer = r.end;
          r.end = e;
          while (r.pos < e) value.push(r.int64());
          r.end = outer;
        } else if (t === 0x08) value.push(r.int64()); // unpacked
        else r.skip(t & 7);
      }
      feature = { kind: "int64", value };
    }
    r.pos = listEnd;
  }
  return feature;
}

/**
 * Decodes a serialized tf.train.Example into its features by name. Throws
 * {@linkcode ExampleDecodeError} (with the byte offset) when the bytes are not a valid message.
 */
export function decodeExample(
  record: Uint8Array,
  options: DecodeExampleOptions = {},
): Map<string, DecodedFeature> {
  const copy = options.copyBytes ?? false;
  const out = new Map<string, DecodedFeature>();
  const r = new Reader(record, 0, record.length);
  while (r.pos < r.end) {
    const tag = r.uint();
    if (tag !== 0x0a) {
      r.skip(tag & 7);
      continue;
    }
    const featuresEnd = r.sub();
    const outer = r.end;
    r.end = featuresEnd;
    while (r.pos < featuresEnd) {
      const t = r.uint();
      if (t !== 0x0a) {
        r.skip(t & 7);
        continue;
      }
      const entryEnd = r.sub();
      r.end = entryEnd;
      let key = "";
      let feature: DecodedFeature = { kind: "bytes", value: [] };
      while (r.pos < entryEnd) {
        const et = r.uint();
        if (et === 0x0a) {
          const e = r.sub();
          key = decodeKey(record, r.pos, e);
          r.pos = e;
        } else if (et === 0x12) {
          const e = r.sub();
          feature = readFeature(r, e, copy);
          r.pos = e;
        } else r.skip(et & 7);
      }
      out.set(key, feature);
      r.end = featuresEnd;
    }
    r.end = outer;
  }
  return out;
}
