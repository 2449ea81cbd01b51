import { join } from "node:path";
import { assert, assertEquals } from "../../tests/support/assert.ts";
import { runTorchPeer } from "./torch_peer.ts";

/** A fake python3: a sh script answering the torch question and the peer run. */
async function fakePython(dir: string, body: string): Promise<string> {
  const p = join(dir, "python3");
  await Deno.writeTextFile(p, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return p;
}

Deno.test("torch peer: no python3 is reported, not thrown", async () => {
  const r = await runTorchPeer({ python: "/nonexistent/python3" });
  assertEquals(r.available, false);
  assert(!r.available && r.why.includes("no /nonexistent/python3"), JSON.stringify(r));
});

Deno.test("torch peer: python3 without torch says 'no PyTorch' with python's last line", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const python = await fakePython(
      dir,
      `echo "ModuleNotFoundError: No module named 'torch'" >&2; exit 1`,
    );
    const r = await runTorchPeer({ python });
    assert(!r.available && /no PyTorch .*No module named 'torch'/.test(r.why), JSON.stringify(r));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("torch peer: torch without CUDA is no peer unless allowCpu", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const python = await fakePython(dir, `echo '{"torch": "2.1", "cuda": false}'`);
    const r = await runTorchPeer({ python });
    assert(!r.available && r.why.includes("no CUDA"), JSON.stringify(r));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("torch peer: with CUDA its JSON lines are read; the peer's own arguments are passed", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const row = (n: string, b: number) =>
      JSON.stringify({
        network: n,
        mode: "train",
        backend: "torch-cuda",
        batch: b,
        imagesPerSec: 900,
      });
    const python = await fakePython(
      dir,
      `if [ "$1" = "-c" ]; then echo '{"torch": "2.1", "cuda": true}'; exit 0; fi
echo "$@" > "${dir}/args.txt"
echo '{"device": "NVIDIA H200"}'
echo 'a warning line'
echo '${row("MobileFaceNet", 64)}'
echo '${row("ResNet50", 128)}'
echo '{"done": true}'`,
    );
    const r = await runTorchPeer({
      python,
      networks: ["MobileFaceNet", "ResNet50"],
      batches: [64, 128],
    });
    assert(r.available, JSON.stringify(r));
    assertEquals(r.device, "cuda");
    assertEquals(r.info, { device: "NVIDIA H200" });
    assertEquals(r.rows.map((x) => [x.network, x.batch]), [["MobileFaceNet", 64], [
      "ResNet50",
      128,
    ]]);
    assertEquals(r.failed, undefined);
    const args = await Deno.readTextFile(join(dir, "args.txt"));
    assert(
      /torch_peer\.py --networks MobileFaceNet,ResNet50 --batches 64,128 .*--device cuda/.test(
        args,
      ),
      args,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("torch peer: device cpu runs without CUDA, passes threads / width / decay, reads NaN", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const python = await fakePython(
      dir,
      `if [ "$1" = "-c" ]; then echo '{"torch": "1.13.0", "cuda": false}'; exit 0; fi
echo "$@" > "${dir}/args.txt"
echo '{"network": "MobileFaceNet", "mode": "train", "batch": 64, "threads": 2, "imagesPerSec": 5, "peakTensorBytes": NaN}'
echo '{"done": true}'`,
    );
    const r = await runTorchPeer({
      python,
      device: "cpu",
      networks: ["MobileFaceNet"],
      batches: [64],
      threads: [1, 2],
      width: 0.5,
      decayAll: 5e-4,
      modes: ["train"],
    });
    assert(r.available, JSON.stringify(r));
    assertEquals([r.device, r.torch, r.python], ["cpu", "1.13.0", python]);
    assertEquals(
      r.rows.map((x) => [x.threads, x.imagesPerSec, x.peakTensorBytes as number | null]),
      [[2, 5, null]],
    );
    const args = await Deno.readTextFile(join(dir, "args.txt"));
    assert(
      /--device cpu --threads 1,2 --width 0\.5 --decay-all 0\.0005 --modes train/.test(args),
      args,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// The real peer, when this machine's python has torch: both sides build the same networks.
const torchPython = ["python3", "/usr/bin/python3"].find((p) => {
  try {
    return new Deno.Command(p, { args: ["-c", "import torch"], stderr: "null" }).outputSync()
      .success;
  } catch {
    return false;
  }
});

Deno.test({
  name: "torch peer: MobileFaceNet (width 0.5) and MobileNetV2 have our parameter counts",
  ignore: torchPython === undefined,
  async fn() {
    const { setupBackend } = await import("../backend/mod.ts");
    const { buildEmbeddingModel } = await import("../models/mod.ts");
    await setupBackend("cpu", { env: {} });
    for (
      const [network, width, embdShape] of [["MobileFaceNet", 0.5, 128], [
        "MobileNetV2",
        1,
        512,
      ]] as const
    ) {
      const r = await runTorchPeer({
        python: torchPython,
        device: "cpu",
        networks: [network],
        width,
        paramsOnly: true,
      });
      assert(r.available, JSON.stringify(r));
      const model = buildEmbeddingModel({ backbone: network, width, embdShape, seed: 1 });
      try {
        assertEquals(r.rows[0]?.modelParams, model.countParams(), network);
      } finally {
        model.dispose();
      }
    }
  },
});
