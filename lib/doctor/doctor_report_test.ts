import { assert, assertEquals } from "../../tests/support/assert.ts";
import type { CommandOutput, SystemView } from "../backend/tfjs_node/mod.ts";
import type { BackendProbeResult } from "./backend_probe.ts";
import type { DoctorProbes } from "./doctor_probes.ts";
import { type DoctorReport, doctorReport } from "./doctor_report.ts";
import { DOCTOR_SECTIONS, renderDoctorTable } from "./doctor_table.ts";

const ROOT = "/fake/repo";
const PIN = JSON.stringify({
  dependencies: { "@tensorflow/tfjs-core": "4.22.0", "@tensorflow/tfjs-backend-wasm": "4.22.0" },
  devDependencies: { deno: "2.9.6" },
});
const H200 = "NVIDIA H200, 550.54.15, 9.0, 143771 MiB\n";
const DF = "Filesystem 1024-blocks Used Available Capacity Mounted on\n" +
  "/dev/vda 1073741824 536870912 536870912 50% /\n";
const WASM_ONLY: BackendProbeResult = {
  backends: [
    { name: "tensorflow", available: false, detail: "tfjs-node cannot load: neither ..." },
    { name: "webgpu", available: false, detail: "the only WebGPU adapter is a software renderer" },
    { name: "wasm", available: true, detail: "asked for by name" },
    { name: "cpu", available: true, detail: "asked for by name" },
  ],
  adapters: [{ name: "llvmpipe (LLVM 15)", vendor: "65541", architecture: "", software: true }],
  adaptersNote: null,
};

/** A fake machine's files and command answers (undefined command: not installed). */
interface FakeMachine {
  files?: Record<string, string>;
  nvidiaSmi?: string | { code: number };
  ldconfig?: string;
  df?: string;
  dpkg?: (name: string) => string | undefined;
  env?: Record<string, string>;
}

/** A SystemView that reads only `m` (nothing of the real machine). */
function fakeSystem(m: FakeMachine): SystemView {
  const files: Record<string, string> = {
    [`${ROOT}/package.json`]: PIN,
    ...Object.fromEntries(
      [
        "tfjs-core",
        "tfjs-layers",
        "tfjs-converter",
        "tfjs-backend-cpu",
        "tfjs-backend-wasm",
        "tfjs-backend-webgpu",
      ].map((p) => [`${ROOT}/node_modules/@tensorflow/${p}/package.json`, '{"version":"4.22.0"}']),
    ),
    ...m.files,
  };
  const out = (stdout: string | undefined, code = 0): Promise<CommandOutput | undefined> =>
    Promise.resolve(stdout === undefined ? undefined : { code, stdout });
  return {
    exists: (p) =>
      Promise.resolve(p in files || Object.keys(files).some((f) => f.startsWith(p + "/"))),
    readText: (p) => Promise.resolve(files[p]),
    listDir: (d) =>
      Promise.resolve([
        ...new Set(
          Object.keys(files).filter((f) => f.startsWith(d + "/")).map((f) =>
            f.slice(d.length + 1).split("/")[0]
          ),
        ),
      ]),
    run: (cmd, args) => {
      if (cmd === "nvidia-smi") {
        const a = m.nvidiaSmi;
        return typeof a === "object" ? out("", a.code) : out(a);
      }
      if (cmd.endsWith("ldconfig")) return out(m.ldconfig ?? "");
      if (cmd === "df") return out(m.df ?? DF);
      if (cmd === "dpkg-query") {
        const v = (m.dpkg ?? (() => "1.0"))(args[args.length - 1]);
        return v === undefined ? out("", 1) : out(`install ok installed\t${v}`);
      }
      return out(undefined); // python3 etc.: not installed
    },
    env: (n) => m.env?.[n],
  };
}

/** A machine: everything fine and no GPU, unless `m` / `over` say otherwise. */
function fakeMachine(m: FakeMachine = {}, over: Partial<DoctorProbes> = {}): DoctorProbes {
  return {
    root: ROOT,
    system: fakeSystem(m),
    sitePackages: [],
    denoVersion: () => "2.9.6",
    backends: () => Promise.resolve(WASM_ONLY),
    cores: () => 16,
    memory: () => ({ totalBytes: 128 * 2 ** 30, availableBytes: 100 * 2 ** 30 }),
    profileMissing: () => [],
    ...over,
  };
}

const whats = (r: DoctorReport) => r.problems.map((p) => `${p.what} => ${p.fix}`).join("\n");

Deno.test("doctor: a healthy machine without GPU: no problems, every section rendered, auto = wasm", async () => {
  const r = await doctorReport(fakeMachine());
  assertEquals(r.problems, []);
  assertEquals(r.nvidia, null);
  assertEquals(r.auto.backend, "wasm");
  const text = renderDoctorTable(r);
  for (const s of DOCTOR_SECTIONS) assert(text.includes(`## ${s}\n`), s);
  assert(text.includes("nvidia-smi is not installed"), text);
  assert(text.includes("Mesa (0x10005)"), text);
  assert(text.includes("| software |"), text);
  assert(text.endsWith("doctor: no problems"), text);
});

Deno.test("doctor: the report round-trips through JSON with every field", async () => {
  const r = JSON.parse(JSON.stringify(await doctorReport(fakeMachine())));
  for (
    const k of [
      "versions",
      "auto",
      "backends",
      "webgpu",
      "nvidia",
      "tensorflow",
      "system",
      "profiles",
      "packages",
      "problems",
    ]
  ) assert(k in r, k);
  assertEquals(r.versions.deno, { name: "deno", installed: "2.9.6", pinned: "2.9.6" });
  assertEquals(r.backends.map((b: { name: string }) => b.name), [
    "tensorflow",
    "webgpu",
    "wasm",
    "cpu",
  ]);
  assertEquals(r.system.cores, 16);
  assertEquals(r.cudaLibs.length, 8);
  assertEquals(r.profiles.map((p: { name: string }) => p.name), ["demo", "paper", "tiny"]);
});

Deno.test("doctor: an H200 without CUDA 11 libraries: GPU, driver, sm_90 PTX note, each missing library with its pip wheel", async () => {
  const r = await doctorReport(fakeMachine({
    nvidiaSmi: H200,
    ldconfig: "\tlibcudart.so.12 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcudart.so.12\n" +
      "\tlibcudnn.so.8 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcudnn.so.8\n",
    files: {
      "/usr/lib/x86_64-linux-gnu/libcudnn.so.8": "fake",
      "/venv/sp/nvidia/cuda_runtime/lib/libcudart.so.11.0": "fake", // a wheel, off the path
    },
  }, { sitePackages: ["/venv/sp"] }));
  assertEquals(r.nvidia?.gpus, [{
    name: "NVIDIA H200",
    driver: "550.54.15",
    computeCap: "9.0",
    memoryMiB: 143771,
  }]);
  assert(r.nvidia!.notes[0].includes("sm_90") && r.nvidia!.notes[0].includes("PTX"));
  const cudnn = r.cudaLibs.find((l) => l.name === "libcudnn.so.8");
  assertEquals(cudnn?.path, "/usr/lib/x86_64-linux-gnu/libcudnn.so.8");
  const w = whats(r);
  assert(w.includes("needs are not found: libcublas.so.11,"), w); // CUDA 12 libs do not count
  assert(!/not found: [^=]*libcudnn\.so\.8/.test(w), w);
  assert(w.includes("pip install 'nvidia-cuda-runtime-cu11'"), w);
  assert(
    w.includes("libcudart.so.11.0 (/venv/sp/nvidia/cuda_runtime/lib/libcudart.so.11.0) exist") &&
      w.includes("export LD_LIBRARY_PATH=/venv/sp/nvidia/cuda_runtime/lib:$LD_LIBRARY_PATH"),
    w,
  );
  assert(w.includes("npm install @tensorflow/tfjs-node-gpu@4.22.0"), w);
  assert(!w.includes("driver 550"), w); // 550 runs CUDA 11
  const text = renderDoctorTable(r);
  assert(text.includes("| NVIDIA H200 | 550.54.15 | 9.0 (sm_90)"), text);
  assert(text.includes("note: NVIDIA H200 is sm_90"), text);
});

Deno.test("doctor: a driver too old for CUDA 11.2 and a failing nvidia-smi are problems with fixes", async () => {
  const old = await doctorReport(fakeMachine({
    nvidiaSmi: "Tesla K80, 418.67, 3.7, 11441 MiB\n",
  }));
  assert(/driver 418\.67 .*older than 450\.80\.02/.test(whats(old)), whats(old));
  assert(whats(old).includes("install an NVIDIA driver >= 450.80.02"), whats(old));
  const failed = await doctorReport(fakeMachine({
    nvidiaSmi: { code: 9 },
  }));
  assert(whats(failed).includes("driver is not loaded"), whats(failed));
});

Deno.test("doctor: a missing data set, a full disk, low memory, a missing package, a stale npm install", async () => {
  const r = await doctorReport(fakeMachine({
    df: "Filesystem 1024-blocks Used Available Capacity Mounted on\n" +
      "/dev/vda 1073741824 1073639424 102400 100% /\n",
    dpkg: (n) => n === "chromium" ? undefined : "7.4.9-2",
    files: { [`${ROOT}/node_modules/@tensorflow/tfjs-core/package.json`]: '{"version":"4.21.0"}' },
  }, {
    profileMissing: (n) =>
      n === "paper" ? ["/data/agedb_30.bin — set ARCFACE_TEST_DATASET to its folder"] : [],
    memory: () => ({ totalBytes: 8 * 2 ** 30, availableBytes: 2 ** 30 }),
  }));
  const w = whats(r);
  assert(w.includes("profile paper: /data/agedb_30.bin is missing => set ARCFACE_TEST_DATASET"), w);
  assert(w.includes("only 0.1 GiB free under /fake/repo/results"), w);
  assert(w.includes("only 1.0 GiB of memory available"), w);
  assert(
    w.includes("chromium is not installed") && w.includes("sudo apt-get install -y chromium"),
    w,
  );
  assert(w.includes("tfjs-core 4.21.0 is installed, package.json pins 4.22.0 => npm ci"), w);
  assertEquals(r.problems.length, 5, w);
  assertEquals(r.profiles.find((p) => p.name === "paper")?.ready, false);
  const text = renderDoctorTable(r);
  assert(text.endsWith("doctor: 5 problems (fixes above)"), text);
  assert(text.includes("fix: sudo apt-get install -y chromium"), text);
});

Deno.test("doctor: a hardware adapter that webgpu cannot use, and a missing wasm package, are problems", async () => {
  const probed: BackendProbeResult = {
    ...WASM_ONLY,
    backends: WASM_ONLY.backends.map((b) =>
      b.name === "wasm" ? { ...b, available: false, detail: "cannot find tfjs-backend-wasm" } : b
    ),
    adapters: [{ name: "AMD Radeon", vendor: "4098", architecture: "rdna-3", software: false }],
  };
  const r = await doctorReport(fakeMachine({}, { backends: () => Promise.resolve(probed) }));
  const w = whats(r);
  assert(w.includes("a GPU is present but webgpu cannot use it"), w);
  assert(w.includes("wasm cannot be used: cannot find tfjs-backend-wasm => npm ci"), w);
  assertEquals(r.auto.backend, "none");
  assert(renderDoctorTable(r).includes("AMD (0x1002)"));
});

Deno.test("doctor: a tfjs-node-gpu install whose binding is misplaced: the diagnosis' problem and fix (tfjs#8581)", async () => {
  const pkg = `${ROOT}/node_modules/@tensorflow/tfjs-node-gpu`;
  const r = await doctorReport(fakeMachine({
    nvidiaSmi: H200,
    files: {
      [`${pkg}/package.json`]: JSON.stringify({
        name: "@tensorflow/tfjs-node-gpu",
        version: "4.22.0",
        binary: {
          module_name: "tfjs_binding",
          module_path: "./lib/napi-v{napi_build_version}",
          napi_versions: [3, 4, 5, 6, 7, 8],
        },
      }),
      [`${pkg}/build/Release/tfjs_binding.node`]: "fake",
      [`${pkg}/deps/lib/libtensorflow.so.2`]: "fake",
      [`${pkg}/deps/lib/libtensorflow_framework.so.2`]: "fake",
    },
  }));
  assertEquals(r.tensorflow.package?.name, "@tensorflow/tfjs-node-gpu");
  const kinds = r.tensorflow.problems.map((p) => p.kind);
  assert(kinds.includes("binding-misplaced"), kinds.join());
  const w = whats(r);
  assert(w.includes("deno task fix-tfjs-node"), w);
  const text = renderDoctorTable(r);
  assert(/\| package +\| @tensorflow\/tfjs-node-gpu 4\.22\.0/.test(text), text);
  assert(text.includes("binding-misplaced (cannot-load)"), text);
});

Deno.test("doctor: a failed backend probe is one problem saying how to see its output, not four", async () => {
  const failed: BackendProbeResult = {
    backends: WASM_ONLY.backends.map((b) => ({ ...b, available: false, detail: "not probed" })),
    adapters: [],
    adaptersNote: "not probed",
    failed: "the backend probe process failed (exit code 1)",
    printed: "Segmentation fault",
  };
  const r = await doctorReport(fakeMachine({}, { backends: () => Promise.resolve(failed) }));
  assertEquals(r.problems.length, 1, whats(r));
  assert(whats(r).includes("(it printed: Segmentation fault)"), whats(r));
  assert(whats(r).includes("./deno run -A lib/doctor/backend_probe.ts"), whats(r));
});
