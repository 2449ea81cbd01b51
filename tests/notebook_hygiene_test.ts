/**
 * The committed notebooks carry no outputs, and their code cells type-check and lint (Deno's
 * checker does not read .ipynb: the cells are extracted into tests/.notebook_check/).
 */
import { basename, join } from "node:path";
import { assert, assertEquals } from "./support/assert.ts";
import { cellsWithOutputs, extractCode } from "../lib/notebook/check/mod.ts";
import { repoRoot } from "../lib/io/repo_root.ts";

const ROOT = repoRoot();
const DENO = join(ROOT, "deno");
const NOTEBOOKS = ["0_baseline", "1_reproduce", "2_kface"].map((n) =>
  join(ROOT, "notebooks", `${n}.ipynb`)
);
const OUT = join(ROOT, "tests", ".notebook_check");

async function extracted(): Promise<string[]> {
  await Deno.mkdir(OUT, { recursive: true });
  const files: string[] = [];
  for (const nb of NOTEBOOKS) {
    const json = JSON.parse(await Deno.readTextFile(nb));
    // notebooks/x.ipynb imports "../lib/..."; tests/.notebook_check/x.ts needs "../../lib/...".
    const code = extractCode(json, { file: nb, rewriteImport: (s) => `../${s}` });
    const file = join(OUT, `${basename(nb, ".ipynb")}.ts`);
    await Deno.writeTextFile(
      file,
      `// Extracted from notebooks/${basename(nb)}: do not edit.\n${code}`,
    );
    files.push(file);
  }
  return files;
}

async function run(args: string[]): Promise<{ code: number; out: string }> {
  const r = await new Deno.Command(DENO, {
    args,
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const dec = new TextDecoder();
  return { code: r.code, out: dec.decode(r.stdout) + dec.decode(r.stderr) };
}

Deno.test("the committed notebooks carry no outputs", async () => {
  for (const nb of NOTEBOOKS) {
    const cells = cellsWithOutputs(JSON.parse(await Deno.readTextFile(nb)), nb);
    assertEquals(cells, [], `${nb}: cells with outputs (clear them before committing)`);
  }
});

Deno.test("the notebooks' code cells type-check and lint", async () => {
  const files = await extracted();
  const check = await run(["check", ...files]);
  assertEquals(check.code, 0, check.out);
  const lint = await run(["lint", ...files]);
  assertEquals(lint.code, 0, lint.out);
  assert(/Checked 3 files/.test(lint.out), lint.out);
});

Deno.test("the check can fail: a type error in a cell is reported with its cell number", async () => {
  const bad = {
    nbformat: 4,
    cells: [{ cell_type: "code", source: ['const x: number = "no";\n', "x"], outputs: [] }],
  };
  await Deno.mkdir(OUT, { recursive: true });
  const file = join(OUT, "bad_fixture.ts");
  await Deno.writeTextFile(file, extractCode(bad));
  try {
    const r = await run(["check", file]);
    assert(r.code !== 0 && r.out.includes("TS2322"), r.out);
    assert(extractCode(bad).includes("// cell 1"));
  } finally {
    await Deno.remove(file);
  }
});
