import * as tf from "@tensorflow/tfjs-core";
import { assert, assertEquals } from "../../../tests/support/assert.ts";
import { nativeUnavailable, setupBackends } from "../../../tests/support/wasm_kernel_checks.ts";
import type { NativeBackend } from "./native_backend.ts";
import { MAX_POOLED_BYTES, MIN_POOLED_LENGTH, OutputPool } from "./output_pool.ts";

await setupBackends();
const ignore = nativeUnavailable !== null;
const N = 2 * MIN_POOLED_LENGTH; // pooled size

/** Runs `f` with native active, then wasm again. */
async function onNative(f: (backend: NativeBackend) => Promise<void>): Promise<void> {
  await setupBackends();
  await tf.setBackend("native");
  try {
    await f(tf.backend() as NativeBackend);
  } finally {
    await tf.setBackend("wasm");
  }
}

/** A native kernel's output (Relu) of `n` values `value`. */
function nativeOutput(n: number, value: number): tf.Tensor {
  return tf.tidy(() => tf.relu(tf.fill([n], value)));
}

Deno.test("OutputPool: takes back what it was given, by length; small arrays are not kept", () => {
  const pool = new OutputPool();
  const a = new Float32Array(N);
  pool.give(a);
  pool.give(new Float32Array(MIN_POOLED_LENGTH - 1));
  assertEquals(pool.bytes, a.byteLength);
  assertEquals(pool.take(N + 1), null);
  assert(pool.take(N) === a);
  assertEquals(pool.take(N), null);
  assertEquals(pool.bytes, 0);
});

Deno.test("OutputPool: when full, drops the lengths used least recently", () => {
  const pool = new OutputPool();
  const big = MAX_POOLED_BYTES / 4 / 2; // two of these fill the pool
  const a = new Float32Array(big), b = new Float32Array(big - 1), c = new Float32Array(big - 2);
  pool.give(a);
  pool.give(b);
  assert(pool.take(big) === a); // a's length is now the most recently used
  pool.give(a);
  pool.give(c); // over the cap: b's length goes
  assertEquals(pool.take(big - 1), null);
  assert(pool.take(big - 2) === c);
  assert(pool.take(big) === a);
});

Deno.test({
  name: "native output pool: a disposed, never-read output's array is reused",
  ignore,
  fn: () =>
    onNative(async (backend) => {
      const x = nativeOutput(N, 1);
      const before = backend.pooledBytes;
      x.dispose();
      assertEquals(backend.pooledBytes, before + N * 4);
      const y = nativeOutput(N, 2);
      assertEquals(backend.pooledBytes, before);
      assertEquals((await y.data())[N - 1], 2);
      y.dispose();
    }),
});

Deno.test({
  name: "native output pool: an array handed out by data() / dataSync() is never reused",
  ignore,
  fn: () =>
    onNative(async (backend) => {
      const x = nativeOutput(N, 3), z = nativeOutput(N, 4);
      const seen = await x.data(), seenSync = z.dataSync();
      const before = backend.pooledBytes;
      tf.dispose([x, z]);
      assertEquals(backend.pooledBytes, before);
      tf.dispose([nativeOutput(N, 5), nativeOutput(N, 6)]); // would take them if pooled
      assertEquals([seen[0], seen[N - 1], seenSync[0]], [3, 3, 4]);
    }),
});

Deno.test({
  name: "native output pool: a view of an output (cpu Slice) keeps its array out of the pool",
  ignore,
  fn: () =>
    onNative(async () => {
      const x = nativeOutput(2 * N, 7);
      const head = tf.slice(x, [0], [N]); // contiguous: the cpu kernel returns a subarray
      x.dispose();
      const other = nativeOutput(2 * N, 8); // would reuse x's array if it were pooled
      assertEquals((await head.data())[N - 1], 7);
      tf.dispose([head, other]);
    }),
});

Deno.test({
  name: "native output pool: PadV2 on a recycled array still has a zero border",
  ignore,
  fn: () =>
    onNative(async () => {
      const shape = [1, 64, 64, 4]; // padded: [1, 66, 66, 4], a pooled size
      const padded = (v: number) =>
        tf.tidy(() => tf.pad(tf.fill(shape, v), [[0, 0], [1, 1], [1, 1], [0, 0]]));
      padded(9).dispose(); // its array (dirty: 9s inside, 0s around) goes to the pool
      tf.tidy(() => tf.relu(tf.fill([66 * 66 * 4], 5))).dispose(); // dirty it everywhere
      const y = padded(1);
      const v = await y.data();
      assertEquals([v[0], v[v.length - 1], v[(66 + 1) * 4]], [0, 0, 1]);
      y.dispose();
    }),
});
