/**
 * Request/reply over a Worker, the one place for it: the training replicas, the decode pool and
 * the embedding pool all talk to their Workers through {@linkcode WorkerClient} (parent side) and
 * {@linkcode serveRpc} (worker side).
 *
 * Protocol (structured clone; listed buffers transferred, zero-copy):
 * - in  `{id, method, args}`;
 * - out `{id, ok: true, value}` or `{id, ok: false, error: {name, message, ...}}`.
 * Replies are matched by id, so calls may overlap and complete in any order. A Worker that
 * crashes fails every pending and later call; `terminate(reason)` fails the pending ones.
 *
 * @module
 */

/** An error as it crosses the Worker boundary (structured-clone safe). */
export interface RpcErrorPayload {
  /** Error class name. */
  name: string;
  /** Message. */
  message: string;
  /** Extra fields a typed error needs to be rebuilt (see `errorToPayload`). */
  [field: string]: unknown;
}

const TRANSFER = Symbol("worker_rpc.transfer");

/** A handler's value to send back with `transfer` moved, not copied (see {@linkcode withTransfer}). */
export interface WithTransfer<T> {
  /** The reply value. */
  value: T;
  /** Buffers moved to the other side. */
  transfer: Transferable[];
  /** Marks the wrapper. */
  [TRANSFER]: true;
}

/** Wraps a handler's reply so that `transfer` (e.g. result buffers) is moved, not copied. */
export function withTransfer<T>(value: T, transfer: Transferable[]): WithTransfer<T> {
  return { value, transfer, [TRANSFER]: true };
}

/** Options of {@linkcode WorkerClient}. */
export interface WorkerClientOptions {
  /** The error a call fails with when the Worker replies with `payload` (default: an Error). */
  toError?: (payload: RpcErrorPayload) => Error;
  /** The error pending and later calls fail with when the Worker crashes (`message`: why). */
  crashError?: (message: string) => Error;
  /** Called once after a crash, with the crash error (e.g. to close a whole pool). */
  onCrash?: (error: Error) => void;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

/** The parent side of one Worker module served with {@linkcode serveRpc}. */
export class WorkerClient {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  readonly #toError: (payload: RpcErrorPayload) => Error;
  #next = 0;
  #dead: Error | undefined;

  /** Starts the Worker module at `url` (type "module"). */
  constructor(url: URL, options: WorkerClientOptions = {}) {
    this.#toError = options.toError ??
      ((p) => Object.assign(new Error(p.message), { name: p.name }));
    const crashError = options.crashError ?? ((m) => new Error(`worker crashed: ${m}`));
    this.#worker = new Worker(url, { type: "module" });
    this.#worker.onmessage = (ev: MessageEvent) => {
      const m = ev.data as { id: number; ok: boolean; value?: unknown; error?: RpcErrorPayload };
      const p = this.#pending.get(m.id);
      if (!p) return;
      this.#pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else p.reject(this.#toError(m.error!));
    };
    this.#worker.onerror = (ev: ErrorEvent) => {
      ev.preventDefault();
      if (this.#dead) return;
      const error = crashError(ev.message);
      this.#fail(error);
      options.onCrash?.(error);
    };
  }

  /** Calls in flight. */
  get pending(): number {
    return this.#pending.size;
  }

  /** The error every call now fails with (after a crash or `terminate`), else undefined. */
  get dead(): Error | undefined {
    return this.#dead;
  }

  /** Calls `method` with `args` in the Worker; `transfer` is moved (do not reuse it). */
  call<T>(method: string, args: unknown = {}, transfer: Transferable[] = []): Promise<T> {
    if (this.#dead) return Promise.reject(this.#dead);
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.#worker.postMessage({ id, method, args }, transfer);
    });
  }

  /** Terminates the Worker; pending and later calls fail with `reason`. */
  terminate(reason: Error = new Error("worker terminated")): void {
    this.#worker.terminate();
    if (!this.#dead) this.#fail(reason);
  }

  #fail(error: Error): void {
    this.#dead = error;
    for (const p of this.#pending.values()) p.reject(error);
    this.#pending.clear();
  }
}

/** A Worker's methods: each gets the call's `args` and returns (or resolves to) the reply. */
export type RpcHandlers = Record<
  string,
  // deno-lint-ignore no-explicit-any
  (args: any) => unknown
>;

/** Options of {@linkcode serveRpc}. */
export interface ServeRpcOptions {
  /** Flattens a thrown error for the reply (default `{name, message}`). */
  errorToPayload?: (e: unknown) => RpcErrorPayload;
}

/** `{name, message}` of a thrown value. */
export function defaultErrorPayload(e: unknown): RpcErrorPayload {
  if (e instanceof Error) return { name: e.name, message: e.message };
  return { name: "Error", message: String(e) };
}

interface RpcScope {
  postMessage(msg: unknown, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent) => void) | null;
}

/**
 * Serves `handlers` in this Worker (call from the Worker module's top level). Calls run as they
 * arrive (an async handler may overlap the next call); each replies once, a throw or rejection
 * as an error payload. An unknown method replies with an error naming it.
 */
export function serveRpc(handlers: RpcHandlers, options: ServeRpcOptions = {}): void {
  const scope = globalThis as unknown as RpcScope;
  const toPayload = options.errorToPayload ?? defaultErrorPayload;
  scope.onmessage = async (ev: MessageEvent) => {
    const { id, method, args } = ev.data as { id: number; method: string; args: unknown };
    try {
      const handler = Object.hasOwn(handlers, method) ? handlers[method] : undefined;
      if (!handler) throw new Error(`unknown method '${method}'`);
      const r = await handler(args);
      if (r !== null && typeof r === "object" && TRANSFER in r) {
        const t = r as WithTransfer<unknown>;
        scope.postMessage({ id, ok: true, value: t.value }, t.transfer);
      } else {
        scope.postMessage({ id, ok: true, value: r });
      }
    } catch (e) {
      scope.postMessage({ id, ok: false, error: toPayload(e) });
    }
  };
}
