import { join } from "node:path";
import { assert, assertEquals } from "../../../tests/support/assert.ts";
import { fakeLibs, fakeSystem, makeFakeTfjsNode } from "../../../tests/support/tfjs_node_layout.ts";
import { CUDA_LIBS } from "./cuda_libs.ts";
import { diagnoseTfjsNode, tfjsNodeProblemText } from "./diagnose.ts";

const H200 = "NVIDIA H200, 550.54.15, 9.0\n";
const ALL = CUDA_LIBS.map((l) => l.name);

async function withRoot(fn: (root: string) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "tfnode_" });
  try {
    await fn(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

/** A GPU install whose CUDA libs are all on LD_LIBRARY_PATH and a new driver: only `change` differs. */
async function gpuDiagnosis(
  root: string,
  libs: readonly string[] = ALL,
  smi: string | null = H200,
) {
  const cuda = await fakeLibs(join(root, "cuda11"), libs);
  return await diagnoseTfjsNode({
    root,
    runtimeNapi: 10,
    sitePackages: [],
    system: fakeSystem({ nvidiaSmi: smi, env: { LD_LIBRARY_PATH: cuda } }),
  });
}

Deno.test("diagnoseTfjsNode: a complete GPU install has no problems", async () => {
  await withRoot(async (root) => {
    await makeFakeTfjsNode(root);
    const d = await gpuDiagnosis(root);
    assertEquals(d.problems, []);
    assertEquals(d.package?.name, "@tensorflow/tfjs-node-gpu");
    assertEquals(d.package?.version, "4.22.0");
    assert(d.binding?.inPlace);
    assertEquals(d.cudaLibs.filter((l) => l.found).length, CUDA_LIBS.length);
    assertEquals(d.driver?.version, "550.54.15");
    assertEquals(d.driver?.computeCapabilities, ["9.0"]);
  });
});

Deno.test("diagnoseTfjsNode: package absent names both packages and the install commands", async () => {
  await withRoot(async (root) => {
    const d = await diagnoseTfjsNode({ root, system: fakeSystem() });
    assertEquals(d.problems.map((p) => p.kind), ["package-absent"]);
    const text = tfjsNodeProblemText(d);
    assert(text.includes("npm install @tensorflow/tfjs-node-gpu@4.22.0"), text);
    assert(text.includes("--foreground-scripts"), text);
    assert(text.includes("deno install --allow-scripts=npm:@tensorflow/tfjs-node-gpu"), text);
    assert(text.includes(join(root, "node_modules")), text);
  });
});

Deno.test("diagnoseTfjsNode: binding absent says the install script did not run", async () => {
  await withRoot(async (root) => {
    await makeFakeTfjsNode(root, { bindingIn: [] });
    const d = await gpuDiagnosis(root);
    assertEquals(d.problems.map((p) => p.kind), ["binding-absent"]);
    assert(d.problems[0].what.includes("tfjs_binding.node"), d.problems[0].what);
    assertEquals(d.problems[0].effect, "cannot-load");
    assert(d.problems[0].fix.includes("npm rebuild @tensorflow/tfjs-node-gpu"), d.problems[0].fix);
    assert(d.problems[0].fix.includes("--allow-scripts=npm:"), d.problems[0].fix);
  });
});

Deno.test("diagnoseTfjsNode: binding in another napi folder points at the fix task", async () => {
  await withRoot(async (root) => {
    const dir = await makeFakeTfjsNode(root, { bindingIn: ["lib/napi-v6"] });
    const d = await gpuDiagnosis(root);
    assertEquals(d.problems.map((p) => p.kind), ["binding-misplaced"]);
    assertEquals(d.binding?.expected, join(dir, "lib", "napi-v8", "tfjs_binding.node"));
    assert(d.problems[0].what.includes(join(dir, "lib", "napi-v6")), d.problems[0].what);
    assert(d.problems[0].fix.includes("deno task fix-tfjs-node"), d.problems[0].fix);
  });
});

Deno.test("diagnoseTfjsNode: a runtime older than every napi version of the package", async () => {
  await withRoot(async (root) => {
    await makeFakeTfjsNode(root);
    const d = await diagnoseTfjsNode({
      root,
      runtimeNapi: 2,
      system: fakeSystem(),
      sitePackages: [],
    });
    assertEquals(d.problems[0].kind, "napi-unsupported");
  });
});

Deno.test("diagnoseTfjsNode: libtensorflow absent names the files and the mirror variable", async () => {
  await withRoot(async (root) => {
    const dir = await makeFakeTfjsNode(root, { libtensorflow: "none" });
    const d = await gpuDiagnosis(root);
    assertEquals(d.problems.map((p) => p.kind), ["libtensorflow-absent"]);
    const p = d.problems[0];
    assert(
      p.what.includes("libtensorflow.so.2") && p.what.includes(join(dir, "deps", "lib")),
      p.what,
    );
    assert(p.fix.includes("TFJS_NODE_CDN_STORAGE"), p.fix);
    assert(p.fix.includes("libtensorflow.so.2.9.1"), p.fix);
  });
});

Deno.test("diagnoseTfjsNode: libtensorflow without its .so.2 links says how to make them", async () => {
  await withRoot(async (root) => {
    await makeFakeTfjsNode(root, { libtensorflow: "versioned-only" });
    const d = await gpuDiagnosis(root);
    assertEquals(d.problems.map((p) => p.kind), ["libtensorflow-absent"]);
    assert(
      d.problems[0].fix.includes("ln -sf libtensorflow.so.2.9.1 libtensorflow.so.2"),
      d.problems[0].fix,
    );
  });
});

Deno.test("diagnoseTfjsNode: a missing CUDA library is named, the found ones are not", async () => {
  await withRoot(async (root) => {
    await makeFakeTfjsNode(root);
    const d = await gpuDiagnosis(root, ALL.filter((n) => n !== "libcudnn.so.8"));
    assertEquals(d.problems.map((p) => p.kind), ["cuda-lib-absent"]);
    const p = d.problems[0];
    assert(p.what.includes("libcudnn.so.8"), p.what);
    assert(!p.what.includes("libcudart.so.11.0"), p.what);
    assert(p.fix.includes("nvidia-cudnn-cu11<9") && p.fix.includes("LD_LIBRARY_PATH"), p.fix);
    assertEquals(d.cudaLibs.find((l) => l.name === "libcudnn.so.8")?.found, false);
    assertEquals(p.effect, "no-gpu"); // TensorFlow would load and run on the CPU
  });
});

Deno.test("diagnoseTfjsNode: CUDA 12 only (no .so.11 files) lists every CUDA 11 library", async () => {
  await withRoot(async (root) => {
    await makeFakeTfjsNode(root);
    const d = await gpuDiagnosis(root, ["libcudart.so.12", "libcublas.so.12", "libcudnn.so.9"]);
    assertEquals(d.problems.map((p) => p.kind), ["cuda-lib-absent"]);
    for (const n of ALL) assert(d.problems[0].what.includes(n), n);
  });
});

Deno.test("diagnoseTfjsNode: libraries in the ldconfig cache count as found", async () => {
  await withRoot(async (root) => {
    await makeFakeTfjsNode(root);
    const dir = await fakeLibs(join(root, "sys"), ALL);
    const ldconfig = `${ALL.length} libs found in cache \`/etc/ld.so.cache'\n` +
      ALL.map((n) => `\t${n} (libc6,x86-64) => ${join(dir, n)}`).join("\n");
    const d = await diagnoseTfjsNode({
      root,
      runtimeNapi: 10,
      sitePackages: [],
      system: fakeSystem({ ldconfig, nvidiaSmi: H200 }),
    });
    assertEquals(d.problems, []);
    assert(d.cudaLibs.every((l) => l.via === "ldconfig"), JSON.stringify(d.cudaLibs));
  });
});

Deno.test("diagnoseTfjsNode: pip wheels installed but not on LD_LIBRARY_PATH give the export line", async () => {
  await withRoot(async (root) => {
    await makeFakeTfjsNode(root);
    const site = join(root, "site-packages");
    for (const l of CUDA_LIBS) await fakeLibs(join(site, "nvidia", l.wheelDir, "lib"), [l.name]);
    const d = await diagnoseTfjsNode({
      root,
      runtimeNapi: 10,
      sitePackages: [site],
      system: fakeSystem({ nvidiaSmi: H200 }),
    });
    assertEquals(d.problems.map((p) => p.kind), ["cuda-lib-off-path"]);
    assert(d.problems[0].fix.startsWith("export LD_LIBRARY_PATH="), d.problems[0].fix);
    assert(d.problems[0].fix.includes(join(site, "nvidia", "cudnn", "lib")), d.problems[0].fix);
  });
});

Deno.test("diagnoseTfjsNode: a driver older than CUDA 11's minimum is named with the minimum", async () => {
  await withRoot(async (root) => {
    await makeFakeTfjsNode(root);
    const d = await gpuDiagnosis(root, ALL, "Tesla K80, 418.67\n");
    assertEquals(d.problems.map((p) => p.kind), ["driver-too-old"]);
    assert(d.problems[0].what.includes("418.67") && d.problems[0].what.includes("450.80.02"));
  });
});

Deno.test("diagnoseTfjsNode: the GPU package without nvidia-smi says it would run on the CPU", async () => {
  await withRoot(async (root) => {
    await makeFakeTfjsNode(root);
    const d = await gpuDiagnosis(root, ALL, null);
    assertEquals(d.problems.map((p) => p.kind), ["driver-absent"]);
    assertEquals(d.driver, null);
  });
});

Deno.test("diagnoseTfjsNode: the CPU package checks no CUDA libraries and no driver", async () => {
  await withRoot(async (root) => {
    await makeFakeTfjsNode(root, { pkg: "@tensorflow/tfjs-node" });
    const d = await diagnoseTfjsNode({ root, runtimeNapi: 10, system: fakeSystem() });
    assertEquals(d.problems, []);
    assertEquals(d.cudaLibs, []);
    assertEquals(d.package?.gpu, false);
  });
});
