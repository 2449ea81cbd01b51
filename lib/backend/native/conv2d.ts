/**
 * `Conv2D` on oneDNN: x [N, H, W, Cin] (nhwc) * filter [kh, kw, Cin, Cout] (hwio)
 * -> y [N, OH, OW, Cout] (nhwc), forward_training propagation (same numerics as inference;
 * training keeps the primitive shared with the backward passes' hint). NCHW input falls back
 * to the cpu kernel.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { DESC_BYTES, DNNL } from "./dnnl_library.ts";
import { dnnlConvGeometry } from "./conv_geometry.ts";
import { type NativeBackend, runCpuKernel } from "./native_backend.ts";

function conv2d(
  args: { inputs: tf.Conv2DInputs; backend: NativeBackend; attrs: tf.Conv2DAttrs },
): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as tf.TensorInfo, filter = inputs.filter as tf.TensorInfo;
  const format = tf.backend_util.convertConv2DDataFormat(attrs.dataFormat);
  if (format !== "channelsLast" || x.dtype !== "float32" || filter.dtype !== "float32") {
    return runCpuKernel(tf.Conv2D, args as never) as tf.TensorInfo;
  }
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    format,
  );
  const g = dnnlConvGeometry(info);
  const dnnl = backend.dnnl;
  const weights = [info.outChannels, info.inChannels, info.filterHeight, info.filterWidth];
  const prim = dnnl.primitive(`conv2d_fwd|${g.key}`, () => {
    const src = dnnl.memoryDesc(g.src, DNNL.tag.nhwc);
    const wei = dnnl.memoryDesc(weights, DNNL.tag.hwio);
    const dst = dnnl.memoryDesc(g.dst, DNNL.tag.nhwc);
    const op = new Uint8Array(DESC_BYTES);
    dnnl.check(
      dnnl.symbols.dnnl_dilated_convolution_forward_desc_init(
        op,
        DNNL.prop.forwardTraining,
        DNNL.alg.convolutionDirect,
        src,
        wei,
        null,
        dst,
        g.strides,
        g.dilates,
        g.padL,
        g.padR,
      ),
      "describing a convolution",
    );
    return { op, args: [[DNNL.arg.src, src], [DNNL.arg.weights, wei], [DNNL.arg.dst, dst]] };
  });
  const out = backend.output(info.outShape);
  dnnl.execute(prim, [
    [DNNL.arg.src, backend.f32(x)],
    [DNNL.arg.weights, backend.f32(filter)],
    [DNNL.arg.dst, out.values],
  ]);
  return out.info;
}

/** Kernel config of `Conv2D` on the native backend. */
export function conv2dConfig(): tf.KernelConfig {
  return {
    kernelName: tf.Conv2D,
    backendName: "native",
    kernelFunc: conv2d as unknown as tf.KernelFunc,
  };
}
