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

interface Slot {
  worker: Worker;
  pending: Map<number, (r: TaskResult) => void>;
}

/** A pool of decode workers; `close()` terminates them all. */
export class WorkerPool {
  readonly #slots: Slot[] = [];
  #nextId = 0;
  #closed = false;

  /** Starts the workers. */
  constructor(options: WorkerPoolOptions = {}) {
    const n = options.workers ?? 1;
    for (let i = 0; i < n; i++) {
      const worker = new Worker(new URL("./decode_worker.ts", import.meta.url), {
        type: "module",
      });
      const slot: Slot = { worker, pending: new Map() };
      worker.onmessage = (e: MessageEvent) => {
        const m = e.data as
          | { type: "done"; id: number; label: number; image: Float32Array }
          | { type: "error"; id: number; error: ErrorMessage };
        const resolve = slot.pending.get(m.id);
        if (!resolve) return;
        slot.pending.delete(m.id);
        resolve(
          m.type === "done"
            ? { ok: true, label: m.label, image: m.image }
            : { ok: false, error: errorFromMessage(m.error) },
        );
      };
      worker.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        this.#failAll(slot, new PipelineClosedError(`A decode worker crashed: ${e.message}`));
        this.close();
      };
      worker.postMessage({ type: "init", concurrency: options.concurrency ?? 2 });
      this.#slots.push(slot);
    }
  }

  /** Tasks in flight over all workers. */
  get inFlight(): number {
    return this.#slots.reduce((n, s) => n + s.pending.size, 0);
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
    let slot = this.#slots[0];
    for (const s of this.#slots) if (s.pending.size < slot.pending.size) slot = s;
    const id = this.#nextId++;
    const rec = task.record;
    // Transfer needs a buffer of its own: copy a view into a larger buffer.
    const own = rec.byteOffset === 0 && rec.byteLength === rec.buffer.byteLength &&
        rec.buffer instanceof ArrayBuffer
      ? rec
      : rec.slice();
    return new Promise<TaskResult>((resolve) => {
      slot.pending.set(id, resolve);
      slot.worker.postMessage({ type: "task", id, task: { ...task, record: own }, config }, [
        own.buffer as ArrayBuffer,
      ]);
    });
  }

  #failAll(slot: Slot, error: Error): void {
    for (const resolve of slot.pending.values()) resolve({ ok: false, error });
    slot.pending.clear();
  }

  /** Terminates every worker; tasks still in flight resolve with PipelineClosedError. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const s of this.#slots) {
      s.worker.terminate();
      this.#failAll(s, new PipelineClosedError("The pool was closed."));
    }
  }
}
