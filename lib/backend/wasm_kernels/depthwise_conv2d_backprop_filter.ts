/**
 * `DepthwiseConv2dNativeBackpropFilter` for wasm (missing upstream, tfjs#8474).
 *
 * dW[kh, kw, c, q] = sum over (b, oh, ow) of x[b, oh*s + kh - padTop, ow*s + kw - padLeft, c]
 * * dy[b, oh, ow, c*m + q]. A depthwise filter gradient is memory-bound (a few MACs per
 * loaded element), so one pass over the heap in JS with float64 accumulators beats any
 * composition of wasm kernels (each of which would make its own pass per tap).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { convInfoNHWC } from "./conv2d_backprop_filter.ts";
import { heapView, KernelScope } from "./kernel_util.ts";

function depthwiseConv2dBackpropFilter(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs ?? {};
  const filterShape = attrs.filterShape as number[];
  const info = convInfoNHWC(
    "DepthwiseConv2dNativeBackpropFilter",
    x.shape,
    filterShape,
    attrs,
    true,
  );
  const [kh, kw, c, m] = filterShape;
  const { batchSize, inHeight: h, inWidth: w, outHeight: oh, outWidth: ow } = info;
  const { strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const cm = c * m;
  const acc = new Float64Array(kh * kw * cm); // [kh, kw, c, m]
  const s = new KernelScope(args.backend);
  const out = s.alloc(filterShape);
  const xs = heapView(s.backend, x); // [b, h, w, c]
  const dys = heapView(s.backend, dy); // [b, oh, ow, c*m]
  for (let b = 0; b < batchSize; b++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        const dOff = ((b * oh + i) * ow + j) * cm;
        for (let p = 0; p < kh; p++) {
          const r = i * sh + p - top;
          if (r < 0 || r >= h) continue;
          for (let q = 0; q < kw; q++) {
            const col = j * sw + q - left;
            if (col < 0 || col >= w) continue;
            const xOff = ((b * h + r) * w + col) * c;
            const aOff = (p * kw + q) * cm;
            if (m === 1) {
              for (let k = 0; k < c; k++) acc[aOff + k] += xs[xOff + k] * dys[dOff + k];
            } else {
              for (let k = 0; k < c; k++) {
                const xv = xs[xOff + k];
                for (let t = 0; t < m; t++) {
                  acc[aOff + k * m + t] += xv * dys[dOff + k * m + t];
                }
              }
            }
          }
        }
      }
    }
  }
  heapView(s.backend, out).set(acc);
  return s.keep(out);
}

/** Config of the wasm `DepthwiseConv2dNativeBackpropFilter` kernel. */
export function depthwiseConv2dBackpropFilterConfig(): tf.KernelConfig {
  return {
    kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
    backendName: "wasm",
    kernelFunc: depthwiseConv2dBackpropFilter as unknown as tf.KernelFunc,
  };
}
