import { assertEquals, assertThrows } from "../../../tests/support/assert.ts";
import { compareByteOrder } from "./byte_order.ts";
import { parsePgm, PgmError, sniffSourceImageFormat } from "./image_format.ts";
import { formatLabelsTsv, labelsPathFor, parseLabelsTsv } from "./labels_tsv.ts";
import { ConvertError } from "./errors.ts";
import { shardPaths } from "./sharded_output.ts";

Deno.test("byte order: code points, not UTF-16 units; uppercase before lowercase", () => {
  const names = ["b", "B", "a_1", "a", "\uffff", "\u{1F600}", "é", "10", "9"];
  assertEquals(names.sort(compareByteOrder), [
    "10",
    "9",
    "B",
    "a",
    "a_1",
    "b",
    "é",
    "\uffff",
    "\u{1F600}",
  ]);
});

Deno.test("PGM: P5 and P2 with comments, maxval scaling, errors", () => {
  const p5 = new Uint8Array([
    ...new TextEncoder().encode("P5\n# c\n3 2\n255\n"),
    0,
    1,
    2,
    3,
    4,
    255,
  ]);
  assertEquals(parsePgm(p5), { width: 3, height: 2, pixels: new Uint8Array([0, 1, 2, 3, 4, 255]) });
  assertEquals(sniffSourceImageFormat(p5), "pgm");
  const p2 = new TextEncoder().encode("P2 2 2 15\n0 15\n# x\n5 10\n");
  assertEquals(parsePgm(p2).pixels, new Uint8Array([0, 255, 85, 170]));
  assertThrows(() => parsePgm(p5.subarray(0, p5.length - 1)), PgmError);
  assertThrows(() => parsePgm(new TextEncoder().encode("P5 2 2 65535\n")), PgmError);
  assertEquals(sniffSourceImageFormat(new Uint8Array([0xff, 0xd8, 0xff, 0xe0])), "jpeg");
  assertEquals(
    sniffSourceImageFormat(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
    "png",
  );
  assertEquals(sniffSourceImageFormat(new TextEncoder().encode("GIF89a")), undefined);
});

Deno.test("labels.tsv round trip with escapes; bad files named", () => {
  const labels = [
    { label: 0, identity: "Tab\there", count: 3, source: "a\\b" },
    { label: 1, identity: "plain", count: 0, source: "x" },
  ];
  const text = formatLabelsTsv(labels);
  assertEquals(text.split("\n")[0], "label\tidentity\tcount\tsource");
  assertEquals(parseLabelsTsv(text, "f"), labels);
  assertEquals(
    formatLabelsTsv([{ label: 0, identity: "a", count: 1 }]),
    "label\tidentity\tcount\n0\ta\t1\n",
  );
  assertThrows(() => parseLabelsTsv("label\tidentity\tcount\n1\ta\t1\n", "f"), ConvertError);
  assertEquals(labelsPathFor("data/ms1m_bin.tfrecord"), "data/ms1m_bin.labels.tsv");
});

Deno.test("shard names", () => {
  assertEquals(shardPaths("d/x.tfrecord", 1), ["d/x.tfrecord"]);
  assertEquals(shardPaths("d/x.tfrecord", 2), [
    "d/x-00000-of-00002.tfrecord",
    "d/x-00001-of-00002.tfrecord",
  ]);
});
