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
import {
  assignArrays,
  indexedVariables,
  modelWeightArrays,
  type NamedArray,
  optimizerSlotArrays,
  setModelWeights,
  setOptimizerSlots,
  tensorsToArrays,
} from "./checkpoint/mod.ts";
import { FusedMomentumOptimizer } from "./fused_momentum.ts";

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
  /**
   * Examples whose largest cosine (no margin) is their label; null for a head without
   * `cosine()` (NormHead).
   */
  cosineCorrect: number | null;
  /** Sum over the examples of the angle theta_y (radians) to their class centre; null likewise. */
  targetAngleSum: number | null;
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

/**
 * The variables a step updates, in flat-gradient order: the model's trainable weights (in
 * `model.trainableWeights` order), then the head's.
 */
export function trainableVariables(net: { model: tfl.LayersModel; head: Head }): tf.Variable[] {
  // LayerVariable.read() is the underlying tf.Variable (as tfjs-layers' own fit() does).
  const modelVars = net.model.trainableWeights.map((w) => w.read() as tf.Variable);
  return [...modelVars, ...net.head.trainableVariables];
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
    this.optimizer = new FusedMomentumOptimizer(0.01, spec.momentum, spec.nesterov);
    this.variables = trainableVariables(this);
    this.size = this.variables.reduce((s, v) => s + v.size, 0);
  }

  /**
   * Gradients of `micro` (this replica's share), each micro-batch weighted by its size over
   * `batchSize` (the whole batch across replicas), so that the sum over replicas equals the
   * gradient of the whole batch's mean loss on a network without BatchNorm. `options.into`, an
   * array of this replica's {@linkcode size}, receives them instead of a fresh array (every
   * element is written): a fresh 168 MB array (ResNet50) measured ~100 ms to fill here against
   * ~20 ms for a reused one, its first writes faulting pages in.
   */
  async gradients(
    micro: readonly MicroBatch[],
    batchSize: number,
    options: { into?: Float32Array } = {},
  ): Promise<GradientResult> {
    const s = this.#spec.inputSize;
    let acc: tf.Tensor[] | undefined;
    let loss = tf.scalar(0), ce = tf.scalar(0), correct = tf.scalar(0);
    // What ArcFace moves, without the margin: plain-cosine hits and the target angle.
    const angular = typeof this.head.cosine === "function";
    let cosHits = tf.scalar(0), angleSum = tf.scalar(0);
    let examples = 0;
    for (const mb of micro) {
      const n = mb.labels.length;
      examples += n;
      const w = n / batchSize;
      // variableGrads() disposes everything f() made but its value: keep() the side outputs.
      let ceMean: tf.Scalar | undefined, hits: tf.Scalar | undefined;
      let cHits: tf.Scalar | undefined, angles: tf.Scalar | undefined;
      const step = tf.tidy(() => {
        const images = tf.tensor4d(mb.images, [n, s, s, 3]); // [n, S, S, 3]
        const labels = tf.tensor1d(mb.labels, "int32"); // [n]
        const { value, grads } = tf.variableGrads(() => {
          const emb = this.model.apply(images, { training: true }) as tf.Tensor2D; // [n, embd]
          const logits = this.head.logits(emb, labels); // [n, classes]
          const ceM = softmaxCrossEntropy(logits, labels);
          ceMean = tf.keep(ceM.clone());
          hits = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), "float32")));
          if (angular) {
            // Not on the loss's path: the tape prunes it from the backward pass.
            const cos = this.head.cosine!(emb); // [n, classes]
            cHits = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(cos, 1), labels), "float32")));
            const cosY = tf.sum(tf.mul(cos, tf.oneHot(labels, cos.shape[1])), 1); // [n]
            angles = tf.keep(tf.sum(tf.acos(cosY)));
          }
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
          cosHits: cHits ? tf.add(cosHits, cHits) : tf.clone(cosHits),
          angleSum: angles ? tf.add(angleSum, angles) : tf.clone(angleSum),
        };
      });
      tf.dispose([ceMean!, hits!, ...(cHits ? [cHits] : []), ...(angles ? [angles] : [])]);
      tf.dispose([...(acc ?? []), loss, ce, correct, cosHits, angleSum]);
      acc = step.sum;
      loss = step.loss as tf.Scalar;
      ce = step.ce as tf.Scalar;
      correct = step.correct as tf.Scalar;
      cosHits = step.cosHits as tf.Scalar;
      angleSum = step.angleSum as tf.Scalar;
    }
    const grads = options.into?.length === this.size ? options.into : new Float32Array(this.size);
    let off = 0;
    for (const g of acc ?? []) {
      grads.set(await g.data() as Float32Array, off);
      off += g.size;
    }
    // Read with the loss, which the NaN guard needs every step anyway: no extra device sync.
    const [l, c, k, ch, as] = await Promise.all(
      [loss, ce, correct, cosHits, angleSum].map((t) => t.data()),
    );
    tf.dispose([...(acc ?? []), loss, ce, correct, cosHits, angleSum]);
    return {
      grads,
      loss: l[0],
      crossEntropy: c[0],
      correct: k[0],
      cosineCorrect: angular ? ch[0] : null,
      targetAngleSum: angular ? as[0] : null,
      examples,
    };
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
        // A view, not a copy: backends that keep the array (cpu, native) only read it, and
        // `grads` outlives these tensors (disposed at the end of this tidy).
        let g: tf.Tensor = tf.tensor(grads.subarray(off, off + v.size), v.shape, "float32");
        off += v.size;
        if (decay > 0) g = tf.add(g, tf.mul(v, decay));
        return { name: v.name, tensor: g };
      });
      this.optimizer.applyGradients(named);
    });
  }

  /** A copy of every weight and optimiser slot, for a checkpoint. */
  async state(): Promise<ReplicaState> {
    return {
      model: await modelWeightArrays(this.model),
      head: await tensorsToArrays(
        indexedVariables(this.head.trainableVariables, "head").map((v) => ({
          name: v.name,
          tensor: v.variable,
        })),
      ),
      optimizer: await optimizerSlotArrays(this.optimizer),
    };
  }

  /**
   * Restores a state from {@linkcode state}; `groups` may omit `optimizer` (fresh momentum).
   * Names and shapes must match one-to-one (a checkpoint from another config throws a
   * CheckpointError naming the weight).
   */
  async load(groups: Partial<ReplicaState>): Promise<void> {
    if (groups.model) setModelWeights(this.model, groups.model);
    if (groups.head) {
      assignArrays(indexedVariables(this.head.trainableVariables, "head"), groups.head, {
        what: "head weight",
      });
    }
    if (groups.optimizer) {
      await setOptimizerSlots(this.optimizer, groups.optimizer, { variables: this.variables });
    }
  }

  /** Releases every tensor of the replica. */
  dispose(): void {
    // tfjs-core 4.x: MomentumOptimizer.dispose() forgets its parent SGDOptimizer's learning-rate
    // scalar `c` (one tensor per replica); free it too.
    const c = (this.optimizer as unknown as { c?: tf.Tensor }).c;
    this.optimizer.dispose();
    if (c && !c.isDisposed) c.dispose();
    this.head.dispose();
    this.model.dispose();
  }
}
