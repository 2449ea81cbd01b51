import { join } from "node:path";
import { assert, assertEquals } from "../../tests/support/assert.ts";
import { createDetectorPool } from "./detector_pool.ts";

const DEMO = new URL("../../node_modules/@vladmandic/face-api/demo/", import.meta.url).pathname;

Deno.test({
  name: "detector pool: results in input order, an error entry for a bad file, progress",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await Deno.makeTempDir();
    const pool = await createDetectorPool({ workers: 2, backend: "wasm" });
    try {
      const bad = join(dir, "broken.jpg");
      await Deno.writeTextFile(bad, "not a jpeg");
      const paths = [
        join(DEMO, "sample2.jpg"),
        bad,
        join(DEMO, "sample5.jpg"),
        join(dir, "missing.png"),
        join(DEMO, "sample1.jpg"),
      ];
      const progress: number[] = [];
      const r = await pool.detectFiles(paths, { onProgress: (done) => progress.push(done) });
      assertEquals(r.map((x) => x.path), paths);
      assertEquals(progress, [1, 2, 3, 4, 5]);
      for (const i of [0, 2, 4]) {
        assertEquals(r[i].error, undefined);
        assert(r[i].faces.length >= 2, `${paths[i]}: ${r[i].faces.length} faces`);
        assertEquals(r[i].width, 1920);
        const a = r[i].faces[0].aligned;
        assertEquals([a.width, a.height, a.data.length], [112, 112, 112 * 112 * 3]);
      }
      assert(r[1].error?.includes("broken.jpg"), `bad file: ${r[1].error}`);
      assert(r[3].error?.includes("no such file"), `missing file: ${r[3].error}`);
      assertEquals(r[1].faces.length, 0);
    } finally {
      await pool.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
