import { join } from "node:path";
import { assert, assertEquals, assertThrows } from "../../../tests/support/assert.ts";
import { ConvertError } from "./errors.ts";
import { convertImages } from "./convert.ts";
import { parseKFaceList, parseKFaceSpec, scanKFace } from "./kface.ts";
import { readLabelsTsv } from "./labels_tsv.ts";
import { readAll, withTempDir } from "../../../tests/support/convert_data.ts";
import { lfwImagesDir } from "../../../tests/support/shared_data.ts";

Deno.test("K-Face selection spec parsing", () => {
  assertEquals(parseKFaceList("S", "S001-S003,S005"), [1, 2, 3, 5]);
  assertEquals(parseKFaceList("L", "L1-L3,2"), [1, 2, 3]);
  assertEquals(parseKFaceList("C", "c4-C6"), [4, 5, 6]);
  assertEquals(parseKFaceList("E", "01"), [1]);
  assertThrows(() => parseKFaceList("E", "E04"), ConvertError);
  assertThrows(() => parseKFaceList("L", "5-2"), ConvertError);
  const { root, selection } = parseKFaceSpec("kface:/x/High?S=1&L=1-10&E=E01&C=4-10");
  assertEquals(root, "/x/High");
  assertEquals(selection, {
    accessories: [1],
    lights: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    expressions: [1],
    poses: [4, 5, 6, 7, 8, 9, 10],
  });
  const all = parseKFaceSpec("kface:/x").selection;
  assertEquals([
    all.accessories.length,
    all.lights.length,
    all.expressions.length,
    all.poses.length,
  ], [6, 30, 3, 20]);
  assertThrows(() => parseKFaceSpec("kface:/x?Q=1"), ConvertError);
  // alignment keys: aligned with the arcface template by default
  assertEquals(parseKFaceSpec("kface:/x?S=1").align, {
    raw: false,
    template: "arcface",
    boxFormat: "auto",
    detector: "ssd",
    sameCamera: false,
    policy: "largest",
    minScore: 0.5,
    size: 112,
  });
  assertEquals(
    parseKFaceSpec(
      "kface:/x?template=arcface_96&box=xyxy&raw=1&detector=tiny&same_camera=1&policy=central" +
        "&min_score=0.7&size=96&workers=2",
    ).align,
    {
      raw: true,
      template: "arcface_96",
      boxFormat: "xyxy",
      detector: "tiny",
      sameCamera: true,
      policy: "central",
      minScore: 0.7,
      size: 96,
      workers: 2,
    },
  );
  assertThrows(() => parseKFaceSpec("kface:/x?template=dlib"), ConvertError);
  for (
    const bad of ["min_score=2", "min_score=", "size=1.5", "size=8", "workers=0", "policy=first"]
  ) {
    assertThrows(() => parseKFaceSpec(`kface:/x?${bad}`), ConvertError, bad.split("=")[0]);
  }
});

/** 3 IDs x S001-S002 x L1-L2 x E01 x C1-C3 of LFW images, plus a bbox .txt beside them. */
async function kfaceTree(tmp: string): Promise<{ root: string; ids: string[] }> {
  const lfw = lfwImagesDir()!;
  const src = [
    "AJ_Cook/AJ_Cook_0001.jpg",
    "AJ_Lamas/AJ_Lamas_0001.jpg",
    "Aaron_Eckhart/Aaron_Eckhart_0001.jpg",
  ];
  const root = join(tmp, "High");
  const ids = ["19062421", "19062431", "19071131"];
  for (const [i, id] of ids.entries()) {
    for (const s of ["S001", "S002"]) {
      for (const l of ["L1", "L2"]) {
        const dir = join(root, id, s, l, "E01");
        await Deno.mkdir(dir, { recursive: true });
        for (const c of ["C1", "C2", "C3"]) {
          await Deno.symlink(join(lfw, src[i]), join(dir, `${c}.jpg`));
        }
        await Deno.writeTextFile(join(dir, "C1.txt"), "10 10 50 50\n");
      }
    }
  }
  return { root, ids };
}

Deno.test({
  name: "K-Face tree: selection counts, labels and names; convert accepts kface: sources",
  ignore: !lfwImagesDir(),
  fn: () =>
    withTempDir(async (tmp) => {
      const { root, ids } = await kfaceTree(tmp);
      const all = await scanKFace(root, parseKFaceSpec(`kface:${root}`).selection);
      assertEquals(all.identities.map((i) => i.identity), ids);
      assertEquals(all.identities.map((i) => i.files.length), [12, 12, 12]);
      assertEquals(all.identities[0].files.slice(0, 4).map((f) => f.name), [
        `${ids[0]}/S001/L1/E01/C1.jpg`,
        `${ids[0]}/S001/L1/E01/C2.jpg`,
        `${ids[0]}/S001/L1/E01/C3.jpg`,
        `${ids[0]}/S001/L2/E01/C1.jpg`,
      ]);
      const spec = `kface:${root}?S=S002&L=1-2&E=E01&C=C2-C3`;
      const some = await scanKFace(root, parseKFaceSpec(spec).selection);
      assertEquals(some.identities.map((i) => i.files.length), [4, 4, 4]);
      assert(some.identities.every((i) =>
        i.files.every((f) => /\/S002\/L[12]\/E01\/C[23]\.jpg$/.test(f.name))
      ));

      // raw=1: whole frames, as before alignment existed (the aligned path is tested in
      // kface_align_test.ts; these LFW crops with a made-up box file are not real frames).
      const s = await convertImages(`${spec}&raw=1`, join(tmp, "kface.tfrecord"));
      assertEquals([s.identities, s.images, s.sources[0]], [3, 12, `${spec}&raw=1`]);
      const labels = await readLabelsTsv(s.labelsFile);
      assertEquals(
        labels.map((l) => [l.label, l.identity, l.count]),
        ids.map((id, i) => [i, id, 4]),
      );
      for (const ex of await readAll(s.outputs)) {
        assertEquals(ex.filename!.split("/")[0], ids[ex.label]);
      }
      // a selection that matches nothing on disk leaves every identity empty: an error
      await convertImages(`kface:${root}?E=2&raw=1`, join(tmp, "none.tfrecord")).then(
        () =>
          assert(false, "expected an error"),
        (e) => assert(e instanceof ConvertError && e.message.includes("empty identity"), String(e)),
      );
    }),
});
