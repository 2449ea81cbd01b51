import { join } from "node:path";
import { assertEquals } from "../../../tests/support/assert.ts";
import { encodeArcfaceExample, openTFRecordWriter } from "../../data/tfrecord/mod.ts";
import { tfrecordRecords } from "./tfrecord_view.ts";

Deno.test("tfrecordRecords lists the first records with their offsets and features", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "x.tfrecord");
    const w = await openTFRecordWriter(path);
    const jpeg = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 1, 2);
    for (let i = 0; i < 3; i++) {
      await w.write(encodeArcfaceExample({ label: i, filename: `p${i}/a.jpg`, encoded: jpeg }));
    }
    await w.close();
    const t = await tfrecordRecords(path, { count: 2 });
    const html = t.bundle["text/html"] as string;
    const rows = html.match(/<tr>/g)?.length ?? 0;
    assertEquals(rows, 3, html); // header + 2 records
    const cells = (i: number) =>
      [...html.split("<tr>")[i + 2].matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]);
    for (
      const s of ["p0/a.jpg", "p1/a.jpg", "6 bytes (jpeg)", "The first 2 records of x.tfrecord"]
    ) {
      if (!html.includes(s)) throw new Error(`missing ${s}: ${html}`);
    }
    // Equal records: the second starts a third into the file; 16 bytes of framing each.
    const size = (await Deno.stat(path)).size / 3;
    assertEquals(cells(1).slice(0, 5), ["x.tfrecord", "1", String(size), String(size - 16), "1"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
