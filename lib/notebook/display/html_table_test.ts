import { assertEquals } from "../../../tests/support/assert.ts";
import { textTable } from "../../format/text_table.ts";
import { htmlTable } from "./html_table.ts";

Deno.test("htmlTable's text/plain side is the textTable under its caption", () => {
  const t = htmlTable([{ k: "x", v: 1.5 }, { k: "yy", v: null }], { caption: "C" });
  assertEquals(t.bundle["text/plain"], "C\n" + textTable(["k", "v"], [["x", "1.5"], ["yy", "–"]]));
});
