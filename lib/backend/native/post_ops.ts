/**
 * Primitive attributes carrying post-ops (what oneDNN applies to a primitive's result before it
 * is written: `dst = post_op(dst)`), shared by every kernel that fuses passes into one.
 *
 * @module
 */
import type { Handle } from "./dnnl_library.ts";
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
