import { assert, assertEquals, assertThrows } from "../../../tests/support/assert.ts";
import {
  decodeExample,
  encodeExample,
  ExampleDecodeError,
  ExampleEncodeError,
} from "./example_codec.ts";
import {
  ArcfaceSchemaError,
  decodeArcfaceExample,
  encodeArcfaceExample,
} from "./arcface_schema.ts";

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join(" ");
const bytes = (...xs: number[]) => new Uint8Array(xs);
const text = (s: string) => new TextEncoder().encode(s);

Deno.test("encodeExample writes the hand-derived wire bytes", () => {
  // Example{features{feature{key:"a" value{int64_list{value:[1]}}}}}
  assertEquals(
    hex(encodeExample({ a: { kind: "int64", value: [1] } })),
    "0a 0c 0a 0a 0a 01 61 12 05 1a 03 0a 01 01",
  );
  // bytes_list ["xy"]
  assertEquals(
    hex(encodeExample({ b: { kind: "bytes", value: [text("xy")] } })),
    "0a 0d 0a 0b 0a 01 62 12 06 0a 04 0a 02 78 79",
  );
  // float_list [1.0], packed little-endian
  assertEquals(
    hex(encodeExample({ f: { kind: "float", value: [1] } })),
    "0a 0f 0a 0d 0a 01 66 12 08 12 06 0a 04 00 00 80 3f",
  );
  // int64 -1: 10-byte varint; packed length 10
  assertEquals(
    hex(encodeExample({ n: { kind: "int64", value: [-1] } })),
    "0a 15 0a 13 0a 01 6e 12 0e 1a 0c 0a 0a ff ff ff ff ff ff ff ff ff 01",
  );
  assertEquals(hex(encodeExample({})), "0a 00");
});

Deno.test("decodes a hand-built Example with unpacked ints, negative int64 and unknown fields", () => {
  const int64List = [
    0x08,
    ...[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], // -1
    0x08,
    0xac,
    0x02, // 300
    0x08,
    ...[0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10], // 2^60
    0x08,
    ...[0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01], // -2^63
    0x08,
    ...[0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f], // 127 * 2^56
  ]; // 11 + 3 + 10 + 11 + 10 = 45 bytes
  assertEquals(int64List.length, 45);
  const feature = [0x1a, 45, ...int64List]; // 47
  const entry = [0x0a, 0x01, 0x6e, 0x12, 47, ...feature]; // 52
  const floatFeature = [0x12, 10, 0x0d, 0, 0, 0x80, 0x3f, 0x0d, 0, 0, 0, 0xc0]; // unpacked 1, -2
  const floatEntry = [0x0a, 0x01, 0x66, 0x12, 12, ...floatFeature]; // 17
  const unknown = [0x18, 0x05]; // Features field 3, varint: skipped
  const features = [0x0a, 52, ...entry, 0x0a, 17, ...floatEntry, ...unknown];
  const example = bytes(0x0a, features.length, ...features, 0x10, 0x01); // + unknown field 2
  const f = decodeExample(example);
  assertEquals([...f.keys()], ["n", "f"]);
  const n = f.get("n")!;
  assertEquals(n.kind, "int64");
  assertEquals(n.value, [-1, 300, 1n << 60n, -(1n << 63n), 127n << 56n]);
  const fl = f.get("f")!;
  assertEquals(fl.kind, "float");
  assertEquals([...(fl.value as Float32Array)], [1, -2]);
});

Deno.test("round trip of every kind, int64 extremes and safe/unsafe boundaries", () => {
  const ints = [
    0,
    1,
    127,
    128,
    2 ** 31,
    2 ** 32,
    Number.MAX_SAFE_INTEGER,
    -Number.MAX_SAFE_INTEGER,
    -1,
    -(2 ** 32),
    (1n << 63n) - 1n,
    -(1n << 63n),
    1n << 53n,
  ];
  const big = new Uint8Array(70_000).map((_, i) => i & 255);
  const enc = encodeExample(
    new Map(
      [
        ["ints", { kind: "int64", value: ints }],
        ["floats", { kind: "float", value: new Float32Array([0.5, -1.25, 3e38]) }],
        ["bytes", { kind: "bytes", value: [new Uint8Array(0), text("héllo"), big] }],
        ["empty", { kind: "int64", value: [] }],
        ["ключ", { kind: "bytes", value: [] }],
      ] as const,
    ),
  );
  const dec = decodeExample(enc);
  assertEquals(dec.get("ints")!.value, ints);
  assertEquals([...(dec.get("floats")!.value as Float32Array)], [0.5, -1.25, Math.fround(3e38)]);
  assertEquals(dec.get("bytes")!.value, [new Uint8Array(0), text("héllo"), big]);
  assertEquals(dec.get("empty"), { kind: "int64", value: [] });
  assertEquals(dec.get("ключ"), { kind: "bytes", value: [] });
});

Deno.test("encode rejects unsafe numbers; decode rejects truncated messages with an offset", () => {
  assertThrows(() => encodeExample({ x: { kind: "int64", value: [2 ** 60] } }), ExampleEncodeError);
  assertThrows(() => encodeExample({ x: { kind: "int64", value: [1.5] } }), ExampleEncodeError);
  const good = encodeExample({ a: { kind: "bytes", value: [text("hello world")] } });
  const e = assertThrows(
    () => decodeExample(good.subarray(0, good.length - 3)),
    ExampleDecodeError,
  );
  assert(/at byte \d+/.test(e.message), e.message);
});

Deno.test("arcface binary and path schemas round trip; missing fields are named", () => {
  const img = bytes(0xff, 0xd8, 0xff, 0xe0, 1, 2, 3);
  const rec = encodeArcfaceExample({
    label: 42,
    filename: "Jane_Doe/Jane_Doe_0001.jpg",
    encoded: img,
  });
  assertEquals(decodeArcfaceExample(rec), {
    schema: "binary",
    label: 42,
    filename: "Jane_Doe/Jane_Doe_0001.jpg",
    encoded: img,
  });
  const keys = [...decodeExample(rec).keys()];
  assertEquals(keys, ["image/source_id", "image/filename", "image/encoded"]);
  const p = encodeArcfaceExample({ label: 7, imgPath: "/data/x/y.jpg" });
  assertEquals(decodeArcfaceExample(p), { schema: "path", label: 7, imgPath: "/data/x/y.jpg" });

  let e = assertThrows(
    () => decodeArcfaceExample(encodeExample({ "image/encoded": { kind: "bytes", value: [img] } })),
    ArcfaceSchemaError,
  );
  assert(e.message.includes("image/source_id") && e.message.includes("'image/encoded'"), e.message);
  e = assertThrows(
    () => decodeArcfaceExample(encodeExample({ "image/source_id": { kind: "int64", value: [1] } })),
    ArcfaceSchemaError,
  );
  assert(e.message.includes("image/img_path"), e.message);
});

Deno.test("decodes 200k small arcface records back to their labels and filenames", () => {
  // Its speed is measured in example_codec_bench.ts (`deno task bench-micro`), not asserted.
  const recs = Array.from(
    { length: 2000 },
    (_, i) =>
      encodeArcfaceExample({
        label: i * 37,
        filename: `Person_${i}/Person_${i}_0001.jpg`,
        encoded: new Uint8Array(64).fill(i & 255),
      }),
  );
  const n = 200_000;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += decodeArcfaceExample(recs[i % recs.length]).label;
  assertEquals(sum, 100 * 37 * (1999 * 2000) / 2);
  const r = decodeArcfaceExample(recs[1234]);
  assertEquals([r.label, r.filename, r.encoded?.length, r.encoded?.[0]], [
    1234 * 37,
    "Person_1234/Person_1234_0001.jpg",
    64,
    1234 & 255,
  ]);
});
