/**
 * `deno task inspect-ckpt` as a user runs it (the task, in a subprocess): --help exits 0, no
 * path exits 2 with one line, a missing checkpoint exits 1 with the reader's message, and the
 * released arcface-tf2 index lists with its missing shard, in text and as JSON.
 */
import { join } from "node:path";
import { assert, assertEquals } from "./support/assert.ts";
import { arcfaceReleasedCkpt, arcfaceSection1Ckpt } from "./support/shared_data.ts";

const root = new URL("..", import.meta.url).pathname;

async function task(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["task", "-q", "inspect-ckpt", ...args],
    cwd: root,
    env: { NO_COLOR: "1" },
  }).output();
  const dec = new TextDecoder();
  return { code: r.code, out: dec.decode(r.stdout), err: dec.decode(r.stderr) };
}

Deno.test("inspect-ckpt: --help 0, no path 2 (one line), a missing checkpoint 1", async () => {
  const help = await task("--help");
  assertEquals(help.code, 0, help.err);
  assert(help.out.includes("Usage: deno task inspect-ckpt <path>"), help.out);
  const none = await task();
  assertEquals(none.code, 2, none.err);
  assertEquals(none.err.split("\n")[0], "inspect-ckpt: expected <path>, got 0 argument(s)");
  const dir = await Deno.makeTempDir({ prefix: "inspect_ckpt_" });
  const missing = join(dir, "e_1_b_1.ckpt");
  const gone = await task(missing);
  assertEquals(gone.code, 1, gone.err);
  assert(
    gone.err.startsWith(`inspect-ckpt: no TensorFlow checkpoint at ${missing}: looked for `),
    gone.err,
  );
  assert(!gone.err.includes("    at "), `no stack without ARCFACE_DEBUG: ${gone.err}`);
  await Deno.remove(dir, { recursive: true });
});

Deno.test({
  name: "inspect-ckpt lists the released checkpoint (shard 1 missing) and the section-1 slots",
  ignore: !arcfaceReleasedCkpt() || !arcfaceSection1Ckpt(),
  fn: async () => {
    const r = await task(arcfaceReleasedCkpt()!);
    assertEquals(r.code, 0, r.err);
    assert(r.out.includes("shards:       2 (1 missing)"), r.out);
    assert(r.out.includes("e_8_b_40000.ckpt.data-00001-of-00002: MISSING"), r.out);
    assert(r.out.includes("entries:      330,"), r.out);
    assert(r.out.includes("object graph: present, decoded"), r.out);
    assert(
      /\| layer_with_weights-0\/layer_with_weights-0\/kernel +\| float32 +\| \[7, 7, 3, 64\] +\| 37632 +\|/
        .test(r.out),
      r.out,
    );
    assert(r.out.includes("329 model variables"), r.out);
    const s1 = await task(arcfaceSection1Ckpt()!);
    assertEquals(s1.code, 0, s1.err);
    assert(/momentum: 219 slots, [\d.]+ MB/.test(s1.out), s1.out);
    assert(s1.out.includes("optimizer/iter (optimizer, int64)"), s1.out);
    const json = await task(arcfaceSection1Ckpt()!, "--json", "--all");
    assertEquals(json.code, 0, json.err);
    const l = JSON.parse(json.out);
    assertEquals([l.entryCount, l.rows.length, l.counts.slot], [552, 552, 219]);
  },
});
