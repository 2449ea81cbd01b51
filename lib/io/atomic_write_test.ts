import { assertEquals, assertRejects } from "../../tests/support/assert.ts";
import { join } from "node:path";
import { withTempDir } from "../../tests/support/convert_data.ts";
import {
  commitTempDir,
  commitTempFile,
  tempPathFor,
  withAtomicFile,
  writeFileAtomic,
} from "./atomic_write.ts";

async function names(dir: string): Promise<string[]> {
  const out = [];
  for await (const e of Deno.readDir(dir)) out.push(e.name);
  return out.sort();
}

Deno.test("writeFileAtomic writes text and bytes, replaces the old file, leaves no temp", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "a.json");
    await writeFileAtomic(path, "first\n");
    await writeFileAtomic(path, "second\n");
    assertEquals(await Deno.readTextFile(path), "second\n");
    await writeFileAtomic(join(dir, "b.bin"), Uint8Array.of(1, 2, 3));
    assertEquals(await Deno.readFile(join(dir, "b.bin")), Uint8Array.of(1, 2, 3));
    assertEquals(await names(dir), ["a.json", "b.bin"]);
  });
});

Deno.test("writeFileAtomic creates the folder only with mkdir", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "x", "y", "c.txt");
    await assertRejects(() => writeFileAtomic(path, "c"), Deno.errors.NotFound);
    await writeFileAtomic(path, "c", { mkdir: true });
    assertEquals(await Deno.readTextFile(path), "c");
  });
});

Deno.test("withAtomicFile: a failing fill removes the temp and keeps the old file", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "out.bin");
    await writeFileAtomic(path, "old");
    await assertRejects(
      () =>
        withAtomicFile(path, async (file) => {
          await file.write(new TextEncoder().encode("half"));
          throw new Error("disk full");
        }),
      Error,
      "disk full",
    );
    assertEquals(await Deno.readTextFile(path), "old");
    assertEquals(await names(dir), ["out.bin"]);
  });
});

Deno.test("a failing rename removes the temp (commitTempFile) and rethrows", async () => {
  await withTempDir(async (dir) => {
    // A non-empty folder under the final name: the rename over it fails.
    const path = join(dir, "taken");
    await Deno.mkdir(join(path, "inner"), { recursive: true });
    await assertRejects(() => writeFileAtomic(path, "x"), Error);
    assertEquals(await names(dir), ["taken"]);
    const tmp = tempPathFor(join(dir, "other"));
    await Deno.writeTextFile(tmp, "y");
    await assertRejects(() => commitTempFile(tmp, path), Error);
    assertEquals(await names(dir), ["taken"]);
  });
});

Deno.test("tempPathFor names a sibling `<path>.tmp-<pid>`; tempPath overrides it", async () => {
  assertEquals(tempPathFor("/a/b.tfrecord"), `/a/b.tfrecord.tmp-${Deno.pid}`);
  await withTempDir(async (dir) => {
    const seen: string[] = [];
    await withAtomicFile(join(dir, "latest"), async (file) => {
      seen.push(...await names(dir));
      await file.write(Uint8Array.of(65));
    }, { tempPath: join(dir, ".latest.tmp-1") });
    assertEquals(seen, [".latest.tmp-1"]);
    assertEquals(await names(dir), ["latest"]);
  });
});

Deno.test("commitTempDir replaces a folder, keeping the old one when the rename fails", async () => {
  await withTempDir(async (dir) => {
    const final = join(dir, "step"), tmp = join(dir, ".step.tmp"), aside = join(dir, ".step.old");
    await Deno.mkdir(tmp);
    await Deno.writeTextFile(join(tmp, "f"), "1");
    await commitTempDir(tmp, final, aside); // nothing to replace
    await Deno.mkdir(tmp);
    await Deno.writeTextFile(join(tmp, "f"), "2");
    await commitTempDir(tmp, final, aside);
    assertEquals(await Deno.readTextFile(join(final, "f")), "2");
    assertEquals(await names(dir), ["step"]);
    // No temp folder to rename: the old folder is put back and the error rethrown.
    await assertRejects(() => commitTempDir(join(dir, ".missing"), final, aside), Error);
    assertEquals(await Deno.readTextFile(join(final, "f")), "2");
    assertEquals(await names(dir), ["step"]);
  });
});
