/**
 * Worker side of a data-parallel replica: sets up its own backend (one wasm instance, one
 * core) and serves one {@linkcode Replica}.
 *
 * Protocol: `{id, type, ...args}` in; `{id, ok: true, value}` or `{id, ok: false, message}` out.
 * Types: init {spec, backend}, gradients {micro, batchSize}, apply {grads, lr}, state,
 * load {groups}, export {dir, metadata}.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { setupBackend } from "../backend/mod.ts";
import { Replica } from "./replica.ts";
import { exportLayersModel } from "./export/mod.ts";

let replica: Replica | undefined;

function need(): Replica {
  if (!replica) throw new Error("replica used before init");
  return replica;
}

self.onmessage = async (ev: MessageEvent) => {
  const { id, type } = ev.data;
  try {
    let value: unknown = null;
    let transfer: Transferable[] = [];
    switch (type) {
      case "init": {
        const info = await setupBackend(ev.data.backend);
        replica = new Replica(ev.data.spec);
        value = { backend: info.name, size: replica.size };
        break;
      }
      case "gradients": {
        const r = await need().gradients(ev.data.micro, ev.data.batchSize);
        value = r;
        transfer = [r.grads.buffer as ArrayBuffer];
        break;
      }
      case "apply":
        need().apply(ev.data.grads, ev.data.lr);
        break;
      case "state":
        value = await need().state();
        break;
      case "load":
        await need().load(ev.data.groups);
        break;
      case "export":
        value = await exportLayersModel(need().model, ev.data.dir, { metadata: ev.data.metadata });
        break;
      default:
        throw new Error(`unknown message type '${type}'`);
    }
    self.postMessage({ id, ok: true, value }, { transfer });
  } catch (e) {
    const err = e as Error;
    self.postMessage({ id, ok: false, message: `${err.name}: ${err.message}` });
  }
};
