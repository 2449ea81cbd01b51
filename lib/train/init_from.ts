/**
 * Starting a new run from a TF2 checkpoint of arcface-tf2's layout (config `init_from`): the
 * backbone and output layer always, the ArcHead only with `init_head` (and only when its W is
 * [embd_shape, num_classes]); the optimizer's momentum starts at zero, as a fine-tuning run does.
 *
 * @module
 */
import { openCheckpoint } from "../data/tf_checkpoint/mod.ts";
import type { TrainConfig } from "../config/mod.ts";
import { ArcHead } from "../heads/arc_head.ts";
import { embeddingModelOf } from "./spec_from_config.ts";
import { loadArcFaceTf2 } from "../models/keras_checkpoint/mod.ts";
import { modelWeightArrays, tensorsToArrays } from "./checkpoint/mod.ts";
import type { ReplicaState } from "./replica.ts";

/** Raised when `init_from` cannot start this config (head asked of a config without ArcHead). */
export class InitFromError extends Error {
  override name = "InitFromError";
}

/**
 * The replicas' starting weights from `config.init_from` (model, and head with `init_head`),
 * in the groups a replica loads. Call it after the backend is set up.
 *
 * @throws the reader's and the mapping's errors (another architecture: every misfit named)
 */
export async function initialWeightsFrom(
  config: TrainConfig,
): Promise<Pick<ReplicaState, "model"> & Partial<Pick<ReplicaState, "head">>> {
  const path = config.init_from!;
  if (config.init_head && config.head_type !== "ArcHead") {
    throw new InitFromError(
      `init_head needs head_type ArcHead (arcface-tf2's head), not ${config.head_type}; ` +
        `set init_head: false to start the head afresh.`,
    );
  }
  const ckpt = await openCheckpoint(path);
  const model = embeddingModelOf(config);
  const head = config.init_head
    ? new ArcHead({ embdShape: config.embd_shape, numClasses: config.num_classes })
    : undefined;
  try {
    await loadArcFaceTf2(model, ckpt, { head });
    const out: Pick<ReplicaState, "model"> & Partial<Pick<ReplicaState, "head">> = {
      model: await modelWeightArrays(model),
    };
    if (head) out.head = await tensorsToArrays([{ name: "head/0", tensor: head.w }]);
    return out;
  } finally {
    model.dispose();
    head?.dispose();
  }
}
