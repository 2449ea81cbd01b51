import { join } from "node:path";
import { assert, assertEquals, assertRejects } from "../../../tests/support/assert.ts";
import { makeFakeTfjsNode } from "../../../tests/support/tfjs_node_layout.ts";
import { fixTfjsNodeBinding, TfjsNodeFixError } from "./fix_binding.ts";

async function withRoot(fn: (root: string) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "tfnode_fix_" });
  try {
    await fn(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("fixTfjsNodeBinding copies the binding into the folder the loader looks in, once", async () => {
  await withRoot(async (root) => {
    const dir = await makeFakeTfjsNode(root, { bindingIn: ["lib/napi-v6", "lib/napi-v7"] });
    const to = join(dir, "lib", "napi-v8", "tfjs_binding.node");
    const r = await fixTfjsNodeBinding({ root, runtimeNapi: 10 });
    assertEquals(r.action, "copied");
    assertEquals(r.from, join(dir, "lib", "napi-v7", "tfjs_binding.node"));
    assertEquals(r.to, to);
    assertEquals(await Deno.readTextFile(to), "fake binding from lib/napi-v7");
    const again = await fixTfjsNodeBinding({ root, runtimeNapi: 10 });
    assertEquals(again.action, "already-in-place");
    // No temp file left beside it.
    const names = [...Deno.readDirSync(join(dir, "lib", "napi-v8"))].map((e) => e.name);
    assertEquals(names, ["tfjs_binding.node"]);
  });
});

Deno.test("fixTfjsNodeBinding takes a binding built from source (build/Release)", async () => {
  await withRoot(async (root) => {
    const dir = await makeFakeTfjsNode(root, { bindingIn: ["build/Release"] });
    const r = await fixTfjsNodeBinding({ root, runtimeNapi: 9 });
    assertEquals(r.action, "copied");
    assertEquals(r.from, join(dir, "build", "Release", "tfjs_binding.node"));
    assert(r.message.includes("napi-v8"), r.message);
  });
});

Deno.test("fixTfjsNodeBinding --dry-run says what it would do and writes nothing", async () => {
  await withRoot(async (root) => {
    const dir = await makeFakeTfjsNode(root, { bindingIn: ["lib/napi-v6"] });
    const r = await fixTfjsNodeBinding({ root, runtimeNapi: 10, dryRun: true });
    assertEquals(r.action, "would-copy");
    let exists = true;
    try {
      await Deno.stat(join(dir, "lib", "napi-v8"));
    } catch {
      exists = false;
    }
    assert(!exists, "dry run created the folder");
  });
});

Deno.test("fixTfjsNodeBinding without a package or without any binding says what to install", async () => {
  await withRoot(async (root) => {
    const none = await assertRejects(() => fixTfjsNodeBinding({ root }), TfjsNodeFixError);
    assert(none.message.includes("npm install @tensorflow/tfjs-node-gpu@4.22.0"), none.message);
    await makeFakeTfjsNode(root, { bindingIn: [] });
    const e = await assertRejects(
      () => fixTfjsNodeBinding({ root, runtimeNapi: 10 }),
      TfjsNodeFixError,
    );
    assert(e.message.includes("install script did not run"), e.message);
  });
});
