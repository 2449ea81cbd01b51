import { join } from "node:path";
import { assertEquals, assertRejects, assertThrows } from "../../../tests/support/assert.ts";
import { ConvertError } from "./errors.ts";
import { parsePeopleList, scanPeopleList } from "./people_list.ts";
import { scanSource } from "./source_spec.ts";

async function tree(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "people_" });
  for (const [name, n] of [["Ann", 2], ["Bob", 1], ["Cid", 1]] as const) {
    await Deno.mkdir(join(dir, "images", name), { recursive: true });
    for (let i = 1; i <= n; i++) {
      await Deno.writeFile(
        join(dir, "images", name, `${name}_000${i}.jpg`),
        new Uint8Array([0xff, 0xd8, 0xff]),
      );
    }
  }
  return dir;
}

Deno.test("parsePeopleList reads the count line and name/count lines", () => {
  const m = parsePeopleList("2\nAnn\t2\nBob\t1\n", "p.txt");
  assertEquals([...m.entries()], [["Ann", 2], ["Bob", 1]]);
  assertThrows(() => parsePeopleList("2\nAnn two\n", "p.txt"), ConvertError, "p.txt:2");
});

Deno.test("lfw-people: keeps only the listed identities, through scanSource", async () => {
  const dir = await tree();
  try {
    await Deno.writeTextFile(join(dir, "people.txt"), "2\nAnn\t2\nCid\t1\n");
    const src = await scanSource(`lfw-people:${join(dir, "people.txt")}`);
    assertEquals(src.identities.map((i) => i.identity), ["Ann", "Cid"]);
    assertEquals(src.identities.map((i) => i.files.length), [2, 1]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("lfw-people: a listed person without a folder, or a wrong count, is an error", async () => {
  const dir = await tree();
  try {
    await Deno.writeTextFile(join(dir, "p1.txt"), "1\nZed\t1\n");
    await assertRejects(
      () => scanPeopleList(`lfw-people:${join(dir, "p1.txt")}`),
      ConvertError,
      "Zed",
    );
    await Deno.writeTextFile(join(dir, "p2.txt"), "1\nAnn\t3\n");
    await assertRejects(
      () => scanPeopleList(`lfw-people:${join(dir, "p2.txt")}`),
      ConvertError,
      "3 images",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
