/**
 * Replicas behind one async interface: one in this thread, or one per Worker for data
 * parallelism (each Worker owns a wasm instance, i.e. a core).
 *
 * @module
 */
import type { GradientResult, MicroBatch, ReplicaSpec, ReplicaState } from "./replica.ts";
import { Replica } from "./replica.ts";
// Not export/mod.ts: it also brings the TF-checkpoint writer (and its native CRC32C), which the
// packed GPU check (lib/gpu_check/pack.ts) does not carry.
import { exportLayersModel } from "./export/export_layers_model.ts";
import { WorkerClient } from "../workers/worker_rpc.ts";

/** Raised when a replica Worker fails; the message carries the Worker's error. */
export class ReplicaError extends Error {
  override name = "ReplicaError";
}

/** What the trainer needs from a replica, wherever it runs. */
export interface ReplicaHandle {
  /** See {@linkcode Replica.gradients}. */
  gradients(micro: MicroBatch[], batchSize: number): Promise<GradientResult>;
  /** See {@linkcode Replica.apply}. */
  apply(grads: Float32Array, lr: number): Promise<void>;
  /** See {@linkcode Replica.state}. */
  state(): Promise<ReplicaState>;
  /** See {@linkcode Replica.load}. */
  load(groups: Partial<ReplicaState>): Promise<void>;
  /** Exports the embedding model as a TF.js layers model; returns the model.json path. */
  exportModel(dir: string, metadata: Record<string, unknown>): Promise<string>;
  /** Releases the replica (and terminates its Worker). */
  close(): Promise<void>;
}

/** A replica in this thread behind the async interface (what `createReplicas` makes for one). */
export class LocalReplica implements ReplicaHandle {
  /** The gradient array every step reuses (see {@linkcode Replica.gradients}). */
  #grads: Float32Array | undefined;
  /** Wraps `replica` (the handle owns it: `close()` disposes it). */
  constructor(readonly replica: Replica) {}
  /**
   * See {@linkcode Replica.gradients}. The returned `grads` is one array reused by every call:
   * it holds this step's gradients until the next call (the trainer applies them before that).
   */
  gradients(micro: MicroBatch[], batchSize: number): Promise<GradientResult> {
    this.#grads ??= new Float32Array(this.replica.size);
    return this.replica.gradients(micro, batchSize, { into: this.#grads });
  }
  /** See {@linkcode Replica.apply}. */
  apply(grads: Float32Array, lr: number): Promise<void> {
    this.replica.apply(grads, lr);
    return Promise.resolve();
  }
  /** See {@linkcode Replica.state}. */
  state(): Promise<ReplicaState> {
    return this.replica.state();
  }
  /** See {@linkcode Replica.load}. */
  load(groups: Partial<ReplicaState>): Promise<void> {
    return this.replica.load(groups);
  }
  /** Exports the embedding model as a TF.js layers model; returns the model.json path. */
  exportModel(dir: string, metadata: Record<string, unknown>): Promise<string> {
    return exportLayersModel(this.replica.model, dir, { metadata });
  }
  /** Disposes the replica. */
  close(): Promise<void> {
    this.replica.dispose();
    return Promise.resolve();
  }
}

class WorkerReplica implements ReplicaHandle {
  readonly #client = new WorkerClient(new URL("./replica_worker.ts", import.meta.url), {
    toError: (p) => new ReplicaError(`training replica: ${p.name}: ${p.message}`),
    crashError: (m) => new ReplicaError(`training replica worker crashed: ${m}`),
  });

  call<T>(type: string, args: Record<string, unknown> = {}, transfer: Transferable[] = []) {
    return this.#client.call<T>(type, args, transfer);
  }
  gradients(micro: MicroBatch[], batchSize: number) {
    return this.call<GradientResult>(
      "gradients",
      { micro, batchSize },
      micro.map((m) => m.images.buffer as ArrayBuffer),
    );
  }
  apply(grads: Float32Array, lr: number) {
    return this.call<void>("apply", { grads, lr });
  }
  state() {
    return this.call<ReplicaState>("state");
  }
  load(groups: Partial<ReplicaState>) {
    return this.call<void>("load", { groups });
  }
  exportModel(dir: string, metadata: Record<string, unknown>) {
    return this.call<string>("export", { dir, metadata });
  }
  close() {
    this.#client.terminate(new ReplicaError("training replica: the replica was closed"));
    return Promise.resolve();
  }
}

/** Options of {@linkcode createReplicas}. */
export interface ReplicaPoolOptions {
  /** How many replicas (default 1). 1: in this thread (the backend must be set up); more: Workers. */
  count?: number;
  /** Backend of the Worker replicas (default "auto"). */
  backend?: string;
}

/**
 * Creates `count` identical replicas of `spec`. With one, it runs in this thread; with more,
 * each runs in its own Worker (micro-batch arrays given to a Worker are transferred: do not
 * reuse them).
 */
export async function createReplicas(
  spec: ReplicaSpec,
  options: ReplicaPoolOptions = {},
): Promise<ReplicaHandle[]> {
  const count = options.count ?? 1;
  if (count === 1) return [new LocalReplica(new Replica(spec))];
  const workers = Array.from({ length: count }, () => new WorkerReplica());
  try {
    await Promise.all(
      workers.map((w) =>
        w.call("init", {
          spec,
          backend: options.backend ?? "auto",
          // Each native (oneDNN) replica gets its share of the cores: N replicas x all cores
          // of OpenMP threads each would oversubscribe them.
          threads: Math.max(1, Math.floor((navigator.hardwareConcurrency || count) / count)),
        })
      ),
    );
  } catch (e) {
    await Promise.all(workers.map((w) => w.close()));
    throw e;
  }
  return workers;
}
