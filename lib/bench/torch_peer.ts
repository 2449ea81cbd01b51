/**
 * The PyTorch peer of the GPU check: runs torch_peer.py (the same networks, head and optimiser)
 * with the machine's python3 when it has torch, and reads its JSON lines.
 *
 * @module
 */
import type { ThroughputResult } from "./throughput.ts";

/** The peer script's path. */
export const TORCH_PEER_SCRIPT = new URL("./torch_peer.py", import.meta.url).pathname;

/** One peer measurement (ThroughputResult's shape; `error` when it failed, e.g. out of memory). */
export type TorchPeerRow = Omit<ThroughputResult, "network"> & { network: string; error?: string };

/** What the peer did: its rows, or why it did not run. */
export type TorchPeerReport =
  | { available: false; why: string }
  | {
    available: true;
    device: string;
    info: Record<string, unknown> | null;
    rows: TorchPeerRow[];
    failed?: string;
  };

/** Options of {@linkcode runTorchPeer}. */
export interface TorchPeerOptions {
  /** python3 executable (default "python3"). */
  python?: string;
  /** Peer script (default {@linkcode TORCH_PEER_SCRIPT}; tests pass a fake). */
  script?: string;
  networks?: string[];
  batches?: number[];
  inferBatch?: number;
  seconds?: number;
  warmup?: number;
  classes?: number;
  /** Run on the CPU even without CUDA (default false: no CUDA means no peer). */
  allowCpu?: boolean;
  onProgress?: (line: string) => void;
}

async function output(cmd: string, args: string[]) {
  try {
    const o = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
    const dec = new TextDecoder();
    return { code: o.code, stdout: dec.decode(o.stdout), stderr: dec.decode(o.stderr) };
  } catch (e) {
    return e instanceof Deno.errors.NotFound ? null : { code: -1, stdout: "", stderr: String(e) };
  }
}

/**
 * Runs the peer when `python -c "import torch"` works and (unless `allowCpu`) CUDA is
 * available; otherwise says why not ("no python3", "no PyTorch", "PyTorch without CUDA").
 */
export async function runTorchPeer(options: TorchPeerOptions = {}): Promise<TorchPeerReport> {
  const python = options.python ?? "python3";
  const asked = await output(python, [
    "-c",
    "import json, torch; print(json.dumps({'torch': torch.__version__, 'cuda': torch.cuda.is_available()}))",
  ]);
  if (asked === null) return { available: false, why: `no ${python} on PATH` };
  if (asked.code !== 0) {
    const last = asked.stderr.trim().split("\n").pop() ?? "";
    return { available: false, why: `no PyTorch in ${python} (${last})` };
  }
  const { cuda } = JSON.parse(asked.stdout.trim().split("\n").pop()!) as { cuda: boolean };
  if (!cuda && !options.allowCpu) {
    return { available: false, why: `PyTorch in ${python} has no CUDA device` };
  }
  const device = cuda ? "cuda" : "cpu";
  options.onProgress?.(`PyTorch peer on ${device}...`);
  const out = await output(python, [
    options.script ?? TORCH_PEER_SCRIPT,
    "--networks",
    (options.networks ?? ["MobileFaceNet", "ResNet50"]).join(","),
    "--batches",
    (options.batches ?? [64, 128]).join(","),
    "--infer-batch",
    String(options.inferBatch ?? 128),
    "--seconds",
    String(options.seconds ?? 10),
    "--warmup",
    String(options.warmup ?? 2),
    "--classes",
    String(options.classes ?? 1000),
    "--device",
    device,
  ]);
  const rows: TorchPeerRow[] = [];
  let info: Record<string, unknown> | null = null;
  for (const line of (out?.stdout ?? "").split("\n")) {
    if (!line.trim().startsWith("{")) continue;
    const o = JSON.parse(line) as Record<string, unknown>;
    if ("network" in o) rows.push(o as unknown as TorchPeerRow);
    else if ("device" in o) info = o;
  }
  const failed = out && out.code === 0
    ? undefined
    : `the peer exited with code ${out?.code}: ${out?.stderr.trim().split("\n").pop() ?? ""}`;
  return { available: true, device, info, rows, ...(failed ? { failed } : {}) };
}
