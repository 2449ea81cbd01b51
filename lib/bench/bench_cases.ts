/**
 * What `deno task bench` measures: one case per row group (a network at a batch with a replica
 * spec), the three networks at the bench's batch plus the demo's MobileFaceNet as its config
 * trains it.
 *
 * @module
 */
import { loadConfig } from "../config/mod.ts";
import type { BackboneName } from "../models/mod.ts";
import type { ReplicaSpec } from "../train/replica.ts";
import { replicaSpec } from "../train/spec_from_config.ts";
import { benchSpec } from "./throughput.ts";

/** One benchmarked network setting. */
export interface BenchCase {
  /** Row label: the network, or `network (config name)`. */
  label: string;
  network: BackboneName;
  /** Images per training step and per inference call. */
  batch: number;
  /** Images per micro-batch (gradient accumulation). */
  microBatch: number;
  /** What trains: network, width, embedding, head, classes, optimiser, weight decay. */
  spec: ReplicaSpec;
}

/** A network at `batch` with the bench's defaults ({@linkcode benchSpec}). */
export function standardCase(
  network: BackboneName,
  options: { batch: number; classes: number },
): BenchCase {
  const spec = benchSpec(network, {
    size: 112,
    embdShape: network === "MobileFaceNet" ? 128 : 512,
    classes: options.classes,
  });
  return { label: network, network, batch: options.batch, microBatch: options.batch, spec };
}

/**
 * The case of a training config (e.g. configs/demo_mfn.yaml: MobileFaceNet width 0.5, batch 64,
 * 1,184 classes, decay on all weights): its replica spec, batch_size and micro_batch_size.
 *
 * @throws {ConfigError} when the config cannot be read (the message names the file).
 */
export async function configCase(path: string): Promise<BenchCase> {
  const config = await loadConfig(path, { dataRoot: "/nonexistent" });
  const spec = replicaSpec(config);
  return {
    label: `${spec.backbone} (${config.sub_name})`,
    network: spec.backbone as BackboneName,
    batch: config.batch_size,
    microBatch: config.micro_batch_size ?? config.batch_size,
    spec,
  };
}
