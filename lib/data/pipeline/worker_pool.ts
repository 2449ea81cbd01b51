/**
 * A small pool of decode workers (Deno Workers running decode_worker.ts). Record buffers go in
 * and pixel buffers come back by transfer (zero-copy). Each task goes to the worker with the
 * fewest tasks in flight; results are matched by id, so the caller keeps its own order. A pool
 * holds no per-run settings (they travel with each task), so one pool can serve several
 * pipelines one after the other (tests, or a validation pass between training epochs).
 *
 * @module
 */
import { errorFromMessage, type ErrorMessage, PipelineClosedError } from "./errors.ts";
import type { ExampleTask, ProcessConfig } from "./process_example.ts";
import { WorkerClient } from "../../workers/worker_rpc.ts";

/** Outcome of one task; a pool promise never rejects (no unhandled rejections while queued). */
export type TaskResult =
  | { ok: true; label: number; image: Float32Array }
  | { ok: false; error: Error };

/** Options of {@linkcode WorkerPool}. */
export interface WorkerPoolOptions {
  /** Number of workers (default 1). */
  workers?: number;
  /** Examples each worker decodes concurrently (default 2: sharp decodes off its JS thread). */
  concurrency?: number;
}

/** A pool of decode workers; `close()` terminates them all. */
export class WorkerPool {
  readonly #clients: WorkerClient[] = [];
  #closed = false;

  /** Starts the workers. */
  constructor(options: WorkerPoolOptions = {}) {
    const n = options.workers ?? 1;
    for (let i = 0; i < n; i++) {
      const client = new WorkerClient(new URL("./decode_worker.ts", import.meta.url), {
        toError: (p) => errorFromMessage(p as unknown as ErrorMessage),
        crashError: (m) => new PipelineClosedError(`A decode worker crashed: ${m}`),
        onCrash: () => this.close(),
      });
      // A crash fails this call too; the pool reports it through the tasks.
      client.call("init", { concurrency: options.concurrency ?? 2 }).catch(() => {});
      this.#clients.push(client);
    }
  }

  /** Tasks in flight over all workers. */
  get inFlight(): number {
    return this.#clients.reduce((n, c) => n + c.pending, 0);
  }

  /** True once `close()` was called or a worker crashed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Queues `task`; its record's buffer is transferred (the caller must not reuse it). */
  submit(task: ExampleTask, config: ProcessConfig): Promise<TaskResult> {
    if (this.#closed) {
      return Promise.resolve({ ok: false, error: new PipelineClosedError("The pool is closed.") });
    }
    let client = this.#clients[0];
    for (const c of this.#clients) if (c.pending < client.pending) client = c;
    const rec = task.record;
    // Transfer needs a buffer of its own: copy a view into a larger buffer.
    const own = rec.byteOffset === 0 && rec.byteLength === rec.buffer.byteLength &&
        rec.buffer instanceof ArrayBuffer
      ? rec
      : rec.slice();
    return client.call<{ label: number; image: Float32Array }>(
      "task",
      { task: { ...task, record: own }, config },
      [own.buffer as ArrayBuffer],
    ).then(
      ({ label, image }): TaskResult => ({ ok: true, label, image }),
      (error: Error): TaskResult => ({ ok: false, error }),
    );
  }

  /** Terminates every worker; tasks still in flight resolve with PipelineClosedError. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const c of this.#clients) c.terminate(new PipelineClosedError("The pool was closed."));
  }
}
