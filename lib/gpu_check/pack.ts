/**
 * Packs the GPU check for a bare Linux GPU machine with only a driver and no network: the
 * pinned Deno binary (xz), the project's lib/ and cli/, and a node_modules trimmed to the files
 * the check loads (traced with `strace -e openat` on a `--quick` run: each package's Node
 * bundle + package.json), in ONE .tar.gz with `run_gpu_check.sh` at its top.
 *
 * @module
 */
import { dirname, join, relative } from "node:path";

/** The packed node_modules: package -> the files (or folders) of it the check loads. */
export const PACKED_NODE_MODULES: Readonly<Record<string, readonly string[]>> = {
  "@tensorflow/tfjs-core": ["dist/tf-core.node.js"],
  "@tensorflow/tfjs-layers": ["dist/tf-layers.node.js"],
  "@tensorflow/tfjs-backend-cpu": ["dist/tf-backend-cpu.node.js"],
  "@tensorflow/tfjs-backend-webgpu": ["dist/tf-backend-webgpu.node.js"],
  // SIMD is the one loaded here; the plain build is the fallback on CPUs without wasm SIMD.
  "@tensorflow/tfjs-backend-wasm": [
    "dist/tf-backend-wasm.node.js",
    "dist/tfjs-backend-wasm-simd.wasm",
    "dist/tfjs-backend-wasm.wasm",
  ],
  "seedrandom": ["index.js", "seedrandom.js", "lib"],
  "yaml": ["dist"],
};

/** The project folders / files that travel (the check imports from lib/ and cli/ only). */
export const PACKED_PROJECT_PATHS = ["lib", "cli", "deno.json", "package.json"] as const;

/** The size budget: the project tree plus what travels with it, bytes. */
export const GPU_CHECK_BUDGET_BYTES = 64 * 2 ** 20;

/** Raised when something the pack needs is missing (with the command that provides it). */
export class PackError extends Error {
  override name = "PackError";
}

/** Options of {@linkcode packGpuCheck}. */
export interface PackOptions {
  /** The archive to write (default `<root>/dist/gpu_check.tar.gz`). */
  out?: string;
  /** xz preset for the deno binary, 0-9 (default 6: ~31 MB; 1: ~35 MB, 5x faster). */
  xzLevel?: number;
}

/** What was packed. */
export interface PackResult {
  archive: string;
  archiveBytes: number;
  /** The packed deno binary (xz), bytes. */
  denoXzBytes: number;
  /** Files in the archive. */
  files: number;
}

async function run(cmd: string, args: string[], cwd?: string): Promise<string> {
  let o: Deno.CommandOutput;
  try {
    o = await new Deno.Command(cmd, { args, cwd, stdout: "piped", stderr: "piped" }).output();
  } catch (e) {
    throw new PackError(`cannot run ${cmd} (${(e as Error).message}): apt-get install ${cmd}`);
  }
  if (o.code !== 0) {
    const err = new TextDecoder().decode(o.stderr).trim().split("\n").pop();
    throw new PackError(`${cmd} ${args.join(" ")} failed (exit ${o.code}): ${err}`);
  }
  return new TextDecoder().decode(o.stdout);
}

async function copy(from: string, to: string): Promise<number> {
  const st = await Deno.stat(from).catch(() => null);
  if (!st) {
    throw new PackError(
      `${from} is missing: run npm ci (or ./deno, which runs it) in the project.`,
    );
  }
  if (st.isDirectory) {
    let n = 0;
    for await (const e of Deno.readDir(from)) n += await copy(join(from, e.name), join(to, e.name));
    return n;
  }
  await Deno.mkdir(dirname(to), { recursive: true });
  await Deno.copyFile(from, to);
  return 1;
}

/** The run script at the archive's top (POSIX sh; xz, or python3's lzma, to unpack deno). */
export const RUN_SCRIPT = `#!/bin/sh
# The GPU check, packed by \`deno task pack-gpu-check\`. Needs only a GPU driver: no network.
# Usage: sh run_gpu_check.sh [gpu-check options]   (default: the full check; --help lists them)
# GPU_CHECK_SKIP_DOCTOR=1 skips "deno task doctor --json" (written beside the results).
# Results: $OUT/gpu_check.json when OUT is set, else ./results/gpu_check/gpu_check.json.
set -e
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
if [ ! -x bin/deno ]; then
  if command -v xz >/dev/null 2>&1; then xz -dc bin/deno.xz > bin/deno.tmp
  else python3 -c 'import lzma,sys; sys.stdout.buffer.write(lzma.open("bin/deno.xz").read())' > bin/deno.tmp
  fi
  chmod +x bin/deno.tmp && mv bin/deno.tmp bin/deno
fi
out="\${OUT:-$here/results/gpu_check}"
mkdir -p "$out"
export DENO_NO_UPDATE_CHECK=1 DENO_DIR="$here/.deno_dir"
[ -n "$XDG_RUNTIME_DIR" ] && [ -d "$XDG_RUNTIME_DIR" ] || { export XDG_RUNTIME_DIR="$here/.xdg"; mkdir -p -m 700 "$XDG_RUNTIME_DIR"; }
command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi > "$out/nvidia_smi.txt" 2>&1 || true
bin/deno --version > "$out/deno_version.txt"
[ -n "$GPU_CHECK_SKIP_DOCTOR" ] || bin/deno run -A cli/doctor.ts --json > "$out/doctor.json" 2> "$out/doctor.stderr" || true
exec bin/deno run -A cli/gpu_check.ts --out "$out/gpu_check.json" "$@"
`;

/**
 * Packs the check of the project at `root` into one .tar.gz (see the module doc). Needs tar,
 * gzip and xz here; the target machine needs sh, tar, gzip and xz or python3.
 */
export async function packGpuCheck(root: string, options: PackOptions = {}): Promise<PackResult> {
  const out = options.out ?? join(root, "dist", "gpu_check.tar.gz");
  const stage = await Deno.makeTempDir({ prefix: "gpu_check_pack_" });
  try {
    let files = 0;
    for (const p of PACKED_PROJECT_PATHS) files += await copy(join(root, p), join(stage, p));
    for (const [pkg, paths] of Object.entries(PACKED_NODE_MODULES)) {
      const from = join(root, "node_modules", pkg), to = join(stage, "node_modules", pkg);
      for (const p of ["package.json", ...paths]) files += await copy(join(from, p), join(to, p));
      for (const lic of ["LICENSE", "LICENSE.md"]) {
        if (await Deno.stat(join(from, lic)).catch(() => null)) {
          files += await copy(join(from, lic), join(to, lic));
        }
      }
    }
    // The real binary (node_modules/deno/deno may be a wrapper script of the npm package).
    const deno = Deno.execPath();
    await Deno.mkdir(join(stage, "bin"));
    await run("sh", [
      "-c",
      `xz -${options.xzLevel ?? 6} -T0 -c "$0" > "$1"`,
      deno,
      join(stage, "bin", "deno.xz"),
    ]);
    await Deno.writeTextFile(join(stage, "run_gpu_check.sh"), RUN_SCRIPT, { mode: 0o755 });
    files += 2;
    await Deno.mkdir(dirname(out), { recursive: true });
    await run("tar", ["-czf", out, "-C", stage, "."]);
    return {
      archive: out,
      archiveBytes: (await Deno.stat(out)).size,
      denoXzBytes: (await Deno.stat(join(stage, "bin", "deno.xz"))).size,
      files,
    };
  } finally {
    await Deno.remove(stage, { recursive: true });
  }
}

/** Bytes of the project tree as it travels: files git tracks or would track (not ignored). */
export async function projectTreeBytes(root: string): Promise<number> {
  const list = await run(
    "git",
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    root,
  );
  let total = 0;
  for (const f of list.split("\0").filter(Boolean)) {
    const st = await Deno.stat(join(root, f)).catch(() => null);
    if (st?.isFile) total += st.size;
  }
  return total;
}

/** `path` relative to `root` when inside it (for messages). */
export function shownPath(root: string, path: string): string {
  const r = relative(root, path);
  return r.startsWith("..") ? path : r;
}
