/**
 * A training replica: one embedding model + head + SGD optimiser on the current backend.
 * The trainer runs one in-process (one core) or one per Worker (data parallelism: each computes
 * gradients on its share of the batch, the trainer sums them, every replica applies the same
 * update, so all replicas keep identical weights).
 *
 * Gradients travel as one flat float32 array: the trainable variables of the model (in
 * `model.trainableWeights` order), then the head's, concatenated.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type * as tfl from "@tensorflow/tfjs-layers";
import { buildEmbeddingModel } from "../models/mod.ts";
import { buildHead, type Head, softmaxCrossEntropy } from "../heads/mod.ts";
import type { NamedArray } from "./checkpoint/mod.ts";

/** What a replica is built from (plain JSON, so it can be posted to a Worker). */
export interface ReplicaSpec {
  /** Backbone name (`backbone_type`). */
  backbone: string;
  /** Input side (`input_size`). */
  inputSize: number;
  /** Embedding size (`embd_shape`). */
  embdShape: number;
  /** Backbone width multiplier. */
  width: number;
  /** Output-layer dropout. */
  dropout: number;
  /** L2 factor the model declares on its embedding Dense kernel (arcface-tf2's `w_decay`). */
  modelWDecay: number;
  /** Head name (`head_type`). */
  head: string;
  /** Classes. */
  numClasses: number;
  /** ArcHead margin m and scale s. */
  margin: number;
  /** ArcHead logit scale s. */
  scale: number;
  /** Seed of the weight initialisation (every replica uses the same: identical start). */
  seed: number;
  /** SGD momentum. */
  momentum: number;
  /** Nesterov momentum. */
  nesterov: boolean;
  /** Decoupled decay added to every gradient as `decayAll * w` (0: off; scope "all"). */
  decayAll: number;
}

/** A micro-batch: [n, S, S, 3] RGB in [0, 1] and [n] labels. */
export interface MicroBatch {
  /** Pixels, [n * S * S * 3]. */
  images: Float32Array;
  /** Labels, [n]. */
  labels: Int32Array;
}

/** Gradients of one replica's share of a batch, already weighted by share / batch. */
export interface GradientResult {
  /** Flat gradients [sum of trainable sizes]: sum over micro-batches of (n_i / N) * grad_i. */
  grads: Float32Array;
  /** Sum of (n_i / N) * (mean cross-entropy_i + regulariser). */
  loss: number;
  /** Sum of (n_i / N) * mean cross-entropy_i. */
  crossEntropy: number;
  /** Examples whose largest logit is their label (margins included). */
  correct: number;
  /** Examples seen. */
  examples: number;
}

/** The arrays of a replica's state, by checkpoint group. */
export interface ReplicaState {
  /** Every model weight (trainable and BN statistics), in `model.weights` order. */
  model: NamedArray[];
  /** The head's variables. */
  head: NamedArray[];
  /** Optimiser slots (the `iter` counter, then one momentum slot per trainable variable). */
  optimizer: NamedArray[];
}

/** Options of the {@linkcode Replica} constructor. */
export interface ReplicaOptions {
  /** Builds the embedding network instead of `buildEmbeddingModel` ([n, S, S, 3] -> [n, embd]). */
  buildModel?: (spec: ReplicaSpec) => tfl.LayersModel;
}

/** One replica, in this thread. Create it after the backend is set up. */
export class Replica {
  /** The embedding network. */
  readonly model: tfl.LayersModel;
  /** The head (class centres). */
  readonly head: Head;
  /** SGD with (Nesterov) momentum. */
  readonly optimizer: tf.MomentumOptimizer;
  /** Trainable variables, in gradient order. */
  readonly variables: tf.Variable[];
  /** Total trainable parameter count (length of a flat gradient). */
  readonly size: number;
  readonly #spec: ReplicaSpec;

  /**
   * Builds the networks and optimiser of `spec`; `options.buildModel` replaces the embedding
   * network (tests use a BatchNorm-free one).
   */
  constructor(spec: ReplicaSpec, options: ReplicaOptions = {}) {
    this.#spec = spec;
    this.model = options.buildModel ? options.buildModel(spec) : buildEmbeddingModel({
      backbone: spec.backbone,
      inputSize: spec.inputSize,
      embdShape: spec.embdShape,
      width: spec.width,
      dropout: spec.dropout,
      wDecay: spec.modelWDecay,
      seed: spec.seed,
    });
    this.head = buildHead(spec.head, {
      embdShape: spec.embdShape,
      numClasses: spec.numClasses,
      margin: spec.margin,
      scale: spec.scale,
      seed: spec.seed + 1000,
    });
    this.optimizer = tf.train.momentum(0.01, spec.momentum, spec.nesterov);
    this.variables = [
      ...this.model.trainableWeights.map((w) => w.read() as tf.Variable),
      ...this.head.trainableVariables,
    ];
    this.size = this.variables.reduce((s, v) => s + v.size, 0);
  }

  /**
   * Gradients of `micro` (this replica's share), each micro-batch weighted by its size over
   * `batchSize` (the whole batch across replicas), so that the sum over replicas equals the
   * gradient of the whole batch's mean loss on a network without BatchNorm.
   */
  async gradients(micro: readonly MicroBatch[], batchSize: number): Promise<GradientResult> {
    const s = this.#spec.inputSize;
    let acc: tf.Tensor[] | undefined;
    let loss = tf.scalar(0), ce = tf.scalar(0), correct = tf.scalar(0);
    let examples = 0;
    for (const mb of micro) {
      const n = mb.labels.length;
      examples += n;
      const w = n / batchSize;
      // variableGrads() disposes everything f() made but its value: keep() the side outputs.
      let ceMean: tf.Scalar | undefined, hits: tf.Scalar | undefined;
      const step = tf.tidy(() => {
        const images = tf.tensor4d(mb.images, [n, s, s, 3]); // [n, S, S, 3]
        const labels = tf.tensor1d(mb.labels, "int32"); // [n]
        const { value, grads } = tf.variableGrads(() => {
          const emb = this.model.apply(images, { training: true }) as tf.Tensor2D; // [n, embd]
          const logits = this.head.logits(emb, labels); // [n, classes]
          const ceM = softmaxCrossEntropy(logits, labels);
          ceMean = tf.keep(ceM.clone());
          hits = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), "float32")));
          const reg = this.model.calculateLosses(); // [] or the Dense L2 term
          const total = reg.length > 0 ? tf.addN([ceM, ...reg]) as tf.Scalar : ceM;
          return tf.mul(total, w) as tf.Scalar;
        }, this.variables);
        const g = this.variables.map((v) => grads[v.name]);
        const sum = acc ? g.map((x, j) => tf.add(acc![j], x)) : g;
        return {
          sum,
          loss: tf.add(loss, value),
          ce: tf.add(ce, tf.mul(ceMean!, w)),
          correct: tf.add(correct, hits!),
        };
      });
      tf.dispose([ceMean!, hits!]);
      tf.dispose([...(acc ?? []), loss, ce, correct]);
      acc = step.sum;
      loss = step.loss as tf.Scalar;
      ce = step.ce as tf.Scalar;
      correct = step.correct as tf.Scalar;
    }
    const grads = new Float32Array(this.size);
    let off = 0;
    for (const g of acc ?? []) {
      grads.set(await g.data() as Float32Array, off);
      off += g.size;
    }
    const [l, c, k] = await Promise.all([loss.data(), ce.data(), correct.data()]);
    tf.dispose([...(acc ?? []), loss, ce, correct]);
    return { grads, loss: l[0], crossEntropy: c[0], correct: k[0], examples };
  }

  /** One optimiser update with the (summed, checked, clipped) flat gradients at rate `lr`. */
  apply(grads: Float32Array, lr: number): void {
    if (grads.length !== this.size) {
      throw new RangeError(`gradient has ${grads.length} values, the replica ${this.size}`);
    }
    this.optimizer.setLearningRate(lr);
    const decay = this.#spec.decayAll;
    tf.tidy(() => {
      let off = 0;
      const named = this.variables.map((v) => {
        let g: tf.Tensor = tf.tensor(grads.slice(off, off + v.size), v.shape, "float32");
        off += v.size;
        if (decay > 0) g = tf.add(g, tf.mul(v, decay));
        return { name: v.name, tensor: g };
      });
      this.optimizer.applyGradients(named);
    });
  }

  /** A copy of every weight and optimiser slot, for a checkpoint. */
  async state(): Promise<ReplicaState> {
    const arrays = async (items: { name: string; t: tf.Tensor }[]) =>
      await Promise.all(items.map(async ({ name, t }) => ({
        name,
        shape: t.shape.slice(),
        values: new Float32Array(await t.data() as Float32Array),
      })));
    const slots = await this.optimizer.getWeights();
    const out = {
      model: await arrays(this.model.weights.map((w) => ({ name: w.originalName, t: w.read() }))),
      head: await arrays(this.head.trainableVariables.map((v, i) => ({ name: `head/${i}`, t: v }))),
      optimizer: await arrays(
        slots.map((s, i) => ({ name: i === 0 ? "iter" : `slot/${i - 1}`, t: s.tensor })),
      ),
    };
    slots[0].tensor.dispose(); // a fresh scalar; the others are the live momentum variables
    return out;
  }

  /**
   * Restores a state from {@linkcode state}; `groups` may omit `optimizer` (fresh momentum).
   * Shapes must match one-to-one (a checkpoint from another config throws, naming the weight).
   */
  async load(groups: Partial<ReplicaState>): Promise<void> {
    if (groups.model) {
      checkArrays("model weight", groups.model, this.model.weights.map((w) => w.shape as number[]));
      this.model.weights.forEach((w, i) => {
        const a = groups.model![i];
        tf.tidy(() => (w.read() as tf.Variable).assign(tf.tensor(a.values, a.shape, "float32")));
      });
    }
    if (groups.head) {
      checkArrays("head weight", groups.head, this.head.trainableVariables.map((v) => v.shape));
      this.head.trainableVariables.forEach((v, i) => {
        const a = groups.head![i];
        tf.tidy(() => v.assign(tf.tensor(a.values, a.shape, "float32")));
      });
    }
    if (groups.optimizer) {
      const slots = groups.optimizer;
      checkArrays("optimizer slot", slots.slice(1), this.variables.map((v) => v.shape));
      // setWeights() takes the iteration count first, then one accumulator per variable in
      // applyGradients order; it creates the accumulators of a fresh optimiser.
      const named = slots.map((a, i) => ({
        name: i === 0 ? "iter" : `${this.variables[i - 1].name}/momentum`,
        tensor: tf.tensor(a.values, a.shape, i === 0 ? "int32" : "float32"),
      }));
      // setWeights() makes variables from copies and drops the old slots without disposing them.
      const old = await this.optimizer.getWeights();
      await this.optimizer.setWeights(named);
      tf.dispose(named.map((x) => x.tensor));
      tf.dispose(old.slice(1).map((x) => x.tensor));
      tf.dispose(old[0].tensor);
    }
  }

  /** Releases every tensor of the replica. */
  dispose(): void {
    this.optimizer.dispose();
    this.head.dispose();
    this.model.dispose();
  }
}

/** Raised when a checkpoint's arrays do not fit the replica's variables. */
export class StateMismatchError extends Error {
  override name = "StateMismatchError";
}

function checkArrays(what: string, arrays: readonly NamedArray[], shapes: number[][]): void {
  if (arrays.length !== shapes.length) {
    throw new StateMismatchError(
      `the checkpoint has ${arrays.length} ${what}s, this model ${shapes.length}: the checkpoint ` +
        `is from another config (backbone, width or head); start a new run (another sub_name)`,
    );
  }
  arrays.forEach((a, i) => {
    if (a.shape.join(",") !== shapes[i].join(",")) {
      throw new StateMismatchError(
        `${what} ${i} '${a.name}' has shape [${a.shape}] in the checkpoint but [${shapes[i]}] in ` +
          `this model: the checkpoint is from another config; start a new run (another sub_name)`,
      );
    }
  });
}
