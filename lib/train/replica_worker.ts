/**
 * Worker side of a data-parallel replica: sets up its own backend (one wasm instance, one
 * core) and serves one {@linkcode Replica}.
 *
 * Methods (over `lib/workers/worker_rpc.ts`): init {spec, backend}, gradients {micro, batchSize}
 * (the gradient buffer is transferred back), apply {grads, lr}, state, load {groups},
 * export {dir, metadata}.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { setupBackend } from "../backend/mod.ts";
import { type MicroBatch, Replica, type ReplicaSpec, type ReplicaState } from "./replica.ts";
import { serveRpc, withTransfer } from "../workers/worker_rpc.ts";
import { exportLayersModel } from "./export/mod.ts";

let replica: Replica | undefined;

function need(): Replica {
  if (!replica) throw new Error("replica used before init");
  return replica;
}

serveRpc({
  async init(a: { spec: ReplicaSpec; backend: string }) {
    const info = await setupBackend(a.backend);
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
