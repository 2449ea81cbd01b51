/**
 * Test-only Worker for `lib/workers/worker_rpc_test.ts`: echo after a delay, a typed failure, a
 * buffer sent back by transfer, and a crash (an uncaught error outside any call).
 *
 * @module
 */
import { serveRpc, withTransfer } from "../../lib/workers/worker_rpc.ts";

class ShardGoneError extends Error {
  override name = "ShardGoneError";
}

serveRpc({
  async echo(a: { value: unknown; ms: number }) {
    await new Promise((r) => setTimeout(r, a.ms));
    return a.value;
  },
  fail(a: { message: string }) {
    throw new ShardGoneError(a.message);
  },
  double(a: { data: Float32Array }) {
    const out = a.data.map((v) => 2 * v);
    return withTransfer({ out, received: a.data.length }, [out.buffer]);
  },
  crash() {
    setTimeout(() => {
      throw new Error("boom in the worker");
    }, 0);
    return new Promise(() => {}); // never replies
  },
}, {
  errorToPayload: (e) => ({ name: (e as Error).name, message: (e as Error).message, path: "/x" }),
});
