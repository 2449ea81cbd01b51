/**
 * Fake tfjs-node(-gpu) installs for the diagnosis and fix tests: the package folder layout an
 * install leaves (package.json with its `binary` config, `lib/napi-v*\/tfjs_binding.node`,
 * `deps/lib/libtensorflow*`), with fake file contents (no real binary), plus a system view
 * whose `ldconfig -p`, `nvidia-smi` and `python3` answers are given by the test.
 *
 * @module
 */
import { join } from "node:path";
import {
  type CommandOutput,
  type SystemView,
  systemView,
} from "../../lib/backend/tfjs_node/mod.ts";

/** What the fake install left. */
export interface FakeTfjsNodeLayout {
  /** Which package (default the GPU one). */
  pkg?: "@tensorflow/tfjs-node-gpu" | "@tensorflow/tfjs-node";
  /** Folders under the package holding a binding, e.g. ["lib/napi-v8"] (default) or ["build/Release"]. */
  bindingIn?: string[];
  /** libtensorflow: all files (default), only the versioned real files, or none. */
  libtensorflow?: "full" | "versioned-only" | "none";
}

/** Writes a fake package under `<root>/node_modules`; returns the package folder. */
export async function makeFakeTfjsNode(
  root: string,
  layout: FakeTfjsNodeLayout = {},
): Promise<string> {
  const name = layout.pkg ?? "@tensorflow/tfjs-node-gpu";
  const dir = join(root, "node_modules", ...name.split("/"));
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(
    join(dir, "package.json"),
    JSON.stringify({
      name,
      version: "4.22.0",
      binary: {
        module_name: "tfjs_binding",
        module_path: "./lib/napi-v{napi_build_version}",
        napi_versions: [3, 4, 5, 6, 7, 8],
      },
    }),
  );
  for (const where of layout.bindingIn ?? ["lib/napi-v8"]) {
    await Deno.mkdir(join(dir, where), { recursive: true });
    await Deno.writeTextFile(join(dir, where, "tfjs_binding.node"), `fake binding from ${where}`);
  }
  const lib = join(dir, "deps", "lib");
  const mode = layout.libtensorflow ?? "full";
  if (mode !== "none") {
    await Deno.mkdir(lib, { recursive: true });
    for (const base of ["libtensorflow", "libtensorflow_framework"]) {
      await Deno.writeTextFile(join(lib, `${base}.so.2.9.1`), "fake");
      if (mode === "full") await Deno.symlink(`${base}.so.2.9.1`, join(lib, `${base}.so.2`));
    }
  }
  return dir;
}

/** Writes fake library files (`dir/<name>`) and returns `dir`. */
export async function fakeLibs(dir: string, names: readonly string[]): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  for (const n of names) await Deno.writeTextFile(join(dir, n), "fake");
  return dir;
}

/** Answers of the faked commands (`null`: the command is not installed). */
export interface FakeCommands {
  /** `ldconfig -p` output (default: an empty cache). */
  ldconfig?: string | null;
  /** `nvidia-smi --query-gpu=...` output (default: not installed). */
  nvidiaSmi?: string | null;
  /** Environment (default: empty). */
  env?: Record<string, string>;
}

/** The real file probes, with `run` and `env` faked: nothing outside the temp folders is read. */
export function fakeSystem(commands: FakeCommands = {}): SystemView {
  const answer = (s: string | null | undefined): CommandOutput | undefined =>
    s === null || s === undefined ? undefined : { code: 0, stdout: s };
  return systemView({
    run: (cmd) => {
      if (cmd.endsWith("ldconfig")) return Promise.resolve(answer(commands.ldconfig ?? ""));
      if (cmd === "nvidia-smi") return Promise.resolve(answer(commands.nvidiaSmi));
      return Promise.resolve(undefined);
    },
    env: (name) => commands.env?.[name],
    // /usr/local/cuda* of the real machine must not leak into tests.
    listDir: (path) => path === "/usr/local" ? Promise.resolve([]) : systemView().listDir(path),
  });
}
