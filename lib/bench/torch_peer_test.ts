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
