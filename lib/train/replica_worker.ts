/**
 * Worker side of a data-parallel replica: sets up its own backend (one wasm instance, one
 * core; or native with its share of the cores in OpenMP threads) and serves one
 * {@linkcode Replica}.
 *
 * Methods (over `lib/workers/worker_rpc.ts`): init {spec, backend}, gradients {micro, batchSize}
 * (the gradient buffer is transferred back), apply {grads, lr}, state, load {groups},
 * export {dir, metadata}.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { setupBackend } from "../backend/mod.ts";
import { setOmpThreads } from "../backend/native/mod.ts";
import { type MicroBatch, Replica, type ReplicaSpec, type ReplicaState } from "./replica.ts";
import { serveRpc, withTransfer } from "../workers/worker_rpc.ts";
// Not export/mod.ts: it also brings the TF-checkpoint writer (and its native CRC32C), which the
// packed GPU check (lib/gpu_check/pack.ts) does not carry.
import { exportLayersModel } from "./export/export_layers_model.ts";

let replica: Replica | undefined;

function need(): Replica {
  if (!replica) throw new Error("replica used before init");
  return replica;
}

serveRpc({
  async init(a: { spec: ReplicaSpec; backend: string; threads: number }) {
    const info = await setupBackend(a.backend);
    // OpenMP's thread count is per calling thread: this Worker's oneDNN calls use `threads`.
    if (info.name === "native") setOmpThreads(a.threads);
    replica = new Replica(a.spec);
    return { backend: info.name, size: replica.size };
  },
  async gradients(a: { micro: MicroBatch[]; batchSize: number }) {
    const r = await need().gradients(a.micro, a.batchSize);
    return withTransfer(r, [r.grads.buffer as ArrayBuffer]);
  },
  apply(a: { grads: Float32Array; lr: number }) {
    need().apply(a.grads, a.lr);
  },
  state: () => need().state(),
  load: (a: { groups: Partial<ReplicaState> }) => need().load(a.groups),
  export: (a: { dir: string; metadata: Record<string, unknown> }) =>
    exportLayersModel(need().model, a.dir, { metadata: a.metadata }),
});
