import { assertEquals } from "../../tests/support/assert.ts";
import { closestMatch, describeValue, editDistance } from "./config_error.ts";

Deno.test("editDistance counts edits and neighbour swaps", () => {
  assertEquals(editDistance("", "abc"), 3);
  assertEquals(editDistance("kitten", "sitting"), 3);
  assertEquals(editDistance("flpi", "flip"), 1);
  assertEquals(editDistance("same", "same"), 0);
});

Deno.test("closestMatch suggests only likely typos", () => {
  const keys = ["batch_size", "base_lr", "epochs", "flip"];
  assertEquals(closestMatch("batchsize", keys), "batch_size");
  assertEquals(closestMatch("BatchSize", keys), "batch_size");
  assertEquals(closestMatch("epoch", keys), "epochs");
  assertEquals(closestMatch("learning_rate", keys), undefined);
  assertEquals(closestMatch("xy", keys), undefined);
});

Deno.test("describeValue shows value and type", () => {
  assertEquals(describeValue("five"), `"five" (string)`);
  assertEquals(describeValue(0.5), "0.5 (number)");
  assertEquals(describeValue(null), "null");
  assertEquals(describeValue([1, 2]), "[1,2] (array)");
  assertEquals(describeValue("x".repeat(100)).length, 60 + " (string)".length);
});
