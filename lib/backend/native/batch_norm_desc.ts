/**
 * oneDNN batch-normalisation descriptors shared by the inference (`FusedBatchNorm`) and training
 * (`ArcfaceBatchNormTrain`) kernels. TF.js normalises over every axis but the last, so x
 * [..., c] is described as [rows, c, 1, 1] channels-last (same bytes, no copy); per-channel
 * tensors (mean, variance, scale, shift) are 1-D [c].
 *
 * @module
 */
import { DESC_BYTES, DNNL, type Dnnl } from "./dnnl_library.ts";

/** [rows, c] of x [..., c]. */
export function rowsAndChannels(shape: readonly number[]): [number, number] {
  const c = shape[shape.length - 1];
  const size = shape.reduce((a, b) => a * b, 1);
  return [c === 0 ? 0 : size / c, c];
}

/** A forward batch-norm op descriptor on [rows, c] with `flags` (DNNL.bnFlags). */
export function batchNormForwardDesc(
  dnnl: Dnnl,
  dims: { rows: number; c: number; eps: number },
  options: { prop: number; flags: number },
): { op: Uint8Array; data: Uint8Array; stat: Uint8Array } {
  // [rows, c, 1, 1] in nhwc: the same bytes as [rows, c], but oneDNN 2.6 runs its JIT
  // channels-last batch norm (bnorm_jit:avx2) on it; a 2-D `nc` tensor gets the generic C++
  // ncsp_bnorm, which made the batch norms 2/3 of a MobileFaceNet training step.
  const data = dnnl.memoryDesc([dims.rows, dims.c, 1, 1], DNNL.tag.nhwc);
  const stat = dnnl.memoryDesc([dims.c], DNNL.tag.a);
  const op = new Uint8Array(DESC_BYTES);
  dnnl.check(
    dnnl.symbols.dnnl_batch_normalization_forward_desc_init(
      op,
      options.prop,
      data,
      dims.eps,
      options.flags,
    ),
    `describing a batch norm [${dims.rows}, ${dims.c}]`,
  );
  return { op, data, stat };
}
