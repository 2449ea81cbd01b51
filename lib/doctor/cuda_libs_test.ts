import { assert, assertEquals } from "../../tests/support/assert.ts";
import { cudaLibsFix, findCudaLibs, parseLdconfig } from "./cuda_libs.ts";

Deno.test("findCudaLibs: LD_LIBRARY_PATH folders first, then the ldconfig cache; the fix names the wheels", async () => {
  const cache = parseLdconfig(
    "1234 libs found in cache `/etc/ld.so.cache'\n" +
      "\tlibcublas.so.11 (libc6,x86-64) => /usr/local/cuda-11.2/lib64/libcublas.so.11\n",
  );
  assertEquals(cache.get("libcublas.so.11"), "/usr/local/cuda-11.2/lib64/libcublas.so.11");
  const libs = await findCudaLibs(
    "\tlibcublas.so.11 (libc6,x86-64) => /usr/local/cuda-11.2/lib64/libcublas.so.11\n",
    {
      ldLibraryPath: "/nope:/venv/nvidia/cuda_runtime/lib",
      listDir: (d) =>
        Promise.resolve(d === "/venv/nvidia/cuda_runtime/lib" ? ["libcudart.so.11.0"] : []),
    },
  );
  const by = Object.fromEntries(libs.map((l) => [l.name, l.path ?? null]));
  assertEquals(by["libcudart.so.11.0"], "/venv/nvidia/cuda_runtime/lib/libcudart.so.11.0");
  assertEquals(by["libcublas.so.11"], "/usr/local/cuda-11.2/lib64/libcublas.so.11");
  assertEquals(by["libcudnn.so.8"], null);
  const fix = cudaLibsFix(["libcublas.so.11", "libcublasLt.so.11", "libcudnn.so.8"])!;
  assert(fix.includes("'nvidia-cublas-cu11' 'nvidia-cudnn-cu11==8.9.*'"), fix);
  assertEquals(cudaLibsFix([]), null);
});
