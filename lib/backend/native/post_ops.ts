/**
 * Primitive attributes carrying post-ops (what oneDNN applies to a primitive's result before it
 * is written: `dst = post_op(dst)`), shared by every kernel that fuses passes into one.
 *
 * @module
 */
import { DESC_BYTES, DNNL, type F32, type Handle } from "./dnnl_library.ts";
import type { NativeBackend } from "./native_backend.ts";

/** An eltwise post-op `[alg, alpha, beta]` (e.g. relu after a convolution). */
export type EltwisePostOp = [alg: number, alpha: number, beta: number];

/**
 * A binary post-op `dst = alg(dst, operand)`, the operand described by `md`; the first such
 * post-op's operand is passed at run time as `DNNL.arg.postOp0Src1`.
 */
export interface BinaryPostOp {
  binary: number;
  md: Uint8Array;
}

/**
 * An attribute handle carrying `ops` in order, or null for none. Made once per primitive key
 * (the primitive cache keeps the primitive; the attribute, a few bytes, is kept with it).
 */
export function postOpsAttr(
  backend: NativeBackend,
  ops: readonly (EltwisePostOp | BinaryPostOp)[],
): Handle | null {
  if (ops.length === 0) return null;
  const dnnl = backend.dnnl, s = dnnl.symbols;
  const po = new BigUint64Array(1);
  dnnl.check(s.dnnl_post_ops_create(po), "creating post-ops");
  const poHandle = Deno.UnsafePointer.create(po[0]) as Handle;
  for (const op of ops) {
    if (Array.isArray(op)) {
      const [alg, alpha, beta] = op;
      dnnl.check(s.dnnl_post_ops_append_eltwise(poHandle, 1, alg, alpha, beta), "adding a post-op");
    } else {
      dnnl.check(s.dnnl_post_ops_append_binary(poHandle, op.binary, op.md), "adding a post-op");
    }
  }
  const attr = new BigUint64Array(1);
  dnnl.check(s.dnnl_primitive_attr_create(attr), "creating primitive attributes");
  const attrHandle = Deno.UnsafePointer.create(attr[0]) as Handle;
  dnnl.check(s.dnnl_primitive_attr_set_post_ops(attrHandle, poHandle), "setting post-ops");
  dnnl.check(s.dnnl_post_ops_destroy(poHandle), "freeing post-ops"); // the attr holds a copy
  return attrHandle;
}

/**
 * `dst = post(op(a, scalar), other)` over float32 arrays of one length, elementwise: oneDNN's
 * binary primitive with a broadcast one-value second operand and a binary post-op, one pass
 * (one cached primitive per length and pair of algorithms; the scalar is a run-time operand).
 * E.g. `op` multiply, `post` add: `a * s + other`; `op` a comparison, `post` multiply: a mask.
 */
export function scalarOpThenBinary(
  backend: NativeBackend,
  arrays: { a: F32; other: F32; dst: F32 },
  options: { op: number; scalar: number; post: number },
): void {
  const dnnl = backend.dnnl, size = arrays.a.length;
  const prim = dnnl.primitive(`scalar_op_then_binary|${options.op}|${options.post}|${size}`, () => {
    const md = dnnl.plainDesc([size]), scalar = dnnl.plainDesc([1]);
    const desc = new Uint8Array(DESC_BYTES);
    dnnl.check(
      dnnl.symbols.dnnl_binary_desc_init(desc, options.op, md, scalar, md),
      `describing a binary op ${options.op} by a scalar`,
    );
    return {
      op: desc,
      attr: postOpsAttr(backend, [{ binary: options.post, md }]),
      args: [
        [DNNL.arg.src, md],
        [DNNL.arg.src1, scalar],
        [DNNL.arg.dst, md],
        [DNNL.arg.postOp0Src1, md],
      ],
    };
  });
  dnnl.execute(prim, [
    [DNNL.arg.src, arrays.a],
    [DNNL.arg.src1, Float32Array.of(options.scalar)],
    [DNNL.arg.dst, arrays.dst],
    [DNNL.arg.postOp0Src1, arrays.other],
  ]);
}
