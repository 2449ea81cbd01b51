/**
 * Worker entry point: decodes and augments examples posted by {@linkcode WorkerPool}.
 * Methods (over `lib/workers/worker_rpc.ts`, buffers transferred both ways): `init
 * {concurrency}` once, then `task {task: ExampleTask, config: ProcessConfig}` -> `{label, image}`
 * (task.record's and image's buffers transferred; the config travels with each task so one
 * pool can serve several pipelines; at most `concurrency` tasks decode at once), a failure as
 * {@linkcode errorToMessage}'s payload.
 *
 * @module
 */
import { errorToMessage } from "./errors.ts";
import { type ExampleTask, type ProcessConfig, processExample } from "./process_example.ts";
import { serveRpc, withTransfer } from "../../workers/worker_rpc.ts";

let concurrency = 2;
let running = 0;
const waiting: (() => void)[] = [];

/** Runs `fn` once fewer than `concurrency` examples are in progress (FIFO). */
async function limited<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= concurrency) await new Promise<void>((go) => waiting.push(go));
  else running++;
  try {
    return await fn();
  } finally {
    // Hand the slot straight to the next waiter, else free it.
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

serveRpc({
  init(a: { concurrency: number }) {
    concurrency = a.concurrency;
  },
  task: (a: { task: ExampleTask; config: ProcessConfig }) =>
    limited(async () => {
      const { label, image } = await processExample(a.task, a.config);
      return withTransfer({ label, image }, [image.buffer as ArrayBuffer]);
    }),
}, { errorToPayload: (e) => ({ ...errorToMessage(e) }) });
