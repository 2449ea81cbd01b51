import { assert, assertEquals } from "../../../tests/support/assert.ts";
import { cellSyntaxError, codeCellSource, isGenericKernelError } from "./cell_syntax.ts";

Deno.test("cellSyntaxError names the SyntaxError, its line and the code; null when it parses", async () => {
  const bad = await cellSyntaxError("const a = 1;\nlet b = (2;\nconsole.log(a, b);\n");
  assert(bad !== null);
  assert(bad.startsWith("SyntaxError: "), bad);
  assert(bad.includes("line 2"), bad);
  assert(bad.includes("let b = (2;"), bad);
  assertEquals(await cellSyntaxError("const x = await Promise.resolve(1);\nx;\n"), null);
});

Deno.test("the failing code cell's source is found among markdown cells", () => {
  const nb = {
    cells: [
      { cell_type: "markdown", source: "# t" },
      { cell_type: "code", source: ["a\n", "b"] },
      { cell_type: "code", source: "c" },
    ],
  };
  assertEquals(codeCellSource(nb, 1), "a\nb");
  assertEquals(codeCellSource(nb, 2), "c");
  assertEquals(codeCellSource(nb, 3), null);
  assert(isGenericKernelError("notebook x: cell 2 failed: Error: Execution failed"));
});
