/**
 * TensorFlow's tensor-bundle index messages (tensorflow/core/protobuf/tensor_bundle.proto):
 * `BundleHeaderProto` (the value of key `""`) and `BundleEntryProto` (every other key), with
 * `TensorShapeProto` and the `DataType` enum. Encoding writes fields in field-number order and
 * skips proto3 defaults, as TensorFlow's C++ serializer does, so re-encoded entries are
 * TensorFlow's bytes.
 *
 * @module
 */
import { ProtoReader, ProtoWriter, WIRE } from "./proto_wire.ts";

/** A tensor's dtype: the six read here by name, others as TensorFlow's `DT_*` name lower-cased. */
export type TfDtype = "float32" | "float16" | "int32" | "int64" | "string" | "bool" | string;

/** TensorFlow `DataType` enum values by our dtype names (types.proto). */
export const DTYPE_ENUM: Readonly<Record<string, number>> = {
  float32: 1,
  float64: 2,
  int32: 3,
  uint8: 4,
  int16: 5,
  int8: 6,
  string: 7,
  complex64: 8,
  int64: 9,
  bool: 10,
  bfloat16: 14,
  uint16: 17,
  complex128: 18,
  float16: 19,
  resource: 20,
  variant: 21,
  uint32: 22,
  uint64: 23,
};
const DTYPE_NAME = new Map(Object.entries(DTYPE_ENUM).map(([k, v]) => [v, k]));

/** Our dtype name for a `DataType` enum value (`dt_<n>` for one not listed). */
export function dtypeName(e: number): TfDtype {
  return DTYPE_NAME.get(e) ?? `dt_${e}`;
}

/** Bytes per element of the fixed-size dtypes (undefined for string and unknown ones). */
export function dtypeByteSize(dtype: TfDtype): number | undefined {
  return ({
    float32: 4,
    float64: 8,
    int32: 4,
    uint8: 1,
    int16: 2,
    int8: 1,
    int64: 8,
    bool: 1,
    bfloat16: 2,
    uint16: 2,
    float16: 2,
    uint32: 4,
    uint64: 8,
    complex64: 8,
    complex128: 16,
  } as Record<string, number>)[dtype];
}

/** `BundleHeaderProto`: shard count, endianness, format version. */
export interface BundleHeader {
  /** Number of data shards. */
  numShards: number;
  /** 0 little-endian (what TensorFlow writes on every common machine), 1 big-endian. */
  endianness: number;
  /** `VersionDef` of the bundle format (TensorFlow writes producer 1). */
  version: { producer: number; minConsumer: number; badConsumers: number[] };
}

/** One tensor's index entry (`BundleEntryProto`, without slices). */
export interface BundleEntry {
  /** Bundle key, e.g. "layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE". */
  key: string;
  /** Element type. */
  dtype: TfDtype;
  /** Dimensions ([] for scalars). */
  shape: number[];
  /** Data shard holding the bytes. */
  shardId: number;
  /** Byte offset in the shard. */
  offset: number;
  /** Byte size in the shard. */
  size: number;
  /** Masked CRC32C of the bytes, as stored. */
  crc32c: number;
}

/** Decodes a `BundleHeaderProto`. */
export function decodeHeader(bytes: Uint8Array): BundleHeader {
  const h: BundleHeader = {
    numShards: 0,
    endianness: 0,
    version: { producer: 0, minConsumer: 0, badConsumers: [] },
  };
  const r = new ProtoReader(bytes);
  while (r.more()) {
    const f = r.field();
    if (f.field === 1) h.numShards = f.value;
    else if (f.field === 2) h.endianness = f.value;
    else if (f.field === 3) {
      const v = new ProtoReader(f.bytes);
      while (v.more()) {
        const g = v.field();
        if (g.field === 1) h.version.producer = g.value;
        else if (g.field === 2) h.version.minConsumer = g.value;
        else if (g.field === 3) {
          if (g.wire === WIRE.bytes) {
            const p = new ProtoReader(g.bytes);
            while (p.more()) h.version.badConsumers.push(p.varint());
          } else h.version.badConsumers.push(g.value);
        }
      }
    }
  }
  return h;
}

/** Encodes a `BundleHeaderProto` as TensorFlow does. */
export function encodeHeader(h: BundleHeader): Uint8Array {
  const w = new ProtoWriter();
  if (h.numShards) w.varintField(1, h.numShards);
  if (h.endianness) w.varintField(2, h.endianness);
  const v = new ProtoWriter();
  if (h.version.producer) v.varintField(1, h.version.producer);
  if (h.version.minConsumer) v.varintField(2, h.version.minConsumer);
  if (h.version.badConsumers.length) {
    const p = new ProtoWriter();
    for (const b of h.version.badConsumers) p.varint(b);
    v.bytesField(3, p.finish());
  }
  w.bytesField(3, v.finish());
  return w.finish();
}

/** Why an entry cannot be read here (sliced tensors), raised by {@linkcode decodeEntry}. */
export class SlicedEntryError extends Error {
  override name = "SlicedEntryError";
}

/** Decodes a `BundleEntryProto` for `key`; throws {@linkcode SlicedEntryError} for sliced tensors. */
export function decodeEntry(key: string, bytes: Uint8Array): BundleEntry {
  const e: BundleEntry = {
    key,
    dtype: "dt_0",
    shape: [],
    shardId: 0,
    offset: 0,
    size: 0,
    crc32c: 0,
  };
  const r = new ProtoReader(bytes);
  while (r.more()) {
    const f = r.field();
    switch (f.field) {
      case 1:
        e.dtype = dtypeName(f.value);
        break;
      case 2:
        e.shape = decodeShape(f.bytes);
        break;
      case 3:
        e.shardId = f.value;
        break;
      case 4:
        e.offset = f.value;
        break;
      case 5:
        e.size = f.value;
        break;
      case 6:
        e.crc32c = f.value;
        break;
      case 7:
        throw new SlicedEntryError(`tensor '${key}' is stored as slices (partitioned variable)`);
    }
  }
  return e;
}

function decodeShape(bytes: Uint8Array): number[] {
  const dims: number[] = [];
  const r = new ProtoReader(bytes);
  while (r.more()) {
    const f = r.field();
    if (f.field === 2) {
      const d = new ProtoReader(f.bytes);
      let size = 0;
      while (d.more()) {
        const g = d.field();
        if (g.field === 1) size = g.value;
      }
      dims.push(size);
    }
  }
  return dims;
}

/** Encodes a `BundleEntryProto` as TensorFlow does (shape always present, even for scalars). */
export function encodeEntry(e: BundleEntry): Uint8Array {
  const w = new ProtoWriter();
  const dtype = DTYPE_ENUM[e.dtype] ?? Number(/^dt_(\d+)$/.exec(e.dtype)?.[1] ?? 0);
  if (dtype) w.varintField(1, dtype);
  const shape = new ProtoWriter();
  for (const d of e.shape) {
    const dim = new ProtoWriter();
    if (d) dim.varintField(1, d);
    shape.bytesField(2, dim.finish());
  }
  w.bytesField(2, shape.finish());
  if (e.shardId) w.varintField(3, e.shardId);
  if (e.offset) w.varintField(4, e.offset);
  if (e.size) w.varintField(5, e.size);
  if (e.crc32c) w.tag(6, WIRE.fixed32).fixed32(e.crc32c);
  return w.finish();
}
