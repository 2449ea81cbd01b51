/**
 * Routes tfjs-layers' `BatchNormalization` in training mode to the one-op
 * {@linkcode batchNormTrain} when the active backend has its kernel (wasm, native). `BatchNormalization.prototype.call`
 * is wrapped in place (the class is found in the serialization registry, so importing this
 * module needs no tfjs-layers import and creates no layer); inference, other backends, other
 * axes and layers without scale or center run the stock `call`. The moving statistics are
 * updated exactly as the stock layer does: `moving -= (moving - batchStat) * (1 - momentum)`,
 * with the biased batch variance.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { batchNormTrain, canBatchNormTrain } from "./batch_norm_train.ts";

/** The parts of tfjs-layers' `LayerVariable` used here. */
interface LayerVariableLike {
  read(): tf.Tensor;
  write(value: tf.Tensor): void;
}

/** The parts of a tfjs-layers `BatchNormalization` instance used here. */
interface BatchNormLayerLike {
  axis: number;
  momentum: number;
  epsilon: number;
  gamma?: LayerVariableLike;
  beta?: LayerVariableLike;
  movingMean: LayerVariableLike;
  movingVariance: LayerVariableLike;
}

type CallFn = (
  this: BatchNormLayerLike,
  inputs: unknown,
  kwargs: Record<string, unknown>,
) => tf.Tensor | tf.Tensor[];

/** Marks our wrapper and remembers the stock `call`. */
interface WrappedCall extends CallFn {
  stock?: CallFn;
}

function batchNormPrototype(): { call: CallFn } | null {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap["BatchNormalization"];
  const cls = entry?.[0] as unknown as { prototype: { call: CallFn } } | undefined;
  return cls?.prototype ?? null;
}

function singleTensor(inputs: unknown): tf.Tensor | null {
  if (inputs instanceof tf.Tensor) return inputs;
  if (Array.isArray(inputs) && inputs.length === 1 && inputs[0] instanceof tf.Tensor) {
    return inputs[0];
  }
  return null;
}

function movingAverage(variable: LayerVariableLike, value: tf.Tensor, momentum: number): void {
  tf.tidy(() => {
    const decay = 1 - momentum;
    const orig = variable.read();
    variable.write(tf.sub(orig, tf.mul(tf.sub(orig, value), decay)));
  });
}

function wrapCall(stock: CallFn): WrappedCall {
  const call: WrappedCall = function (this: BatchNormLayerLike, inputs, kwargs) {
    const training = kwargs?.["training"] ?? false;
    const x = singleTensor(inputs);
    if (!training || x == null || this.gamma == null || this.beta == null) {
      return stock.call(this, inputs, kwargs);
    }
    const axis = this.axis >= 0 ? this.axis : this.axis + x.rank;
    const gamma = this.gamma.read(), beta = this.beta.read();
    if (axis !== x.rank - 1 || !canBatchNormTrain(x, gamma, beta)) {
      return stock.call(this, inputs, kwargs);
    }
    return tf.tidy(() => {
      const [y, mean, variance] = batchNormTrain(x, gamma, beta, this.epsilon);
      movingAverage(this.movingMean, mean, this.momentum);
      movingAverage(this.movingVariance, variance, this.momentum);
      return y;
    });
  };
  call.stock = stock;
  return call;
}

/**
 * Wraps `BatchNormalization.prototype.call` (idempotent). Returns false when tfjs-layers is
 * not loaded (no `BatchNormalization` class registered), true otherwise.
 */
export function installBatchNormLayer(): boolean {
  const proto = batchNormPrototype();
  if (!proto) return false;
  if ((proto.call as WrappedCall).stock) return true;
  proto.call = wrapCall(proto.call);
  return true;
}

/** Restores the stock `BatchNormalization.prototype.call` (tests and benchmarks). */
export function uninstallBatchNormLayer(): void {
  const proto = batchNormPrototype();
  const stock = (proto?.call as WrappedCall | undefined)?.stock;
  if (proto && stock) proto.call = stock;
}
