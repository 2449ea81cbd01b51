/**
 * The Python objects a `.bin` pickle can hold beyond plain lists/tuples/bytes/bools: the globals
 * that REDUCE may call (`_codecs.encode` for bytes pickled by Python 3 under protocol 2, numpy
 * arrays and scalars of bools/ints) and what BUILD does to them. Anything else is refused with
 * a {@linkcode PickleError} naming the global.
 *
 * @module
 */
import { PickleError } from "./errors.ts";

/** A value on the unpickler's stack. Lists and tuples are both JS arrays. */
export type PyValue =
  | null
  | boolean
  | number
  | string
  | Uint8Array
  | PyValue[]
  | PyGlobal
  | NumpyDtype
  | NumpyArray;

/** A `module.name` reference pushed by GLOBAL / STACK_GLOBAL. */
export class PyGlobal {
  /**
   * @param module module path ("numpy.core.multiarray")
   * @param name attribute name ("_reconstruct")
   */
  constructor(readonly module: string, readonly name: string) {}
  /** "module.name". */
  get qualname(): string {
    return `${this.module}.${this.name}`;
  }
}

/** A numpy dtype: kind + item size ("b1", "i8", "u1") and byte order. */
export class NumpyDtype {
  /** Byte order from the BUILD state: "<", ">", "|" (not applicable) or "=" (native, little). */
  byteorder = "=";
  /** @param descr dtype string without byte order ("b1", "i8", "?") */
  constructor(readonly descr: string) {}
}

/** A numpy ndarray rebuilt from its pickled state. */
export class NumpyArray {
  /** Shape [d0, d1, ...]. */
  shape: number[] = [];
  /** Element type (null until BUILD). */
  dtype: NumpyDtype | null = null;
  /** Raw element bytes in C order (a view into the pickle buffer when possible). */
  data: Uint8Array | null = null;
}

const NUMPY_MODULES = ["numpy.core.multiarray", "numpy._core.multiarray"];
const NUMPY_NUMERIC = ["numpy.core.numeric", "numpy._core.numeric"];

function text(v: PyValue, what: string, offset: number): string {
  if (typeof v === "string") return v;
  if (v instanceof Uint8Array) return String.fromCharCode(...v); // Py2 str
  throw new PickleError(`${what}: expected a string, got ${describe(v)}`, offset);
}

/** A short description of a value's type for error messages. */
export function describe(v: PyValue): string {
  if (v === null) return "None";
  if (Array.isArray(v)) return `a sequence of ${v.length}`;
  if (v instanceof Uint8Array) return `bytes[${v.length}]`;
  if (v instanceof PyGlobal) return `global ${v.qualname}`;
  if (v instanceof NumpyArray) return "numpy.ndarray";
  if (v instanceof NumpyDtype) return "numpy.dtype";
  return typeof v;
}

/**
 * REDUCE: calls the supported global `fn` with `args`.
 *
 * @param fn the callable's global
 * @param args its argument tuple
 * @param offset byte offset of the REDUCE opcode, for errors
 */
export function reduceGlobal(fn: PyValue, args: PyValue, offset: number): PyValue {
  if (!(fn instanceof PyGlobal) || !Array.isArray(args)) {
    throw new PickleError(`REDUCE on ${describe(fn)} with ${describe(args)}`, offset);
  }
  const q = fn.qualname;
  if (q === "_codecs.encode") {
    // Python 3, protocol < 3: bytes b are pickled as _codecs.encode(b.decode('latin1'), 'latin1').
    const s = text(args[0], q, offset);
    const enc = args.length > 1 ? text(args[1], q, offset).toLowerCase() : "utf-8";
    if (enc !== "latin1" && enc !== "latin-1") {
      throw new PickleError(`_codecs.encode with encoding '${enc}' (only latin1)`, offset);
    }
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c > 255) throw new PickleError("_codecs.encode: character beyond latin1", offset);
      out[i] = c;
    }
    return out;
  }
  if ((q === "builtins.bytes" || q === "__builtin__.bytes") && args.length === 0) {
    return new Uint8Array(0);
  }
  if (NUMPY_MODULES.some((m) => q === `${m}._reconstruct`)) return new NumpyArray();
  if (q === "numpy.dtype") return new NumpyDtype(text(args[0], q, offset));
  if (NUMPY_MODULES.some((m) => q === `${m}.scalar`)) {
    const [dtype, data] = args;
    if (!(dtype instanceof NumpyDtype) || !(data instanceof Uint8Array)) {
      throw new PickleError(`${q} expects (dtype, bytes)`, offset);
    }
    return numericValues(dtype, data, offset)[0];
  }
  if (NUMPY_NUMERIC.some((m) => q === `${m}._frombuffer`)) {
    // Protocol 5: _frombuffer(buffer, dtype, shape, order).
    const [buf, dtype, shape] = args;
    if (!(buf instanceof Uint8Array) || !(dtype instanceof NumpyDtype) || !Array.isArray(shape)) {
      throw new PickleError(`${q} expects (buffer, dtype, shape, order)`, offset);
    }
    const arr = new NumpyArray();
    arr.data = buf;
    arr.dtype = dtype;
    arr.shape = shape.map(Number);
    return arr;
  }
  throw new PickleError(
    `REDUCE calls ${q}, which a verification .bin does not need; supported: _codecs.encode, ` +
      "numpy ndarray/dtype/scalar reconstruction. Re-save the labels as a list of bool",
    offset,
  );
}

/**
 * BUILD: applies `state` to a numpy dtype or array.
 *
 * @param obj the object on the stack
 * @param state its pickled state tuple
 * @param offset byte offset of the BUILD opcode, for errors
 */
export function buildObject(obj: PyValue, state: PyValue, offset: number): void {
  if (obj instanceof NumpyDtype && Array.isArray(state)) {
    // (version, byteorder, subdescr, names, fields, elsize, alignment, flags)
    obj.byteorder = text(state[1], "numpy dtype byte order", offset);
    return;
  }
  if (obj instanceof NumpyArray && Array.isArray(state)) {
    // (version, shape, dtype, is_fortran, rawdata) or, before version 1, without version.
    const s = state.length === 5 ? state.slice(1) : state;
    const [shape, dtype, , raw] = s;
    if (!Array.isArray(shape) || !(dtype instanceof NumpyDtype) || !(raw instanceof Uint8Array)) {
      throw new PickleError(
        "numpy array state is not (shape, dtype, is_fortran, raw bytes); object arrays " +
          "are not supported: store the labels as bool",
        offset,
      );
    }
    obj.shape = shape.map(Number);
    obj.dtype = dtype;
    obj.data = raw;
    return;
  }
  throw new PickleError(`BUILD on ${describe(obj)} with ${describe(state)}`, offset);
}

/**
 * Element values of raw numpy data: booleans for dtype "b1"/"?", numbers for ints/uints.
 *
 * @param dtype element type
 * @param data raw bytes [n * itemsize]
 * @param offset byte offset for errors
 */
export function numericValues(dtype: NumpyDtype, data: Uint8Array, offset: number): PyValue[] {
  const m = /^([biu?])(\d*)$/.exec(dtype.descr);
  const size = m ? (m[1] === "?" ? 1 : Number(m[2])) : 0;
  if (!m || ![1, 2, 4, 8].includes(size) || (m[1] === "b" && size !== 1)) {
    throw new PickleError(
      `numpy dtype '${dtype.descr}' is not supported (bool or 1/2/4/8-byte int only)`,
      offset,
    );
  }
  const little = dtype.byteorder !== ">";
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const n = Math.floor(data.length / size);
  const out: PyValue[] = new Array(n);
  const signed = m[1] === "i";
  for (let i = 0; i < n; i++) {
    const o = i * size;
    if (m[1] === "b" || m[1] === "?") out[i] = data[o] !== 0;
    else if (size === 1) out[i] = signed ? view.getInt8(o) : view.getUint8(o);
    else if (size === 2) out[i] = signed ? view.getInt16(o, little) : view.getUint16(o, little);
    else if (size === 4) out[i] = signed ? view.getInt32(o, little) : view.getUint32(o, little);
    else out[i] = Number(signed ? view.getBigInt64(o, little) : view.getBigUint64(o, little));
  }
  return out;
}
