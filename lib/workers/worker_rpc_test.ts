import { assert, assertEquals, assertRejects } from "../../tests/support/assert.ts";
import { type RpcErrorPayload, WorkerClient } from "./worker_rpc.ts";

const WORKER = new URL("../../tests/support/rpc_test_worker.ts", import.meta.url);

class TypedError extends Error {
  override name = "TypedError";
  constructor(readonly payload: RpcErrorPayload) {
    super(`worker said: ${payload.name}: ${payload.message}`);
  }
}

Deno.test("WorkerClient: overlapping calls get their own replies, in completion order", async () => {
  const c = new WorkerClient(WORKER);
  try {
    const done: string[] = [];
    const slow = c.call<string>("echo", { value: "slow", ms: 80 }).then((v) => (done.push(v), v));
    const fast = c.call<string>("echo", { value: "fast", ms: 0 }).then((v) => (done.push(v), v));
    assertEquals(c.pending, 2);
    assertEquals(await Promise.all([slow, fast]), ["slow", "fast"]);
    assertEquals(done, ["fast", "slow"]);
    assertEquals(c.pending, 0);
  } finally {
    c.terminate();
  }
});

Deno.test("WorkerClient: transfer moves buffers both ways", async () => {
  const c = new WorkerClient(WORKER);
  try {
    const data = Float32Array.of(1, 2, 3);
    const r = await c.call<{ out: Float32Array; received: number }>("double", { data }, [
      data.buffer,
    ]);
    assertEquals(data.byteLength, 0); // moved, not copied
    assertEquals(r.received, 3);
    assertEquals([...r.out], [2, 4, 6]);
  } finally {
    c.terminate();
  }
});

Deno.test("WorkerClient: a worker's error reaches the caller with its name, message and fields", async () => {
  const c = new WorkerClient(WORKER, { toError: (p) => new TypedError(p) });
  try {
    const e = await assertRejects(
      () => c.call("fail", { message: "shard 3 is gone" }),
      TypedError,
      "worker said: ShardGoneError: shard 3 is gone",
    );
    assertEquals(e.payload.path, "/x");
    await assertRejects(() => c.call("nope"), TypedError, "unknown method 'nope'");
    // The worker still serves after a failed call.
    assertEquals(await c.call("echo", { value: 5, ms: 0 }), 5);
  } finally {
    c.terminate();
  }
});

Deno.test("WorkerClient: a crash fails pending and later calls, onCrash once", async () => {
  const crashes: Error[] = [];
  const c = new WorkerClient(WORKER, {
    crashError: (m) => new TypedError({ name: "Crash", message: m }),
    onCrash: (e) => crashes.push(e),
  });
  try {
    const pending = c.call("echo", { value: 1, ms: 5000 });
    const e = await assertRejects(() => c.call("crash"), TypedError, "boom in the worker");
    await assertRejects(() => pending, TypedError, "boom in the worker");
    await assertRejects(() => c.call("echo", { value: 2, ms: 0 }), TypedError, "boom");
    assertEquals(crashes, [e]);
    assert(c.dead === e);
  } finally {
    c.terminate();
  }
});

Deno.test("WorkerClient: terminate fails the calls in flight with the reason", async () => {
  const c = new WorkerClient(WORKER);
  const pending = c.call("echo", { value: 1, ms: 5000 });
  c.terminate(new TypedError({ name: "Closed", message: "the pool was closed" }));
  await assertRejects(() => pending, TypedError, "the pool was closed");
  await assertRejects(() => c.call("echo", { value: 1, ms: 0 }), TypedError, "the pool was closed");
});
