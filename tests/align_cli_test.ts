/**
 * `deno task align` and `convert --align` end to end in subprocesses: exit 0, the summary on
 * stdout names the photo without a face, a rerun skips the done photos, and convert --align
 * (= the `aligned:` source) writes a TFRecord of the aligned crops with `<stem>.faces/0/` kept
 * beside it, the alignment counts in its summary and no `<stem>.aligned/` tree.
 *
 * @module
 */
import { join } from "node:path";
import { assert, assertEquals } from "./support/assert.ts";
import { readAll, withTempDir } from "./support/convert_data.ts";
import { lfwImagesDir } from "./support/shared_data.ts";
import { makeRawFaceTree } from "./support/raw_face_tree.ts";

const LFW = lfwImagesDir();

async function cli(name: string, args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(`../cli/${name}.ts`, import.meta.url).pathname, ...args],
    env: { NO_COLOR: "1" },
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test({
  name: "align CLI: crops + summary naming the no-face photo, rerun skips; convert --align",
  ignore: !LFW,
  async fn() {
    await withTempDir(async (dir) => {
      const raw = join(dir, "raw"), out = join(dir, "out");
      const made = await makeRawFaceTree(LFW!, raw, { people: 1, perPerson: 2, bad: true });
      const first = await cli("align", [raw, out, "--workers", "1"]);
      assertEquals(first.code, 0, first.stderr);
      const json = JSON.parse(first.stdout.slice(0, first.stdout.indexOf("\n}") + 2));
      assertEquals([json.photos, json.aligned, json.noFace, json.badFiles], [4, 2, 1, 1]);
      assert(first.stdout.includes(made.noFace!), first.stdout);
      assert(first.stdout.includes(made.notImage!), first.stdout);
      const again = await cli("align", [raw, out, "--workers", "1"]);
      assertEquals(again.code, 0, again.stderr);
      assert(/"skippedDone": 2/.test(again.stdout) && /"aligned": 0/.test(again.stdout));

      const tfr = join(dir, "x.tfrecord");
      const conv = await cli("convert", [
        raw,
        tfr,
        "--align",
        "--workers",
        "1",
        "--min-score",
        "0.6",
        "--no-shuffle",
        "--skip-bad",
      ]);
      assertEquals(conv.code, 0, conv.stderr);
      const spec = `aligned:${raw}?min_score=0.6&workers=1`;
      const sum = JSON.parse(await Deno.readTextFile(`${tfr}.summary.json`));
      assertEquals(sum.sources, [spec]);
      const counts = sum.alignment[spec].counts;
      assertEquals([counts.detector, counts.noFace, counts.badImage], [2, 1, 1]);
      assertEquals(sum.alignment[spec].options.minScore, 0.6);
      assert(conv.stdout.includes(made.noFace!), conv.stdout);
      const records = await readAll([tfr]);
      assertEquals(records.map((r) => r.filename), made.faces.map((f) => `${f.stem}.png`));
      for (const [i, f] of made.faces.entries()) {
        assertEquals(
          records[i].encoded,
          await Deno.readFile(join(dir, "x.faces", "0", `${f.stem}.png`)),
        );
      }
      assertEquals(await Deno.stat(join(dir, "x.aligned")).then(() => true, () => false), false);
    });
  },
});
