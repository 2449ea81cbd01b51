/**
 * Test helper: the tensors of a `.tflite` file (name, shape, type, constant data, quantisation),
 * its operators (builtin code, inputs, outputs), read from TFLite's flatbuffer. Used to check what
 * a `.tflite` holds against a checkpoint (tests/tf_checkpoint_tflite_test.ts).
 *
 * The `flatbuffers` npm package (pinned in package.json) does the flatbuffer decoding; the TFLite
 * schema's generated TypeScript is not published on npm (tfjs-tflite ships none), so the few
 * tables read here are addressed by their field ids from TensorFlow's
 * `tensorflow/compiler/mlir/lite/schema/schema.fbs`: Model {1 operator_codes, 2 subgraphs,
 * 4 buffers}, SubGraph {0 tensors, 1 inputs, 2 outputs, 3 operators}, Tensor {0 shape, 1 type,
 * 2 buffer, 3 name, 4 quantization}, QuantizationParameters {2 scale, 3 zero_point,
 * 6 quantized_dimension},
 * Buffer {0 data}, Operator {0 opcode_index, 1 inputs, 2 outputs}, OperatorCode
 * {0 deprecated_builtin_code, 3 builtin_code}.
 *
 * @module
 */
import * as fb from "flatbuffers";

/** Raised when a file is not a TFLite flatbuffer this reader understands. */
export class TfliteFlatbufferError extends Error {
  override name = "TfliteFlatbufferError";
}

/** TFLite's TensorType values the fixtures use (schema.fbs `enum TensorType`). */
export const TFLITE_TYPES: Record<number, string> = {
  0: "float32",
  1: "float16",
  2: "int32",
  3: "uint8",
  4: "int64",
  9: "int8",
};

/** TFLite builtin operator codes the fixtures use (schema.fbs `enum BuiltinOperator`). */
export const TFLITE_OPS: Record<number, string> = {
  1: "AVERAGE_POOL_2D",
  3: "CONV_2D",
  4: "DEPTHWISE_CONV_2D",
  9: "FULLY_CONNECTED",
  22: "RESHAPE",
  25: "SOFTMAX",
};

/** One tensor of a `.tflite`'s first subgraph. */
export interface TfliteTensor {
  index: number;
  name: string;
  shape: number[];
  /** "float32", "int8", ... ("type N" for others). */
  type: string;
  /** The constant's bytes (weights), or undefined for activations. */
  data?: Uint8Array;
  /** Quantisation scales (one, or one per channel), empty when not quantised. */
  scale: number[];
  zeroPoint: number[];
  /** The axis the scales run along when there are several (per-channel quantisation). */
  quantizedDimension: number;
}

/** One operator of a `.tflite`'s first subgraph, in execution order. */
export interface TfliteOperator {
  /** "CONV_2D", ... ("op N" for others). */
  op: string;
  inputs: number[];
  outputs: number[];
}

/** A `.tflite`'s first subgraph. */
export interface TfliteGraph {
  tensors: TfliteTensor[];
  operators: TfliteOperator[];
  inputs: number[];
  outputs: number[];
}

/** Reads the first subgraph of a `.tflite` flatbuffer (`bytes`: the whole file). */
export function readTfliteGraph(bytes: Uint8Array, file = "<bytes>"): TfliteGraph {
  if (bytes.length < 8 || new TextDecoder().decode(bytes.subarray(4, 8)) !== "TFL3") {
    throw new TfliteFlatbufferError(
      `${file}: not a TFLite model (no "TFL3" identifier at bytes 4..8); expected a .tflite file ` +
        `written by TensorFlow Lite's converter.`,
    );
  }
  const bb = new fb.ByteBuffer(bytes);
  const at = (table: number, id: number) => bb.__offset(table, 4 + 2 * id);
  const vector = (table: number, id: number): { start: number; length: number } => {
    const o = at(table, id);
    return o ? { start: bb.__vector(table + o), length: bb.__vector_len(table + o) } : {
      start: 0,
      length: 0,
    };
  };
  const tables = (table: number, id: number) => {
    const { start, length } = vector(table, id);
    return Array.from({ length }, (_, i) => bb.__indirect(start + 4 * i));
  };
  const ints = (table: number, id: number) => {
    const { start, length } = vector(table, id);
    return Array.from({ length }, (_, i) => bb.readInt32(start + 4 * i));
  };
  const scalar = (table: number, id: number, read: (p: number) => number) => {
    const o = at(table, id);
    return o ? read(table + o) : 0;
  };
  const model = bb.readUint32(bb.position()) + bb.position();
  const opCodes = tables(model, 1).map((t) =>
    Math.max(scalar(t, 0, (p) => bb.readInt8(p)), scalar(t, 3, (p) => bb.readInt32(p)))
  );
  const buffers = tables(model, 4);
  const [graph] = tables(model, 2);
  if (graph === undefined) throw new TfliteFlatbufferError(`${file}: the model has no subgraph.`);
  const tensors = tables(graph, 0).map((t, index): TfliteTensor => {
    const typeCode = scalar(t, 1, (p) => bb.readInt8(p));
    const buffer = buffers[scalar(t, 2, (p) => bb.readUint32(p))];
    const data = buffer === undefined ? undefined : vector(buffer, 0);
    const q = at(t, 4) ? bb.__indirect(t + at(t, 4)) : 0;
    const scales = q ? vector(q, 2) : { start: 0, length: 0 };
    const zeros = q ? vector(q, 3) : { start: 0, length: 0 };
    const nameAt = at(t, 3);
    return {
      index,
      name: nameAt ? bb.__string(t + nameAt) as string : "",
      shape: ints(t, 0),
      type: TFLITE_TYPES[typeCode] ?? `type ${typeCode}`,
      data: data?.length ? bytes.slice(data.start, data.start + data.length) : undefined,
      scale: Array.from({ length: scales.length }, (_, i) => bb.readFloat32(scales.start + 4 * i)),
      zeroPoint: Array.from(
        { length: zeros.length },
        (_, i) => Number(bb.readInt64(zeros.start + 8 * i)),
      ),
      quantizedDimension: q ? scalar(q, 6, (p) => bb.readInt32(p)) : 0,
    };
  });
  const operators = tables(graph, 3).map((o): TfliteOperator => {
    const code = opCodes[scalar(o, 0, (p) => bb.readUint32(p))];
    return { op: TFLITE_OPS[code] ?? `op ${code}`, inputs: ints(o, 1), outputs: ints(o, 2) };
  });
  return { tensors, operators, inputs: ints(graph, 1), outputs: ints(graph, 2) };
}

/**
 * A constant tensor's values as float32: float32 as stored, int8 dequantised with its scale(s)
 * along the first axis ((q - zeroPoint) * scale, TFLite's per-tensor or per-output-channel rule).
 */
export function tfliteTensorValues(tensor: TfliteTensor): Float32Array {
  const { data } = tensor;
  if (!data) {
    throw new TfliteFlatbufferError(
      `tensor ${tensor.index} "${tensor.name}" holds no constant data`,
    );
  }
  if (tensor.type === "float32") {
    return new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  }
  if (tensor.type === "int8" && tensor.scale.length > 0) {
    const q = new Int8Array(data.buffer, data.byteOffset, data.byteLength);
    const channels = tensor.scale.length;
    if (channels > 1 && tensor.quantizedDimension !== 0) {
      throw new TfliteFlatbufferError(
        `tensor ${tensor.index} "${tensor.name}": scales along axis ${tensor.quantizedDimension}; ` +
          `only the first axis (TFLite's output channels) is supported here`,
      );
    }
    const perChannel = q.length / channels; // the quantised dimension is the first (OHWI: O)
    return Float32Array.from(q, (v, i) => {
      const c = Math.floor(i / perChannel);
      return (v - (tensor.zeroPoint[c] ?? 0)) * tensor.scale[c];
    });
  }
  throw new TfliteFlatbufferError(
    `tensor ${tensor.index} "${tensor.name}": type ${tensor.type} without scales is not supported`,
  );
}
