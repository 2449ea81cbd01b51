/**
 * oneDNN (Intel's Deep Neural Network Library, the CPU kernels PyTorch and TensorFlow use) called
 * through Deno FFI on the cpu backend's own `Float32Array`s, without copies.
 *
 * Why oneDNN and FFI: one wasm instance is one core without FMA (~28 GFLOP/s); oneDNN's JIT
 * kernels use AVX2/AVX-512 FMA on all cores (a 3x3 conv at N=8, 28x28x128 measured 109
 * GFLOP/s on this 2-core machine). No npm package ships it; Debian's `libdnnl2` (2.6.x) does,
 * and `Deno.dlopen` needs no build step. The v2 C API takes every descriptor by pointer, so
 * descriptors are plain byte buffers here: they are given {@linkcode DESC_BYTES} bytes, more
 * than the largest v2.6 descriptor (`dnnl_convolution_desc_t`, 5,976 bytes), because the library
 * only writes into them. oneDNN v3 changed this API: {@linkcode loadDnnl} refuses it by name.
 *
 * Memory layouts: TF.js' NHWC activations are oneDNN's `nhwc` tag (physical order acdb) on
 * logical dims `[N, C, H, W]`; TF's conv filter `[kh, kw, in, out]` is `hwio`; TF's depthwise
 * filter `[kh, kw, in, multiplier]` is `hwigo` on grouped dims `[g=in, o=mult, i=1, kh, kw]`.
 *
 * @module
 */

/** The library file `loadDnnl` opens unless told otherwise (Debian/Ubuntu package libdnnl2). */
export const DNNL_LIBRARY = "libdnnl.so.2";

/** Environment variable naming another oneDNN v2 library file (a full path). */
export const DNNL_LIBRARY_ENV_VAR = "ARCFACE_DNNL_LIBRARY";

/** What installs the library on Debian/Ubuntu. */
export const DNNL_INSTALL_COMMAND = "sudo apt-get install libdnnl2";

/** Bytes given to every oneDNN descriptor buffer (largest v2.6 descriptor: 5,976). */
export const DESC_BYTES = 8192;

/** The native library cannot be loaded or used; the message says what to install or change. */
export class NativeLibraryError extends Error {
  override name = "NativeLibraryError";
}

/** oneDNN enum values of v2.x (from dnnl_types.h), named as there without the prefix. */
export const DNNL = {
  f32: 3,
  cpu: 1,
  tag: { any: 1, a: 2, ab: 3, ba: 4, nc: 3, nhwc: 20, nchw: 5, hwio: 30, hwigo: 33 },
  prop: {
    forwardTraining: 64,
    forwardInference: 96,
    backward: 128,
    backwardData: 160,
    backwardWeights: 192,
  },
  alg: {
    convolutionDirect: 1,
    convolutionAuto: 3,
    binaryAdd: 0x1fff0,
    binaryMul: 0x1fff1,
    binaryMax: 0x1fff2,
    binaryMin: 0x1fff3,
    binaryDiv: 0x1fff4,
    binarySub: 0x1fff5,
    binaryGe: 0x1fff6,
    binaryGt: 0x1fff7,
    binaryLe: 0x1fff8,
    binaryLt: 0x1fff9,
    reductionSum: 196596,
    poolingMax: 0x1ff,
    poolingAvgExcludePadding: 0x3ff,
    eltwiseRelu: 0x1f,
    eltwiseElu: 0x3f,
    eltwiseLogistic: 0xaf,
    eltwiseClip: 0xff,
    reductionMean: 196598,
  },
  arg: {
    src: 1,
    src1: 2,
    dst: 17,
    weights: 33,
    bias: 41,
    mean: 49,
    variance: 50,
    scale: 51,
    shift: 52,
    workspace: 64,
    diffSrc: 129,
    diffDst: 145,
    diffWeights: 161,
    diffBias: 169,
    diffScale: 255,
    diffShift: 256,
    /** DNNL_ARG_ATTR_MULTIPLE_POST_OP(0) | DNNL_ARG_SRC_1: the first post-op's second operand. */
    postOp0Src1: 16384 | 2,
  },
  bnFlags: { useGlobalStats: 1, fuseNormRelu: 4, useScale: 8, useShift: 16 },
} as const;

const SYMBOLS = {
  dnnl_version: { parameters: [], result: "pointer" },
  dnnl_engine_create: { parameters: ["buffer", "i32", "usize"], result: "i32" },
  dnnl_stream_create: { parameters: ["buffer", "pointer", "u32"], result: "i32" },
  dnnl_memory_desc_init_by_tag: {
    parameters: ["buffer", "i32", "buffer", "i32", "i32"],
    result: "i32",
  },
  dnnl_memory_desc_init_by_strides: {
    parameters: ["buffer", "i32", "buffer", "i32", "buffer"],
    result: "i32",
  },
  dnnl_convolution_forward_desc_init: {
    parameters: [
      "buffer",
      "i32",
      "i32",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
    ],
    result: "i32",
  },
  dnnl_dilated_convolution_forward_desc_init: {
    parameters: [
      "buffer",
      "i32",
      "i32",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
    ],
    result: "i32",
  },
  dnnl_dilated_convolution_backward_data_desc_init: {
    parameters: [
      "buffer",
      "i32",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
    ],
    result: "i32",
  },
  dnnl_dilated_convolution_backward_weights_desc_init: {
    parameters: [
      "buffer",
      "i32",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
    ],
    result: "i32",
  },
  dnnl_batch_normalization_forward_desc_init: {
    parameters: ["buffer", "i32", "buffer", "f32", "u32"],
    result: "i32",
  },
  dnnl_batch_normalization_backward_desc_init: {
    parameters: ["buffer", "i32", "buffer", "buffer", "f32", "u32"],
    result: "i32",
  },
  dnnl_eltwise_forward_desc_init: {
    parameters: ["buffer", "i32", "i32", "buffer", "f32", "f32"],
    result: "i32",
  },
  dnnl_eltwise_backward_desc_init: {
    parameters: ["buffer", "i32", "buffer", "buffer", "f32", "f32"],
    result: "i32",
  },
  dnnl_matmul_desc_init: {
    parameters: ["buffer", "buffer", "buffer", "buffer", "buffer"],
    result: "i32",
  },
  // lead: PReLU and binary (elementwise with broadcasting) primitives
  dnnl_prelu_forward_desc_init: {
    parameters: ["buffer", "i32", "buffer", "buffer"],
    result: "i32",
  },
  dnnl_prelu_backward_desc_init: {
    parameters: ["buffer", "buffer", "buffer", "buffer", "buffer"],
    result: "i32",
  },
  dnnl_binary_desc_init: {
    parameters: ["buffer", "i32", "buffer", "buffer", "buffer"],
    result: "i32",
  },
  // lead: reduction (Sum, Mean) and reorder (non-contiguous Slice)
  dnnl_reduction_desc_init: {
    parameters: ["buffer", "i32", "buffer", "buffer", "f32", "f32"],
    result: "i32",
  },
  dnnl_memory_desc_init_submemory: {
    parameters: ["buffer", "buffer", "buffer", "buffer"],
    result: "i32",
  },
  dnnl_reorder_primitive_desc_create: {
    parameters: ["buffer", "buffer", "pointer", "buffer", "pointer", "pointer"],
    result: "i32",
  },
  // lead: pooling (MaxPool, AvgPool, MaxPoolGrad)
  dnnl_pooling_v2_forward_desc_init: {
    parameters: [
      "buffer",
      "i32",
      "i32",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
    ],
    result: "i32",
  },
  dnnl_pooling_v2_backward_desc_init: {
    parameters: [
      "buffer",
      "i32",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
    ],
    result: "i32",
  },
  dnnl_memory_desc_get_size: { parameters: ["buffer"], result: "usize" },
  dnnl_primitive_attr_create: { parameters: ["buffer"], result: "i32" },
  dnnl_primitive_attr_destroy: { parameters: ["pointer"], result: "i32" },
  dnnl_primitive_attr_set_post_ops: { parameters: ["pointer", "pointer"], result: "i32" },
  dnnl_post_ops_create: { parameters: ["buffer"], result: "i32" },
  dnnl_post_ops_destroy: { parameters: ["pointer"], result: "i32" },
  dnnl_post_ops_append_eltwise: {
    parameters: ["pointer", "f32", "i32", "f32", "f32"],
    result: "i32",
  },
  dnnl_post_ops_append_binary: { parameters: ["pointer", "i32", "buffer"], result: "i32" },
  dnnl_primitive_desc_create: {
    parameters: ["buffer", "buffer", "pointer", "pointer", "pointer"],
    result: "i32",
  },
  dnnl_primitive_desc_destroy: { parameters: ["pointer"], result: "i32" },
  dnnl_primitive_desc_query_md: { parameters: ["pointer", "i32", "i32"], result: "pointer" },
  dnnl_primitive_create: { parameters: ["buffer", "pointer"], result: "i32" },
  dnnl_primitive_destroy: { parameters: ["pointer"], result: "i32" },
  dnnl_memory_create: { parameters: ["buffer", "buffer", "pointer", "pointer"], result: "i32" },
  dnnl_memory_set_data_handle: { parameters: ["pointer", "pointer"], result: "i32" },
  dnnl_memory_destroy: { parameters: ["pointer"], result: "i32" },
  dnnl_primitive_execute: { parameters: ["pointer", "pointer", "i32", "buffer"], result: "i32" },
  dnnl_stream_wait: { parameters: ["pointer"], result: "i32" },
  dnnl_sgemm: {
    parameters: [
      "u8",
      "u8",
      "i64",
      "i64",
      "i64",
      "f32",
      "buffer",
      "i64",
      "buffer",
      "i64",
      "f32",
      "buffer",
      "i64",
    ],
    result: "i32",
  },
} as const;

type DnnlSymbols = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

/** oneDNN's status codes (dnnl_status_t), for messages. */
const STATUS = [
  "success",
  "out_of_memory",
  "invalid_arguments",
  "unimplemented",
  "iterator_ends",
  "runtime_error",
  "not_required",
];

/** Opaque oneDNN handle (primitive, memory, ...). */
export type Handle = Deno.PointerObject;

/** A typed array whose bytes oneDNN reads or writes in place. */
export type F32 = Float32Array;

/** A primitive ready to run, with the memory descriptor of each argument it takes. */
export interface Primitive {
  /** The primitive. */
  handle: Handle;
  /** One memory object per argument id, re-pointed at the caller's arrays on each run. */
  memories: Map<number, Handle>;
}

/** Options of {@linkcode loadDnnl}. */
export interface LoadDnnlOptions {
  /** Library file (default: `ARCFACE_DNNL_LIBRARY` from the environment, else `libdnnl.so.2`). */
  path?: string;
  /** Threads for oneDNN's OpenMP runtime (default: OpenMP's own, i.e. `OMP_NUM_THREADS` or all cores). */
  threads?: number;
}

/** A loaded oneDNN: one CPU engine and stream, and a cache of primitives by problem key. */
export class Dnnl {
  /** Library version, e.g. "2.6.3". */
  readonly version: string;
  /** The file that was opened. */
  readonly path: string;
  readonly #lib: Deno.DynamicLibrary<typeof SYMBOLS>;
  readonly #s: DnnlSymbols;
  readonly #engine: Handle;
  readonly #stream: Handle;
  readonly #cache = new Map<string, Primitive>();

  /** Use {@linkcode loadDnnl}. */
  constructor(lib: Deno.DynamicLibrary<typeof SYMBOLS>, path: string, version: string) {
    this.#lib = lib;
    this.#s = lib.symbols;
    this.path = path;
    this.version = version;
    const engine = new BigUint64Array(1);
    this.check(this.#s.dnnl_engine_create(engine, DNNL.cpu, 0n), "creating the CPU engine");
    this.#engine = pointer(engine);
    const stream = new BigUint64Array(1);
    this.check(this.#s.dnnl_stream_create(stream, this.#engine, 1), "creating a stream");
    this.#stream = pointer(stream);
  }

  /** The raw symbols, for kernel files that build descriptors. */
  get symbols(): DnnlSymbols {
    return this.#s;
  }

  /** Throws a {@linkcode NativeLibraryError} naming `what` unless `status` is success. */
  check(status: number, what: string): void {
    if (status !== 0) {
      throw new NativeLibraryError(
        `oneDNN failed ${what}: ${STATUS[status] ?? `status ${status}`}`,
      );
    }
  }

  /** A float32 memory descriptor of logical `dims` in layout `tag` (a {@linkcode DNNL}.tag). */
  memoryDesc(dims: readonly number[], tag: number): Uint8Array {
    const md = new Uint8Array(DESC_BYTES);
    this.check(
      this.#s.dnnl_memory_desc_init_by_tag(md, dims.length, dimsArray(dims), DNNL.f32, tag),
      `describing memory [${dims}]`,
    );
    return md;
  }

  /** A float32 memory descriptor of `dims` stored row-major (TF.js' own layout, any rank 1-12). */
  plainDesc(dims: readonly number[]): Uint8Array {
    const strides: number[] = new Array(dims.length);
    let step = 1;
    for (let i = dims.length - 1; i >= 0; i--) {
      strides[i] = step;
      step *= dims[i];
    }
    const md = new Uint8Array(DESC_BYTES);
    this.check(
      this.#s.dnnl_memory_desc_init_by_strides(
        md,
        dims.length,
        dimsArray(dims),
        DNNL.f32,
        dimsArray(strides),
      ),
      `describing memory [${dims}]`,
    );
    return md;
  }

  /**
   * The cached primitive for `key`, or the one `describe` builds: `describe` fills an operation
   * descriptor (a {@linkcode DESC_BYTES} buffer) and returns it with the memory descriptor of
   * each argument. `hint` is a forward primitive descriptor some backward primitives need;
   * `attr` an attribute handle (post-ops). Primitive creation (JIT) costs milliseconds, so
   * every distinct shape is built once per process.
   */
  primitive(
    key: string,
    describe: () => {
      op: Uint8Array;
      args: [number, Uint8Array][];
      hint?: Handle | null;
      attr?: Handle | null;
    },
  ): Primitive {
    const cached = this.#cache.get(key);
    if (cached) return cached;
    const { op, args, hint, attr } = describe();
    const pd = new BigUint64Array(1);
    this.check(
      this.#s.dnnl_primitive_desc_create(pd, op, attr ?? null, this.#engine, hint ?? null),
      `creating a primitive for ${key}`,
    );
    const prim = new BigUint64Array(1);
    this.check(this.#s.dnnl_primitive_create(prim, pointer(pd)), `building ${key}`);
    const memories = new Map<number, Handle>();
    for (const [arg, md] of args) {
      const mem = new BigUint64Array(1);
      // DNNL_MEMORY_NONE (null handle): the data pointer is set before every run.
      this.check(
        this.#s.dnnl_memory_create(mem, md, this.#engine, null),
        `creating memory for ${key}`,
      );
      memories.set(arg, pointer(mem));
    }
    const entry = { handle: pointer(prim), memories };
    // Backward primitives that need a forward hint keep the descriptor; one per key is cheap.
    this.#cache.set(key, entry);
    return entry;
  }

  /**
   * A cached reorder primitive copying `src` (a memory descriptor, e.g. a strided submemory)
   * into `dst`: oneDNN's own strided copy, arguments `DNNL.arg.src` (reads from) and
   * `DNNL.arg.dst`.
   */
  reorder(key: string, describe: () => { src: Uint8Array; dst: Uint8Array }): Primitive {
    const cached = this.#cache.get(key);
    if (cached) return cached;
    const { src, dst } = describe();
    const pd = new BigUint64Array(1);
    this.check(
      this.#s.dnnl_reorder_primitive_desc_create(pd, src, this.#engine, dst, this.#engine, null),
      `creating a reorder for ${key}`,
    );
    const prim = new BigUint64Array(1);
    this.check(this.#s.dnnl_primitive_create(prim, pointer(pd)), `building ${key}`);
    const memories = new Map<number, Handle>();
    for (const [arg, md] of [[DNNL.arg.src, src], [DNNL.arg.dst, dst]] as const) {
      const mem = new BigUint64Array(1);
      this.check(this.#s.dnnl_memory_create(mem, md, this.#engine, null), `memory for ${key}`);
      memories.set(arg, pointer(mem));
    }
    const entry = { handle: pointer(prim), memories };
    this.#cache.set(key, entry);
    return entry;
  }

  /**
   * A primitive descriptor handle (not a primitive) for `op`: the forward hint that backward
   * convolution and batch-norm primitives take. Cached under `key` like primitives.
   */
  primitiveDesc(key: string, op: () => Uint8Array, attr?: Handle | null): Handle {
    const k = `pd:${key}`;
    const hit = this.#pdCache.get(k);
    if (hit) return hit;
    const pd = new BigUint64Array(1);
    this.check(
      this.#s.dnnl_primitive_desc_create(pd, op(), attr ?? null, this.#engine, null),
      `creating a primitive descriptor for ${key}`,
    );
    const handle = pointer(pd);
    this.#pdCache.set(k, handle);
    return handle;
  }
  readonly #pdCache = new Map<string, Handle>();

  /**
   * Runs `prim` synchronously on the given arrays (argument id -> array). Every argument the
   * primitive was built with must be given; arrays must stay alive for the call, which they do
   * (the call is synchronous).
   */
  execute(prim: Primitive, data: [number, F32][]): void {
    const args = new BigUint64Array(data.length * 2);
    const ids = new Int32Array(args.buffer);
    data.forEach(([arg, array], i) => {
      const mem = prim.memories.get(arg);
      if (!mem) throw new NativeLibraryError(`oneDNN primitive has no argument ${arg}`);
      this.check(
        this.#s.dnnl_memory_set_data_handle(mem, Deno.UnsafePointer.of(array)),
        "pointing memory at an array",
      );
      ids[i * 4] = arg;
      args[i * 2 + 1] = BigInt(Deno.UnsafePointer.value(mem));
    });
    this.check(
      this.#s.dnnl_primitive_execute(prim.handle, this.#stream, data.length, args),
      "running a primitive",
    );
    this.check(this.#s.dnnl_stream_wait(this.#stream), "waiting for the stream");
  }

  /**
   * Row-major `C = alpha * op(A) op(B) + beta * C` (oneDNN's own sgemm, multithreaded):
   * A [m, k] (or [k, m] transposed), B [k, n] (or [n, k]), C [m, n].
   */
  sgemm(
    a: F32,
    b: F32,
    c: F32,
    dims: { m: number; n: number; k: number; transA?: boolean; transB?: boolean },
    options: { alpha?: number; beta?: number } = {},
  ): void {
    const { m, n, k } = dims;
    const ta = dims.transA ? 84 : 78; // 'T' : 'N'
    const tb = dims.transB ? 84 : 78;
    this.check(
      this.#s.dnnl_sgemm(
        ta,
        tb,
        BigInt(m),
        BigInt(n),
        BigInt(k),
        options.alpha ?? 1,
        a,
        BigInt(dims.transA ? m : k),
        b,
        BigInt(dims.transB ? k : n),
        options.beta ?? 0,
        c,
        BigInt(n),
      ),
      `in sgemm [${m}x${k}]x[${k}x${n}]`,
    );
  }

  /** Closes the library (tests; the process normally keeps it until exit). */
  close(): void {
    this.#lib.close();
  }
}

function pointer(out: BigUint64Array): Handle {
  const p = Deno.UnsafePointer.create(out[0]);
  if (p === null) throw new NativeLibraryError("oneDNN returned a null handle");
  return p;
}

/** A `dnnl_dims_t` (int64[12]) holding `dims`. */
export function dimsArray(dims: readonly number[]): BigInt64Array {
  const out = new BigInt64Array(12);
  dims.forEach((d, i) => out[i] = BigInt(d));
  return out;
}

// core slice: one loaded library per path (a test or setupBackend may ask for another file,
// e.g. a missing one, after the default has loaded).
const loadedByPath = new Map<string, Dnnl>();

/**
 * Opens oneDNN once per process and returns it. Throws a {@linkcode NativeLibraryError} that
 * says what to install when the file is missing, and refuses a version other than 2.x (v3's C
 * API differs).
 */
export function loadDnnl(options: LoadDnnlOptions = {}): Dnnl {
  let envPath: string | undefined;
  try {
    envPath = Deno.env.get(DNNL_LIBRARY_ENV_VAR);
  } catch { /* no --allow-env */ }
  const path = options.path ?? envPath ?? DNNL_LIBRARY;
  const cached = loadedByPath.get(path);
  if (cached) return cached;
  let lib: Deno.DynamicLibrary<typeof SYMBOLS>;
  try {
    lib = Deno.dlopen(path, SYMBOLS);
  } catch (e) {
    const why = (e instanceof Error ? e.message : String(e)).split("\n")[0];
    throw new NativeLibraryError(
      `oneDNN (${path}) cannot be loaded: ${why}. Install it: ${DNNL_INSTALL_COMMAND} ` +
        `(Debian 12 / Ubuntu 22.04+, x86_64 or arm64), or set ${DNNL_LIBRARY_ENV_VAR} to a ` +
        "libdnnl.so of version 2.x.",
    );
  }
  const v = lib.symbols.dnnl_version();
  const version = v ? new Deno.UnsafePointerView(v) : null;
  const [major, minor, patch] = version
    ? [version.getInt32(0), version.getInt32(4), version.getInt32(8)]
    : [0, 0, 0];
  if (major !== 2) {
    lib.close();
    throw new NativeLibraryError(
      `${path} is oneDNN ${major}.${minor}.${patch}; this backend speaks the v2 C API ` +
        `(2.x, e.g. Debian's libdnnl2 2.6.3). Install it: ${DNNL_INSTALL_COMMAND}.`,
    );
  }
  if (options.threads !== undefined) setOmpThreads(options.threads);
  const dnnl = new Dnnl(lib, path, `${major}.${minor}.${patch}`);
  loadedByPath.set(path, dnnl);
  return dnnl;
}

/**
 * Sets the OpenMP thread count oneDNN uses (Debian's oneDNN is built on libgomp). Returns false
 * where libgomp cannot be opened (the count then stays OpenMP's default).
 */
export function setOmpThreads(threads: number): boolean {
  try {
    const gomp = Deno.dlopen("libgomp.so.1", {
      omp_set_num_threads: { parameters: ["i32"], result: "void" },
    });
    gomp.symbols.omp_set_num_threads(threads);
    return true;
  } catch {
    return false;
  }
}
