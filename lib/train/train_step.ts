/**
 * One training step, the only one: the training loop (train_run.ts) and the benchmarks
 * (lib/bench) both call {@linkcode trainStep}, so the bench measures the code training runs.
 *
 * A step splits the batch into micro-batches, hands each replica a contiguous share, lets
 * every replica compute its weighted gradients at once (Replica.gradients: forward, backward,
 * micro-batch accumulation), sums them, measures and optionally clips the global norm, and,
 * only when the loss and the norm are finite (the NaN/Inf guard), has every replica apply the
 * same SGD (Nesterov) momentum update (Replica.apply, with the "all" weight-decay scope).
 *
 * @module
 */
import { addInto, clipByGlobalNorm, globalNorm } from "./grad_math.ts";
import type { MicroBatch } from "./replica.ts";
import type { ReplicaHandle } from "./replica_pool.ts";

/** A whole batch as the input pipeline delivers it. */
export interface StepBatch {
  /** Pixels, [n * S * S * 3] RGB in [0, 1]. */
  images: Float32Array;
  /** Labels, [n]. */
  labels: Int32Array;
}

/** Options of {@linkcode trainStep}. */
export interface TrainStepOptions {
  /** Learning rate of this step's update. */
  lr: number;
  /** Images per micro-batch (gradient accumulation; `microBatchSize(config)` in training). */
  microBatch: number;
  /** Clip the summed gradient to this global L2 norm; null: no clipping. */
  gradClipNorm: number | null;
}

/** What one step did. */
export interface StepOutcome {
  /** Mean loss of the batch (cross-entropy + the model's regulariser). */
  loss: number;
  /** Mean softmax cross-entropy of the batch. */
  crossEntropy: number;
  /** Fraction of the batch whose largest logit is its label (margins included). */
  accuracy: number;
  /**
   * Fraction of the batch whose largest cosine (no margin) is its label: what the margin hides
   * early on; null for a head without `cosine()` (NormHead).
   */
  cosineAccuracy: number | null;
  /**
   * Mean angle theta_y between each embedding and its class centre, in degrees (what ArcFace's
   * margin pushes down); null likewise.
   */
  targetAngle: number | null;
  /** Global L2 norm of the summed gradient before clipping (NaN/Infinity when not finite). */
  gradNorm: number;
  /** Learning rate used. */
  lr: number;
  /**
   * False when the loss or the gradient norm was not finite: nothing was applied, every
   * replica keeps its weights, and the caller decides what to do (the loop stops).
   */
  applied: boolean;
}

/**
 * Splits a batch into micro-batches of `micro` images (copies: Worker replicas take
 * ownership of what they are given) and groups them contiguously per replica:
 * [r0: 0..k), [r1: k..2k), ...; a replica may get none when the batch is small.
 */
export function splitBatch(
  batch: StepBatch,
  options: { microBatch: number; replicas: number },
): MicroBatch[][] {
  const { images, labels } = batch;
  const n = labels.length, px = images.length / n, micro = options.microBatch;
  const parts: MicroBatch[] = [];
  for (let i = 0; i < n; i += micro) {
    const j = Math.min(n, i + micro);
    parts.push({ images: images.slice(i * px, j * px), labels: labels.slice(i, j) });
  }
  const per = Math.ceil(parts.length / options.replicas);
  return Array.from({ length: options.replicas }, (_, r) => parts.slice(r * per, (r + 1) * per));
}

/**
 * Runs one data-parallel training step on `replicas` (all identical; see the module doc).
 * `batch` is not modified. Resolves once every replica has applied the update.
 */
export async function trainStep(
  replicas: readonly ReplicaHandle[],
  batch: StepBatch,
  options: TrainStepOptions,
): Promise<StepOutcome> {
  const n = batch.labels.length;
  const groups = splitBatch(batch, { microBatch: options.microBatch, replicas: replicas.length });
  const used = groups.map((g, r) => [g, replicas[r]] as const).filter(([g]) => g.length > 0);
  const results = await Promise.all(used.map(([g, r]) => r.gradients(g, n)));
  const grads = results[0].grads;
  for (const r of results.slice(1)) addInto(grads, r.grads);
  const sum = (f: (r: typeof results[0]) => number) => results.reduce((s, r) => s + f(r), 0);
  const loss = sum((r) => r.loss), crossEntropy = sum((r) => r.crossEntropy);
  const accuracy = sum((r) => r.correct) / n;
  const angular = results.every((r) => r.cosineCorrect !== null && r.targetAngleSum !== null);
  const cosineAccuracy = angular ? sum((r) => r.cosineCorrect!) / n : null;
  const targetAngle = angular ? (sum((r) => r.targetAngleSum!) / n) * (180 / Math.PI) : null;
  const gradNorm = options.gradClipNorm === null
    ? globalNorm(grads)
    : clipByGlobalNorm(grads, options.gradClipNorm);
  const applied = Number.isFinite(loss) && Number.isFinite(gradNorm);
  if (applied) await Promise.all(replicas.map((r) => r.apply(grads, options.lr)));
  return {
    loss,
    crossEntropy,
    accuracy,
    cosineAccuracy,
    targetAngle,
    gradNorm,
    lr: options.lr,
    applied,
  };
}
