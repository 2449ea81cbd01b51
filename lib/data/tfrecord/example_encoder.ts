/**
 * tf.train.Example encoder (packed float and int64 lists, as TensorFlow writes them).
 * See `example_codec.ts` for the wire format.
 *
 * @module
 */
import { ExampleEncodeError, type ExampleFeatures, type Feature } from "./example_types.ts";

const utf8 = new TextEncoder();
const TWO32 = 0x100000000;

/** Splits an int64 into unsigned 32-bit halves (two's complement for negatives). */
function int64Halves(v: number | bigint, feature: string): [number, number] {
  if (typeof v === "bigint") {
    if (v < -(1n << 63n) || v >= 1n << 63n) {
      throw new ExampleEncodeError(`feature '${feature}': int64 value ${v} is out of range`);
    }
    const u = BigInt.asUintN(64, v);
    return [Number(u & 0xffffffffn), Number(u >> 32n)];
  }
  if (!Number.isSafeInteger(v)) {
    throw new ExampleEncodeError(
      `feature '${feature}': int64 value ${v} is not a safe integer; pass a bigint`,
    );
  }
  if (v >= 0) return [v % TWO32, Math.floor(v / TWO32)];
  const a = -v;
  let lo = a % TWO32, hi = Math.floor(a / TWO32);
  lo = (~lo + 1) >>> 0;
  hi = (~hi + (lo === 0 ? 1 : 0)) >>> 0;
  return [lo, hi];
}

/** Growable byte writer. */
class Writer {
  buf = new Uint8Array(256);
  pos = 0;
  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.pos));
    this.buf = b;
  }
  varint(v: number): void {
    this.reserve(5);
    while (v > 127) {
      this.buf[this.pos++] = (v & 127) | 128;
      v >>>= 7;
    }
    this.buf[this.pos++] = v;
  }
  /** A (possibly > 32-bit) non-negative length as a varint. */
  lenVarint(v: number): void {
    if (v < 0x80000000) return this.varint(v);
    this.varint64(v % TWO32, Math.floor(v / TWO32));
  }
  varint64(lo: number, hi: number): void {
    this.reserve(10);
    while (hi !== 0 || lo > 127) {
      this.buf[this.pos++] = (lo & 127) | 128;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    this.buf[this.pos++] = lo;
  }
  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
}

function varintSize(v: number): number {
  let n = 1;
  while (v >= 128) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

function varint64Size(lo: number, hi: number): number {
  if (hi === 0) return varintSize(lo);
  let n = 5; // the low 35 bits
  hi >>>= 3;
  while (hi !== 0) {
    n++;
    hi >>>= 7;
  }
  return n;
}

/** Serializes one Feature message's body into `w` (without its own tag/length). */
function featureBody(name: string, f: Feature): Uint8Array {
  const w = new Writer();
  if (f.kind === "bytes") {
    let listLen = 0;
    for (const b of f.value) listLen += 1 + varintSize(b.length) + b.length;
    w.varint(0x0a); // bytes_list = 1, LEN
    w.lenVarint(listLen);
    for (const b of f.value) {
      w.varint(0x0a);
      w.lenVarint(b.length);
      w.bytes(b);
    }
  } else if (f.kind === "float") {
    const n = f.value.length;
    const packed = new Uint8Array(n * 4);
    const dv = new DataView(packed.buffer);
    for (let i = 0; i < n; i++) dv.setFloat32(i * 4, f.value[i], true);
    const inner = n === 0 ? 0 : 1 + varintSize(packed.length) + packed.length;
    w.varint(0x12); // float_list = 2
    w.varint(inner);
    if (n > 0) {
      w.varint(0x0a);
      w.varint(packed.length);
      w.bytes(packed);
    }
  } else if (f.kind === "int64") {
    const halves = f.value.map((v) => int64Halves(v, name));
    let packedLen = 0;
    for (const [lo, hi] of halves) packedLen += varint64Size(lo, hi);
    const inner = halves.length === 0 ? 0 : 1 + varintSize(packedLen) + packedLen;
    w.varint(0x1a); // int64_list = 3
    w.varint(inner);
    if (halves.length > 0) {
      w.varint(0x0a);
      w.varint(packedLen);
      for (const [lo, hi] of halves) w.varint64(lo, hi);
    }
  } else {
    throw new ExampleEncodeError(
      `feature '${name}': unknown kind '${(f as { kind: string }).kind}' ` +
        `(expected bytes, float or int64)`,
    );
  }
  return w.buf.subarray(0, w.pos);
}

/** Serializes a tf.train.Example with the given features. */
export function encodeExample(features: ExampleFeatures): Uint8Array {
  const entries = features instanceof Map ? [...features] : Object.entries(features);
  const parts: Array<[Uint8Array, Uint8Array]> = [];
  let featuresLen = 0;
  for (const [name, f] of entries) {
    const key = utf8.encode(name);
    const body = featureBody(name, f);
    const entryLen = 1 + varintSize(key.length) + key.length + 1 + varintSize(body.length) +
      body.length;
    featuresLen += 1 + varintSize(entryLen) + entryLen;
    parts.push([key, body]);
  }
  const w = new Writer();
  w.reserve(featuresLen + 8);
  w.varint(0x0a); // Example.features = 1
  w.lenVarint(featuresLen);
  for (const [key, body] of parts) {
    const entryLen = 1 + varintSize(key.length) + key.length + 1 + varintSize(body.length) +
      body.length;
    w.varint(0x0a); // Features.feature = 1 (map entry)
    w.lenVarint(entryLen);
    w.varint(0x0a); // key = 1
    w.varint(key.length);
    w.bytes(key);
    w.varint(0x12); // value = 2
    w.lenVarint(body.length);
    w.bytes(body);
  }
  return w.buf.slice(0, w.pos);
}
