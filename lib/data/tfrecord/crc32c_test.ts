import { assertEquals } from "../../../tests/support/assert.ts";
import { crc32c, maskCrc, maskedCrc32c } from "./crc32c.ts";

Deno.test("crc32c check value of '123456789' is 0xE3069283", () => {
  assertEquals(crc32c(new TextEncoder().encode("123456789")), 0xe3069283);
});

Deno.test("crc32c of the empty string is 0", () => {
  assertEquals(crc32c(new Uint8Array(0)), 0);
});

Deno.test("maskCrc follows the TFRecord definition", () => {
  const c = 0xe3069283;
  const expected = Number((((BigInt(c) >> 15n) | (BigInt(c) << 17n)) + 0xa282ead8n) & 0xffffffffn);
  assertEquals(maskCrc(c), expected);
  assertEquals(maskedCrc32c(new TextEncoder().encode("123456789")), expected);
  assertEquals(maskCrc(0), 0xa282ead8);
});
