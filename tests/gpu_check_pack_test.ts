/**
 * The packed GPU check runs on its own: pack (xz level 1, the light mode), check tree + archive
 * against the 64 MiB budget, unpack into a temp dir outside the project (no node_modules, no
 * npm, a bare PATH and HOME) and run `run_gpu_check.sh --quick` on the software WebGPU adapter
 * for MobileFaceNet (one timed step + one profiled step at batch 2; ~2 min on llvmpipe).
 */
import { join } from "node:path";
import { assert } from "./support/assert.ts";
import { repoRoot } from "../lib/io/repo_root.ts";
import { GPU_CHECK_BUDGET_BYTES, packGpuCheck, projectTreeBytes } from "../lib/gpu_check/mod.ts";

Deno.test("pack-gpu-check: fits 64 MiB and the unpacked check trains on webgpu by itself", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "gpu_check_test_" });
  try {
    const root = repoRoot();
    const r = await packGpuCheck(root, { out: join(tmp, "gpu_check.tar.gz"), xzLevel: 1 });
    const tree = await projectTreeBytes(root);
    assert(tree + r.archiveBytes <= GPU_CHECK_BUDGET_BYTES, `tree ${tree} + ${r.archiveBytes}`);
    const dir = join(tmp, "unpacked"), out = join(tmp, "out");
    await Deno.mkdir(dir);
    const tar = await new Deno.Command("tar", { args: ["-xzf", r.archive, "-C", dir] }).output();
    assert(tar.code === 0, "tar failed");
    const run = await new Deno.Command("sh", {
      args: [
        join(dir, "run_gpu_check.sh"),
        "--quick",
        "--allow-software",
        "--networks",
        "MobileFaceNet",
      ],
      cwd: tmp,
      clearEnv: true,
      env: {
        PATH: "/usr/bin:/bin",
        HOME: tmp,
        OUT: out,
        GPU_CHECK_SKIP_DOCTOR: "1",
        NO_COLOR: "1",
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const said = new TextDecoder().decode(run.stdout) + new TextDecoder().decode(run.stderr);
    const adapter = await navigator.gpu?.requestAdapter();
    if (!adapter) {
      // No WebGPU adapter at all here: the check must say so, and the modules still loaded.
      assert(run.code === 1 && /webgpu/i.test(said), said);
      return;
    }
    assert(run.code === 0, said);
    const report = JSON.parse(await Deno.readTextFile(join(out, "gpu_check.json")));
    assert(report.backend.name === "webgpu", said);
    const rows = report.rows as { mode: string; imagesPerSec: number; error?: string }[];
    assert(rows.length === 2 && rows.every((x) => !x.error && x.imagesPerSec > 0), said);
    assert(/PyTorch: /.test(said), said);
    const files = [...Deno.readDirSync(dir)].map((e) => e.name);
    assert(files.includes("node_modules") && !files.includes(".git"), files.join(" "));
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
