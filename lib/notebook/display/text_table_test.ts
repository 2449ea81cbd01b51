import { assertEquals } from "../../../tests/support/assert.ts";
import { htmlTable } from "./html_table.ts";
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

Deno.test("htmlTable's text/plain side is the textTable under its caption", () => {
  const t = htmlTable([{ k: "x", v: 1.5 }, { k: "yy", v: null }], { caption: "C" });
  assertEquals(t.bundle["text/plain"], "C\n" + textTable(["k", "v"], [["x", "1.5"], ["yy", "–"]]));
});
