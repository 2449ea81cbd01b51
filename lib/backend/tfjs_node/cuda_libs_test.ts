import { assert, assertEquals } from "../../../tests/support/assert.ts";
import { compareVersions, parseLdconfig, parseNvidiaSmi } from "./cuda_libs.ts";

Deno.test("parseLdconfig reads soname => path, first entry wins, header skipped", () => {
  const map = parseLdconfig(
    "1234 libs found in cache `/etc/ld.so.cache'\n" +
      "\tlibcudart.so.11.0 (libc6,x86-64) => /usr/local/cuda-11.2/lib64/libcudart.so.11.0\n" +
      "\tlibcudart.so.11.0 (libc6,x86-64) => /opt/other/libcudart.so.11.0\n" +
      "\tlibc.so.6 (libc6,x86-64, OS ABI: Linux 3.2.0) => /lib/x86_64-linux-gnu/libc.so.6\n",
  );
  assertEquals(map.get("libcudart.so.11.0"), "/usr/local/cuda-11.2/lib64/libcudart.so.11.0");
  assertEquals(map.get("libc.so.6"), "/lib/x86_64-linux-gnu/libc.so.6");
  assertEquals(map.size, 2);
});

Deno.test("parseNvidiaSmi: name, driver, compute capability; several GPUs; old drivers", () => {
  const two = parseNvidiaSmi("NVIDIA H200, 550.54.15, 9.0\nNVIDIA H200, 550.54.15, 9.0\n");
  assertEquals(two?.gpus.length, 2);
  assertEquals(two?.ok, true);
  assertEquals(two?.computeCapabilities, ["9.0", "9.0"]);
  const old = parseNvidiaSmi("Tesla K80, 418.67\n");
  assertEquals(old?.ok, false);
  assertEquals(old?.computeCapabilities, []);
  assertEquals(parseNvidiaSmi("NVIDIA-SMI has failed because it couldn't communicate\n"), null);
});

Deno.test("compareVersions compares numerically, not as text", () => {
  assert(compareVersions("450.80.02", "450.80.02") === 0);
  assert(compareVersions("450.102.04", "450.80.02") > 0);
  assert(compareVersions("450.66", "450.80.02") < 0);
  assert(compareVersions("1000.1", "999.99.99") > 0);
});
