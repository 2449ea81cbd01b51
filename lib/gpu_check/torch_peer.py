#!/usr/bin/env python3
"""PyTorch peer of `deno task gpu-check`: the same networks, head and optimiser on the same GPU.

MobileFaceNet as lib/models/mobilefacenet.ts, ResNet50 Keras-style (biased convs, BN eps
1.001e-5) as lib/models/resnet50.ts + the "E" output layer (BN, dropout 0.5, flatten, dense,
BN), ArcHead m=0.5 s=64, SGD momentum 0.9 Nesterov, L2 5e-4 on the embedding kernel.
Random data, 112x112. Prints one JSON line per measurement, in lib/bench's ThroughputResult
shape (backend "torch-cuda" / "torch-cpu"); the last line is {"done": true}.

Usage: python3 torch_peer.py --networks MobileFaceNet,ResNet50 --batches 64,128
       [--infer-batch 128] [--seconds 10] [--warmup 2] [--classes 1000] [--device cuda|cpu]
Not run on a GPU here: no device was lent to the task that wrote it.
"""
import argparse
import json
import math
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def make_divisible(v, divisor=8):
    new_v = max(divisor, int(v + divisor / 2) // divisor * divisor)
    return new_v + divisor if new_v < 0.9 * v else new_v


class ConvBlock(nn.Sequential):
    def __init__(self, cin, cout, k, stride=1, groups=1, linear=False, padding=None):
        pad = (k // 2 if isinstance(k, int) else 0) if padding is None else padding
        layers = [nn.Conv2d(cin, cout, k, stride, pad, groups=groups, bias=False),
                  nn.BatchNorm2d(cout, eps=1e-3, momentum=0.01)]
        if not linear:
            layers.append(nn.PReLU(cout, init=0.25))
        super().__init__(*layers)


class Bottleneck(nn.Module):
    def __init__(self, cin, t, cout, stride):
        super().__init__()
        mid = cin * t
        self.body = nn.Sequential(ConvBlock(cin, mid, 1), ConvBlock(mid, mid, 3, stride, groups=mid),
                                  ConvBlock(mid, cout, 1, linear=True))
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.body(x)
        return x + y if self.residual else y


class MobileFaceNet(nn.Module):
    BOTTLENECKS = [(2, 64, 5, 2), (4, 128, 1, 2), (2, 128, 6, 1), (4, 128, 1, 2), (2, 128, 2, 1)]

    def __init__(self, embd=128, size=112):
        super().__init__()
        layers = [ConvBlock(3, 64, 3, 2), ConvBlock(64, 64, 3, groups=64)]
        cin = 64
        for t, c, n, s in self.BOTTLENECKS:
            for i in range(n):
                layers.append(Bottleneck(cin, t, make_divisible(c), s if i == 0 else 1))
                cin = make_divisible(c)
        k = math.ceil(size / 16)
        layers += [ConvBlock(cin, 512, 1), ConvBlock(512, 512, k, groups=512, linear=True, padding=0),
                   ConvBlock(512, embd, 1, linear=True), nn.Flatten()]
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)


def rbn(c):
    return nn.BatchNorm2d(c, eps=1.001e-5, momentum=0.01)


class Block1(nn.Module):
    def __init__(self, cin, filters, stride, conv_shortcut):
        super().__init__()
        self.shortcut = (nn.Sequential(nn.Conv2d(cin, 4 * filters, 1, stride), rbn(4 * filters))
                         if conv_shortcut else nn.Identity())
        self.body = nn.Sequential(
            nn.Conv2d(cin, filters, 1, stride), rbn(filters), nn.ReLU(inplace=True),
            nn.Conv2d(filters, filters, 3, 1, 1), rbn(filters), nn.ReLU(inplace=True),
            nn.Conv2d(filters, 4 * filters, 1), rbn(4 * filters))

    def forward(self, x):
        return F.relu(self.shortcut(x) + self.body(x))


class ResNet50E(nn.Module):
    """Keras ResNet50 (include_top=False) + arcface-tf2's OutputLayer ("E")."""

    def __init__(self, embd=512, size=112, dropout=0.5):
        super().__init__()
        layers = [nn.ZeroPad2d(3), nn.Conv2d(3, 64, 7, 2), rbn(64), nn.ReLU(inplace=True),
                  nn.ZeroPad2d(1), nn.MaxPool2d(3, 2)]
        cin = 64
        for filters, blocks, stride in [(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)]:
            for i in range(blocks):
                layers.append(Block1(cin, filters, stride if i == 0 else 1, i == 0))
                cin = 4 * filters
        self.backbone = nn.Sequential(*layers)
        with torch.no_grad():
            side = self.backbone(torch.zeros(1, 3, size, size)).shape[-1]
        self.out = nn.Sequential(rbn(2048), nn.Dropout(dropout), nn.Flatten(),
                                 nn.Linear(2048 * side * side, embd), nn.BatchNorm1d(embd, eps=1e-3, momentum=0.01))

    def forward(self, x):
        return self.out(self.backbone(x))


class ArcHead(nn.Module):
    def __init__(self, embd, classes, m=0.5, s=64.0):
        super().__init__()
        self.w = nn.Parameter(torch.empty(embd, classes))
        nn.init.xavier_uniform_(self.w)
        self.m, self.s = m, s
        self.th, self.mm = math.cos(math.pi - m), math.sin(math.pi - m) * m

    def forward(self, emb, labels):
        cos = F.normalize(emb, dim=1) @ F.normalize(self.w, dim=0)
        sin = torch.sqrt((1.0 - cos * cos).clamp_min(0.0))
        phi = cos * math.cos(self.m) - sin * math.sin(self.m)
        phi = torch.where(cos > self.th, phi, cos - self.mm)
        onehot = F.one_hot(labels, cos.shape[1]).to(cos.dtype)
        return F.cross_entropy(self.s * (onehot * phi + (1 - onehot) * cos), labels)


def build(network, embd):
    if network == "MobileFaceNet":
        return MobileFaceNet(embd)
    if network == "ResNet50":
        return ResNet50E(embd)
    raise SystemExit(f"torch_peer.py: unknown network '{network}' (MobileFaceNet, ResNet50)")


def timed(run, device, seconds, warmup, min_steps=3):
    for _ in range(warmup):
        run()
    sync = (lambda: torch.cuda.synchronize()) if device == "cuda" else (lambda: None)
    sync()
    times, t0 = [], time.perf_counter()
    while len(times) < min_steps or time.perf_counter() - t0 < seconds:
        s = time.perf_counter()
        run()
        sync()
        times.append((time.perf_counter() - s) * 1000)
    return times


def result(network, mode, device, batch, times, params):
    med = statistics.median(times)
    peak = torch.cuda.max_memory_allocated() if device == "cuda" else float("nan")
    return {"network": network, "mode": mode, "backend": f"torch-{device}", "batch": batch,
            "steps": len(times), "imagesPerSec": batch / (med / 1000),
            "meanImagesPerSec": batch * len(times) / (sum(times) / 1000), "medianStepMs": med,
            "peakTensorBytes": peak, "wasmHeapBytes": None, "modelParams": params}


def measure_train(network, batch, a, device):
    embd = 128 if network == "MobileFaceNet" else 512
    model, head = build(network, embd).to(device), ArcHead(embd, a.classes).to(device)
    decay = [p for n, p in model.named_parameters() if n.endswith("out.3.weight")]
    rest = [p for n, p in model.named_parameters() if not n.endswith("out.3.weight")]
    opt = torch.optim.SGD([{"params": decay, "weight_decay": 5e-4}, {"params": rest},
                           {"params": head.parameters()}], lr=0.01, momentum=0.9, nesterov=True)
    x = torch.rand(batch, 3, 112, 112, device=device)
    y = torch.randint(0, a.classes, (batch,), device=device)
    model.train()

    def run():
        opt.zero_grad(set_to_none=True)
        head(model(x), y).backward()
        opt.step()
    if device == "cuda":
        torch.cuda.reset_peak_memory_stats()
    times = timed(run, device, a.seconds, a.warmup)
    params = sum(p.numel() for p in model.parameters()) + sum(b.numel() for b in model.buffers() if b.dtype.is_floating_point)
    return result(network, "train", device, batch, times, params)


def measure_infer(network, batch, a, device):
    embd = 128 if network == "MobileFaceNet" else 512
    model = build(network, embd).to(device).eval()
    x = torch.rand(batch, 3, 112, 112, device=device)
    if device == "cuda":
        torch.cuda.reset_peak_memory_stats()
    with torch.no_grad():
        times = timed(lambda: model(x).cpu(), device, max(3.0, a.seconds / 2), a.warmup)
    params = sum(p.numel() for p in model.parameters())
    return result(network, "infer", device, batch, times, params)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--networks", default="MobileFaceNet,ResNet50")
    p.add_argument("--batches", default="64,128")
    p.add_argument("--infer-batch", type=int, default=128)
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--classes", type=int, default=1000)
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    a = p.parse_args()
    device = a.device
    if device == "cuda":
        torch.backends.cudnn.benchmark = True
        print(json.dumps({"device": torch.cuda.get_device_name(0), "torch": torch.__version__,
                          "cuda": torch.version.cuda}), flush=True)
    for network in [n.strip() for n in a.networks.split(",") if n.strip()]:
        for batch in [int(b) for b in a.batches.split(",")]:
            try:
                print(json.dumps(measure_train(network, batch, a, device)), flush=True)
            except RuntimeError as e:  # e.g. CUDA out of memory
                print(json.dumps({"network": network, "mode": "train", "batch": batch,
                                  "error": str(e).split("\n")[0]}), flush=True)
            if device == "cuda":
                torch.cuda.empty_cache()
        print(json.dumps(measure_infer(network, a.infer_batch, a, device)), flush=True)
    print(json.dumps({"done": True}), flush=True)


if __name__ == "__main__":
    sys.exit(main())
