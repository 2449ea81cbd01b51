import { assertEquals } from "../../tests/support/assert.ts";
import { fileSize } from "./file_size.ts";

Deno.test("fileSize: a file's bytes; a folder or a missing path: undefined", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(`${dir}/f`, new Uint8Array(7));
    assertEquals(await fileSize(`${dir}/f`), 7);
    assertEquals(await fileSize(dir), undefined);
    assertEquals(await fileSize(`${dir}/missing`), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
