import { assertEquals } from "../../tests/support/assert.ts";
import { textTable } from "./text_table.ts";

Deno.test("textTable pads each column to its widest cell, header included", () => {
  assertEquals(
    textTable(["set", "accuracy"], [["lfw", "99.50 +- 0.30"], ["agedb_30", "-"]]),
    [
      "| set      | accuracy      |",
      "|----------|---------------|",
      "| lfw      | 99.50 +- 0.30 |",
      "| agedb_30 | -             |",
    ].join("\n"),
  );
  assertEquals(textTable(["a"], []), "| a |\n|---|");
});
