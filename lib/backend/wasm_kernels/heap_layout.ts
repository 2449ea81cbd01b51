/**
 * Layout moves done directly on the wasm heap with memcpy-speed `TypedArray.set` copies:
 * strided windows with implicit zero padding, and zero-insertion (dilation) with padding.
 * They replace chains of Pad/StridedSlice/Reshape kernels (the stock wasm `Slice` copies its
 * whole input to JS first).
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";
import { heapView, type KernelScope } from "./kernel_util.ts";

/**
 * Window of an NHWC tensor: `out[b, i, j, :] = x[b, top + i*strideH, left + j*strideW, :]`,
 * zero where that row/column falls outside `x` (implicit padding; `top`/`left` may be < 0).
 * `x` [batch, h, w, c] -> [batch, outH, outW, c].
 */
export function copyWindow(
  s: KernelScope,
  x: tf.TensorInfo,
  top: number,
  left: number,
  outH: number,
  outW: number,
  strideH: number,
  strideW: number,
): tf.TensorInfo {
  const [batch, h, w, c] = x.shape;
  const out = s.alloc([batch, outH, outW, c]);
  const src = heapView(s.backend, x);
  const dst = heapView(s.backend, out);
  // Valid output columns: 0 <= left + j*strideW < w.
  const j0 = Math.max(0, Math.ceil(-left / strideW));
  const j1 = Math.min(outW, Math.floor((w - 1 - left) / strideW) + 1); // exclusive
  const rowLen = outW * c;
  const partial = j0 > 0 || j1 < outW;
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < outH; i++) {
      const r = top + i * strideH;
      const dRow = (b * outH + i) * rowLen;
      if (r < 0 || r >= h || j1 <= j0) {
        dst.fill(0, dRow, dRow + rowLen);
        continue;
      }
      if (partial) {
        dst.fill(0, dRow, dRow + j0 * c);
        dst.fill(0, dRow + j1 * c, dRow + rowLen);
      }
      const sRow = ((b * h + r) * w + left) * c;
      if (strideW === 1) {
        dst.set(src.subarray(sRow + j0 * c, sRow + j1 * c), dRow + j0 * c);
      } else {
        for (let j = j0; j < j1; j++) {
          const so = sRow + j * strideW * c;
          dst.set(src.subarray(so, so + c), dRow + j * c);
        }
      }
    }
  }
  return out;
}

/**
 * Zero-inserts (dilates by the stride) and pads an NHWC tensor:
 * `out[b, padTop + i*strideH, padLeft + j*strideW, :] = x[b, i, j, :]`, zero elsewhere.
 * Pads may be negative (those rows/columns are cropped).
 * `x` [batch, h, w, c] -> [batch, outH, outW, c].
 */
export function dilateAndPad(
  s: KernelScope,
  x: tf.TensorInfo,
  strideH: number,
  strideW: number,
  padTop: number,
  padLeft: number,
  outH: number,
  outW: number,
): tf.TensorInfo {
  const [batch, h, w, c] = x.shape;
  const out = s.alloc([batch, outH, outW, c]);
  const src = heapView(s.backend, x);
  const dst = heapView(s.backend, out);
  dst.fill(0);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < h; i++) {
      const r = padTop + i * strideH;
      if (r < 0 || r >= outH) continue;
      const dRow = (b * outH + r) * outW * c;
      const sRow = (b * h + i) * w * c;
      if (strideW === 1) {
        const jLo = Math.max(0, -padLeft), jHi = Math.min(w, outW - padLeft);
        if (jHi > jLo) {
          dst.set(src.subarray(sRow + jLo * c, sRow + jHi * c), dRow + (padLeft + jLo) * c);
        }
        continue;
      }
      for (let j = 0; j < w; j++) {
        const col = padLeft + j * strideW;
        if (col < 0 || col >= outW) continue;
        const so = sRow + j * c;
        dst.set(src.subarray(so, so + c), dRow + col * c);
      }
    }
  }
  return out;
}
