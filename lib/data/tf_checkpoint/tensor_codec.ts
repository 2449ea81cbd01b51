/**
 * A tensor's bytes in a bundle data shard <-> typed arrays, and the masked CRC32C the index
 * stores for them. Fixed-size dtypes are their little-endian element bytes (CRC of those bytes);
 * string tensors are TensorFlow's encoding (tensorflow/core/util/tensor_bundle/tensor_bundle.cc,
 * WriteStringTensor): the lengths as varint64s, a masked CRC32C of the lengths (each as a uint32
 * LE), then the string bytes; the entry's CRC extends over the uint32 lengths, that length
 * checksum and the bytes.
 *
 * @module
 */
import { crc32cExtend, maskCrc, maskedCrc32c } from "../tfrecord/crc32c.ts";
import type { TfDtype } from "./bundle_proto.ts";
import { ProtoReader, ProtoWriter } from "./proto_wire.ts";

/** A tensor's values as returned by the reader and accepted by the writer. */
export type TensorData = Float32Array | Int32Array | BigInt64Array | Uint8Array | string[];

/** Thrown for bytes that do not decode as the dtype says (caller adds file and key). */
export class TensorCodecError extends Error {
  override name = "TensorCodecError";
}

/** Number of elements of `shape` (1 for a scalar). */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

// IEEE half -> float (exact: every half is a float32).
function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

// float -> IEEE half, rounding to nearest even (what TensorFlow's Eigen::half does).
function floatToHalf(x: number): number {
  const f = new Float32Array([x]), u = new Uint32Array(f.buffer)[0];
  const sign = (u >>> 16) & 0x8000, exp = (u >>> 23) & 0xff, mant = u & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    const m = (mant | 0x800000) >>> 0, shift = 14 - e;
    let half = m >>> shift;
    const rem = m & ((1 << shift) - 1), mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && (half & 1))) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (half & 1))) half++;
  return sign | half;
}

/** The masked CRC32C the index stores for a tensor's `bytes` of `dtype`. */
export function tensorCrc(dtype: TfDtype, bytes: Uint8Array, count: number): number {
  if (dtype !== "string") return maskedCrc32c(bytes);
  return decodeStrings(bytes, count).crc;
}

function decodeStrings(bytes: Uint8Array, count: number): { values: string[]; crc: number } {
  const r = new ProtoReader(bytes);
  const lengths: number[] = [];
  let crc = 0;
  const u32 = new Uint8Array(4), dv = new DataView(u32.buffer);
  for (let i = 0; i < count; i++) {
    let n: number;
    try {
      n = r.varint();
    } catch {
      throw new TensorCodecError(`string length ${i} of ${count} runs past the tensor's bytes`);
    }
    lengths.push(n);
    if (n > 0xffffffff) throw new TensorCodecError(`string ${i} is longer than 4 GiB`);
    dv.setUint32(0, n, true);
    crc = crc32cExtend(crc, u32);
  }
  if (r.pos + 4 > bytes.length) throw new TensorCodecError("string length checksum is missing");
  const lengthCrc = r.fixed32();
  if (lengthCrc !== maskCrc(crc)) {
    throw new TensorCodecError(
      `string length checksum mismatch (stored 0x${lengthCrc.toString(16)}, computed ` +
        `0x${maskCrc(crc).toString(16)})`,
    );
  }
  crc = crc32cExtend(crc, bytes.subarray(r.pos - 4, r.pos));
  const values: string[] = [];
  let pos = r.pos;
  for (const n of lengths) {
    if (pos + n > bytes.length) {
      throw new TensorCodecError("string bytes run past the tensor's bytes");
    }
    const s = bytes.subarray(pos, pos + n);
    crc = crc32cExtend(crc, s);
    values.push(fromUtf8.decode(s));
    pos += n;
  }
  if (pos !== bytes.length) {
    throw new TensorCodecError(`${bytes.length - pos} bytes left after the strings`);
  }
  return { values, crc: maskCrc(crc) };
}

/**
 * Decodes a tensor's bytes. float32/float16 -> Float32Array, int32 -> Int32Array,
 * int64 -> BigInt64Array, bool (and uint8) -> Uint8Array, string -> string[].
 */
export function decodeTensor(
  dtype: TfDtype,
  shape: readonly number[],
  bytes: Uint8Array,
): TensorData {
  const n = elementCount(shape);
  if (dtype === "string") return decodeStrings(bytes, n).values;
  const per = { float32: 4, float16: 2, int32: 4, int64: 8, bool: 1, uint8: 1 }[dtype as string];
  if (per === undefined) {
    throw new TensorCodecError(
      `dtype ${dtype} is not read here (float32, float16, int32, int64, string, bool are)`,
    );
  }
  if (bytes.length !== n * per) {
    throw new TensorCodecError(
      `${bytes.length} bytes do not hold ${n} ${dtype} values of shape [${shape.join(", ")}]`,
    );
  }
  const copy = bytes.slice(); // aligned, owned
  switch (dtype) {
    case "float32":
      return new Float32Array(copy.buffer);
    case "int32":
      return new Int32Array(copy.buffer);
    case "int64":
      return new BigInt64Array(copy.buffer);
    case "float16": {
      const h = new Uint16Array(copy.buffer), out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = halfToFloat(h[i]);
      return out;
    }
    default:
      return copy;
  }
}

/** TensorFlow's string-tensor bytes for `parts` (each element's raw bytes, e.g. a binary proto). */
export function encodeStringBytes(parts: readonly Uint8Array[]): Uint8Array {
  const w = new ProtoWriter();
  let crc = 0;
  const u32 = new Uint8Array(4), dv = new DataView(u32.buffer);
  for (const s of parts) {
    w.varint(s.length);
    dv.setUint32(0, s.length, true);
    crc = crc32cExtend(crc, u32);
  }
  w.fixed32(maskCrc(crc));
  for (const s of parts) w.raw(s);
  return w.finish();
}

/** Encodes values as a shard's bytes for `dtype` (float16 rounds to nearest even). */
export function encodeTensor(
  dtype: TfDtype,
  shape: readonly number[],
  data: TensorData,
): Uint8Array {
  const n = elementCount(shape);
  if (data.length !== n) {
    throw new TensorCodecError(
      `${data.length} values do not fill shape [${shape.join(", ")}] (${n})`,
    );
  }
  const want = {
    float32: Float32Array,
    float16: Float32Array,
    int32: Int32Array,
    int64: BigInt64Array,
    bool: Uint8Array,
    uint8: Uint8Array,
    string: Array,
  }[dtype as string];
  if (!want) throw new TensorCodecError(`dtype ${dtype} is not written here`);
  if (!(data instanceof want)) {
    throw new TensorCodecError(
      `${dtype} values must be a ${want.name}, got ${data.constructor.name}`,
    );
  }
  if (dtype === "string") return encodeStringBytes((data as string[]).map((s) => utf8.encode(s)));
  if (dtype === "float16") {
    const out = new Uint16Array(n);
    const f = data as Float32Array;
    for (let i = 0; i < n; i++) out[i] = floatToHalf(f[i]);
    return new Uint8Array(out.buffer);
  }
  if (dtype === "bool" && (data as Uint8Array).some((v) => v > 1)) {
    throw new TensorCodecError("bool values must be 0 or 1");
  }
  const t = data as Float32Array | Int32Array | BigInt64Array | Uint8Array;
  return new Uint8Array(t.buffer, t.byteOffset, t.byteLength).slice();
}
