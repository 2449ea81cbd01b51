/**
 * Every CLI answers every row of the bad-input table (tests/support/bad_input_rows.ts) with a
 * named error: exit 1 or 2, no stack trace, and a message that mentions the offending path,
 * flag or key. Rows of behaviours another change fixes (`pending`) are skipped until it lands.
 */
import { assert, assertEquals } from "./support/assert.ts";
import { BAD_INPUTS } from "./support/bad_input_rows.ts";
import {
  classify,
  countLine,
  lfwFolder,
  markdownTable,
  runBadInputs,
} from "./support/bad_inputs.ts";

const haveLfw = await Deno.stat(lfwFolder()).then(() => true, () => false);

Deno.test("bad-input classifier: trace, silent, weak and named are told apart", () => {
  const row = BAD_INPUTS[0];
  const trace =
    "error: Uncaught (in promise) Error: No space left on device\n    at writeAll (file:///x.ts:55:3)";
  assertEquals(classify(row, 1, "", trace, ["--bogus-flag"]).verdict, "trace");
  assertEquals(classify(row, 0, "", "", ["--bogus-flag"]).verdict, "silent");
  assertEquals(classify(row, null, "", "", []).verdict, "silent");
  assertEquals(
    classify(row, 1, "", "convert: failed: No such file (os error 2): '--bogus-flag'", [
      "--bogus-flag",
    ])
      .verdict,
    "weak",
  );
  assertEquals(classify(row, 1, "", "convert: error", ["--bogus-flag"]).verdict, "vague");
  const raw = "make-bin: No such file or directory (os error 2): readfile '/x/--bogus-flag'";
  assertEquals(classify(row, 2, "", raw, ["--bogus-flag"]).verdict, "weak");
  assertEquals(
    classify(row, 2, "", "convert: unknown option '--bogus-flag'\n\nUsage: ...", ["--bogus-flag"])
      .verdict,
    "named",
  );
});

Deno.test({
  name: "bad inputs: every CLI gives a named error for every row of the table",
  ignore: !haveLfw,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const rows = BAD_INPUTS.filter((r) => !r.pending);
    assert(BAD_INPUTS.length >= 76, `only ${BAD_INPUTS.length} rows`);
    const results = await runBadInputs({ rows, concurrency: 3 });
    const bad = results.filter((r) => r.verdict !== "named");
    if (bad.length > 0) {
      const detail = bad.map((r) =>
        `${r.row.id} (${r.verdict}, exit ${r.code}, missing ${JSON.stringify(r.missing)}):\n` +
        r.output.split("\n").slice(0, 8).join("\n")
      ).join("\n\n");
      throw new Error(`${countLine(results)}\n${markdownTable(bad)}\n\n${detail}`);
    }
  },
});
