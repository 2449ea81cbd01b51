/**
 * The small replica the step tests train: MobileFaceNet x0.25 at 32x32, a 16-d embedding,
 * ArcHead (m 0.5, s 16), SGD momentum 0.9 Nesterov. Test-only.
 *
 * @module
 */
import type { ReplicaSpec } from "../../lib/train/replica.ts";

/** {@linkcode ReplicaSpec} of the tiny test replica, with `over` replacing any field. */
export function tinyReplicaSpec(over: Partial<ReplicaSpec> = {}): ReplicaSpec {
  return {
    backbone: "MobileFaceNet",
    inputSize: 32,
    embdShape: 16,
    width: 0.25,
    dropout: 0,
    modelWDecay: 5e-4,
    head: "ArcHead",
    numClasses: 5,
    margin: 0.5,
    scale: 16,
    seed: 3,
    momentum: 0.9,
    nesterov: true,
    decayAll: 0,
    ...over,
  };
}
