/**
 * `BatchMatMul` for wasm without its naive loop: the stock kernel only uses XNNPACK when
 * neither operand is transposed and both batches are 1; everything else (every matmul
 * gradient) runs a scalar triple loop. Here transposes become explicit Transpose kernels
 * (or the product is computed transposed when that moves fewer elements), batches become
 * one big matmul (broadcast b) or a loop of fast 2-D matmuls.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { KernelScope, UnsupportedKernelAttrError, withScope } from "./kernel_util.ts";

/**
 * Untransposed, unbatched product `a @ b` with the stock XNNPACK path.
 * `a` [m, k], `b` [k, n] -> [m, n]. XNNPACK caches the packed `b` on b's tensor id.
 */
export function matMul2d(s: KernelScope, a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo {
  const [m, k] = a.shape;
  const n = b.shape[1];
  const a3 = s.reshape(a, [1, m, k]);
  const b3 = s.reshape(b, [1, k, n]);
  const out = s.runStock("BatchMatMul", { a: a3, b: b3 }, { transposeA: false, transposeB: false });
  return s.reshape(out, [m, n]);
}

/**
 * `op(a) @ op(b)` for 2-D operands, where op transposes when the flag is set.
 * Picks between transposing the operands and computing `(op(b)^T @ op(a)^T)^T`, whichever
 * moves fewer elements. `a` [m, k] (or [k, m]), `b` [k, n] (or [n, k]) -> [m, n].
 */
export function matMul2dT(
  s: KernelScope,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
): tf.TensorInfo {
  if (!transposeA && !transposeB) return matMul2d(s, a, b);
  const m = transposeA ? a.shape[1] : a.shape[0];
  const n = transposeB ? b.shape[0] : b.shape[1];
  const sizeA = a.shape[0] * a.shape[1];
  const sizeB = b.shape[0] * b.shape[1];
  // Direct: transpose the flagged operands. Swapped: out^T = op(b)^T @ op(a)^T, which needs
  // the unflagged operands transposed, plus the [n, m] result.
  const direct = (transposeA ? sizeA : 0) + (transposeB ? sizeB : 0);
  const swapped = (transposeA ? 0 : sizeA) + (transposeB ? 0 : sizeB) + m * n;
  if (direct <= swapped) {
    const a2 = transposeA ? s.transpose(a, [1, 0]) : a; // [m, k]
    const b2 = transposeB ? s.transpose(b, [1, 0]) : b; // [k, n]
    return matMul2d(s, a2, b2);
  }
  const bl = transposeB ? b : s.transpose(b, [1, 0]); // [n, k]
  const ar = transposeA ? a : s.transpose(a, [1, 0]); // [k, m]
  return s.transpose(matMul2d(s, bl, ar), [1, 0]); // [n, m] -> [m, n]
}

function batchMatMul(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const { transposeA, transposeB } = (args.attrs ?? {}) as {
    transposeA: boolean;
    transposeB: boolean;
  };
  if (a.dtype !== "float32" || b.dtype !== "float32") {
    throw new UnsupportedKernelAttrError(
      `BatchMatMul on wasm supports float32 only (got ${a.dtype}, ${b.dtype}); cast first.`,
    );
  }
  const ra = a.shape.length, rb = b.shape.length;
  const outerA = a.shape.slice(0, -2), outerB = b.shape.slice(0, -2);
  const batchA = tf.util.sizeFromShape(outerA), batchB = tf.util.sizeFromShape(outerB);
  const [a0, a1] = [a.shape[ra - 2], a.shape[ra - 1]];
  const [b0, b1] = [b.shape[rb - 2], b.shape[rb - 1]];
  const m = transposeA ? a1 : a0, kA = transposeA ? a0 : a1;
  const kB = transposeB ? b1 : b0, n = transposeB ? b0 : b1;
  if (kA !== kB) {
    throw new UnsupportedKernelAttrError(
      `matMul inner dimensions differ: a ${a.shape} (transposeA=${transposeA}) and b ` +
        `${b.shape} (transposeB=${transposeB}); fix the operand shapes.`,
    );
  }
  if (batchA > 1 && batchB > 1 && batchA !== batchB) {
    throw new UnsupportedKernelAttrError(
      `matMul batch dimensions ${outerA} and ${outerB} cannot be broadcast; ` +
        `give both the same batch shape, or batch 1 on one side.`,
    );
  }
  const outShape = [
    ...tf.backend_util.assertAndGetBroadcastShape(outerA, outerB),
    m,
    n,
  ];
  const stockFast = !transposeA && !transposeB && batchA === 1 && batchB === 1;
  if (stockFast) {
    return withScope(args.backend, (s) => {
      const out = s.runStock("BatchMatMul", { a, b }, { transposeA, transposeB });
      return s.reshape(out, outShape);
    });
  }
  return withScope(args.backend, (s) => {
    if (batchB === 1 && (!transposeA || batchA === 1)) {
      // Broadcast b: stack every batch of a into the rows of one matmul.
      // a [batchA * m, k] (when untransposed), b [k, n] -> [batchA * m, n]
      const a2 = s.reshape(a, [batchA * a0, a1]);
      const b2 = s.reshape(b, [b0, b1]);
      return s.reshape(matMul2dT(s, a2, b2, transposeA, transposeB), outShape);
    }
    // General batched case: one fast 2-D matmul per batch, then concatenated.
    const batch = Math.max(batchA, batchB);
    const a3 = s.reshape(a, [batchA, a0, a1]);
    const b3 = s.reshape(b, [batchB, b0, b1]);
    const parts: tf.TensorInfo[] = [];
    for (let i = 0; i < batch; i++) {
      const ai = s.runStock("Slice", { x: a3 }, {
        begin: [batchA === 1 ? 0 : i, 0, 0],
        size: [1, a0, a1],
      });
      const bi = s.runStock("Slice", { x: b3 }, {
        begin: [batchB === 1 ? 0 : i, 0, 0],
        size: [1, b0, b1],
      });
      const prod = matMul2dT(
        s,
        s.reshape(ai, [a0, a1]),
        s.reshape(bi, [b0, b1]),
        transposeA,
        transposeB,
      );
      parts.push(s.reshape(prod, [1, m, n]));
    }
    const out = parts.length === 1
      ? parts[0]
      : s.runStock("Concat", parts as unknown as tf.NamedTensorInfoMap, { axis: 0 });
    return s.reshape(out, outShape);
  });
}

/** Config of the fast `BatchMatMul` (register with the stock config's setupFunc). */
export function batchMatMulConfig(): tf.KernelConfig {
  return {
    kernelName: tf.BatchMatMul,
    backendName: "wasm",
    kernelFunc: batchMatMul as unknown as tf.KernelFunc,
  };
}
