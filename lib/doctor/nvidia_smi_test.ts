import { assert, assertEquals } from "../../tests/support/assert.ts";
import { computeCapNote, driverRunsCuda11, parseNvidiaGpus } from "./nvidia_smi.ts";

Deno.test("parseNvidiaGpus reads one GPU per line; sm_90 gets the PTX note, sm_80 none", () => {
  const gpus = parseNvidiaGpus(
    "NVIDIA H200, 550.54.15, 9.0, 143771 MiB\nNVIDIA A100-SXM4-80GB, 535.104.05, 8.0, 81920 MiB\n",
  );
  assertEquals(gpus.map((g) => [g.name, g.computeCap, g.memoryMiB]), [
    ["NVIDIA H200", "9.0", 143771],
    ["NVIDIA A100-SXM4-80GB", "8.0", 81920],
  ]);
  assert(computeCapNote(gpus[0])!.includes("PTX JIT"));
  assertEquals(computeCapNote(gpus[1]), null);
});

Deno.test("driverRunsCuda11: 450.80.02 and newer, numerically", () => {
  assert(driverRunsCuda11("450.80.02"));
  assert(driverRunsCuda11("550.54.15"));
  assert(driverRunsCuda11("1000.1"));
  assert(!driverRunsCuda11("450.51.06"));
  assert(!driverRunsCuda11("418.67"));
});
