/**
 * Decode speed of small arcface records (the throughput check that used to be a timed test):
 * `deno task bench-micro`. One iteration decodes one record, so Deno's iter/s is records/s
 * (about 100k+ on the development machine; a figure to watch, not a pass mark).
 *
 * @module
 */
import { decodeArcfaceExample, encodeArcfaceExample } from "./arcface_schema.ts";

const recs = Array.from(
  { length: 2000 },
  (_, i) =>
    encodeArcfaceExample({
      label: i * 37,
      filename: `Person_${i}/Person_${i}_0001.jpg`,
      encoded: new Uint8Array(64).fill(i & 255),
    }),
);
let next = 0;

Deno.bench("decodeArcfaceExample: one small arcface record (64-byte image)", () => {
  decodeArcfaceExample(recs[next++ % recs.length]);
});
