import { assertEquals } from "../../tests/support/assert.ts";
import { parseDf } from "./doctor_probes.ts";

Deno.test("parseDf reads df -Pk's last line in 1024-byte blocks", () => {
  const d = parseDf(
    "Filesystem     1024-blocks     Used Available Capacity Mounted on\n" +
      "/dev/vda         264212084 30326500  76064412      29% /\n",
  );
  assertEquals(d, { availableBytes: 76064412 * 1024, totalBytes: 264212084 * 1024 });
  assertEquals(parseDf("garbage"), null);
});
