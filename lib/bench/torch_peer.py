#!/usr/bin/env python3
"""PyTorch peer of `deno task bench` and `deno task gpu-check`: the same networks, head and optimiser.

MobileFaceNet as lib/models/mobilefacenet.ts (width multiplier, BN eps 1e-3, PReLU per channel),
MobileNetV2 as lib/models/mobilenet_v2.ts (Keras: BN eps 1e-3, ReLU6, correct_pad before every
stride-2 conv), ResNet50 Keras-style (biased convs, BN eps 1.001e-5) as lib/models/resnet50.ts;
the last two + the "E" output layer (BN eps 1e-3, dropout 0.5, flatten, dense, BN eps 1e-3),
ArcHead m=0.5 s=64, SGD momentum 0.9 Nesterov, L2 5e-4 on the embedding kernel (or, with
--decay-all, decoupled decay on every weight as weight_decay_scope: all).
Random data, 112x112. Prints one JSON line per measurement, in lib/bench's ThroughputResult
shape (backend "torch-cuda" / "torch-cpu", plus "threads"); the last line is {"done": true}.

Usage: python3 torch_peer.py --networks MobileFaceNet,ResNet50 --batches 64,128
       [--infer-batch 128] [--seconds 10] [--warmup 2] [--classes 1000] [--device cuda|cpu]
       [--threads 1,2] [--width 1.0] [--decay-all 0] [--modes train,infer] [--params-only]
--params-only prints {"network", "modelParams"} per network (no timing).
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

    def __init__(self, embd=128, size=112, width=1.0):
        super().__init__()
        ch = lambda c: make_divisible(c * width)  # every channel count but the embedding
        c0 = ch(64)
        layers = [ConvBlock(3, c0, 3, 2), ConvBlock(c0, c0, 3, groups=c0)]
        cin = c0
        for t, c, n, s in self.BOTTLENECKS:
            for i in range(n):
                layers.append(Bottleneck(cin, t, ch(c), s if i == 0 else 1))
                cin = ch(c)
        k, c5 = math.ceil(size / 16), ch(512)
        layers += [ConvBlock(cin, c5, 1), ConvBlock(c5, c5, k, groups=c5, linear=True, padding=0),
                   ConvBlock(c5, embd, 1, linear=True), nn.Flatten()]
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)


def rbn(c):
    return nn.BatchNorm2d(c, eps=1.001e-5, momentum=0.01)


def output_layer(channels, side, embd, dropout):
    """arcface-tf2's "E" output layer (lib/models/output_layer.ts, Keras BN defaults eps 1e-3)."""
    return nn.Sequential(nn.BatchNorm2d(channels, eps=1e-3, momentum=0.01), nn.Dropout(dropout),
                         nn.Flatten(), nn.Linear(channels * side * side, embd),
                         nn.BatchNorm1d(embd, eps=1e-3, momentum=0.01))


class CorrectPad(nn.Module):
    """Keras correct_pad for a 3x3 stride-2 conv: bottom/right 1, plus top/left 1 at an odd size."""

    def forward(self, x):
        h, w = x.shape[-2:]
        return F.pad(x, (1 - (1 - w % 2), 1, 1 - (1 - h % 2), 1))


def mbn(c):
    return nn.BatchNorm2d(c, eps=1e-3, momentum=0.001)


class InvertedResidual(nn.Module):
    """Keras _inverted_res_block: [expand 1x1] -> (correct_pad) depthwise 3x3 -> linear 1x1 [+ add]."""

    def __init__(self, cin, cout, stride, expansion):
        super().__init__()
        mid = cin * expansion
        layers = []
        if expansion != 1:
            layers += [nn.Conv2d(cin, mid, 1, bias=False), mbn(mid), nn.ReLU6(inplace=True)]
        layers += [CorrectPad() if stride == 2 else nn.Identity(),
                   nn.Conv2d(mid, mid, 3, stride, 0 if stride == 2 else 1, groups=mid, bias=False),
                   mbn(mid), nn.ReLU6(inplace=True), nn.Conv2d(mid, cout, 1, bias=False), mbn(cout)]
        self.body = nn.Sequential(*layers)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.body(x)
        return x + y if self.residual else y


class MobileNetV2E(nn.Module):
    """Keras MobileNetV2(alpha, include_top=False) + the "E" output layer."""
    BLOCKS = [(16, 1, 1), (24, 2, 6), (24, 1, 6), (32, 2, 6), (32, 1, 6), (32, 1, 6), (64, 2, 6),
              (64, 1, 6), (64, 1, 6), (64, 1, 6), (96, 1, 6), (96, 1, 6), (96, 1, 6), (160, 2, 6),
              (160, 1, 6), (160, 1, 6), (320, 1, 6)]

    def __init__(self, embd=512, size=112, dropout=0.5, alpha=1.0):
        super().__init__()
        c0 = make_divisible(32 * alpha)
        # Conv1: stride 2 "same" at an even size = one pixel of padding at the bottom/right.
        layers = [nn.ZeroPad2d((0, 1, 0, 1)), nn.Conv2d(3, c0, 3, 2, bias=False), mbn(c0),
                  nn.ReLU6(inplace=True)]
        cin = c0
        for filters, stride, expansion in self.BLOCKS:
            cout = make_divisible(int(filters * alpha))
            layers.append(InvertedResidual(cin, cout, stride, expansion))
            cin = cout
        last = make_divisible(1280 * alpha) if alpha > 1.0 else 1280
        layers += [nn.Conv2d(cin, last, 1, bias=False), mbn(last), nn.ReLU6(inplace=True)]
        self.backbone = nn.Sequential(*layers)
        with torch.no_grad():
            side = self.backbone(torch.zeros(1, 3, size, size)).shape[-1]
        self.out = output_layer(last, side, embd, dropout)

    def forward(self, x):
        return self.out(self.backbone(x))


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
        self.out = output_layer(2048, side, embd, dropout)

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


def build(network, embd, width=1.0):
    if network == "MobileFaceNet":
        return MobileFaceNet(embd, width=width)
    if network == "MobileNetV2":
        return MobileNetV2E(embd, alpha=width)
    if network == "ResNet50":
        return ResNet50E(embd)
    raise SystemExit(f"torch_peer.py: unknown network '{network}' (MobileFaceNet, MobileNetV2, ResNet50)")


def count_params(model):
    """Weights + BN moving statistics, as TF.js countParams() (num_batches_tracked excluded)."""
    return (sum(p.numel() for p in model.parameters()) +
            sum(b.numel() for b in model.buffers() if b.dtype.is_floating_point))


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
            "threads": torch.get_num_threads(),
            "steps": len(times), "imagesPerSec": batch / (med / 1000),
            "meanImagesPerSec": batch * len(times) / (sum(times) / 1000), "medianStepMs": med,
            "peakTensorBytes": peak, "wasmHeapBytes": None, "modelParams": params}


def measure_train(network, batch, a, device):
    embd = 128 if network == "MobileFaceNet" else 512
    model = build(network, embd, a.width).to(device)
    head = ArcHead(embd, a.classes).to(device)
    if a.decay_all > 0:  # weight_decay_scope: all (decay on every gradient, as Replica.apply)
        groups = [{"params": list(model.parameters()) + list(head.parameters()),
                   "weight_decay": a.decay_all}]
    else:  # the L2 term on the "E" layer's dense kernel only (MobileFaceNet has none)
        decay = [p for n, p in model.named_parameters() if n.endswith("out.3.weight")]
        rest = [p for n, p in model.named_parameters() if not n.endswith("out.3.weight")]
        groups = [{"params": decay, "weight_decay": 5e-4}, {"params": rest},
                  {"params": head.parameters()}]
    opt = torch.optim.SGD(groups, lr=0.01, momentum=0.9, nesterov=True)
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
    return result(network, "train", device, batch, times, count_params(model))


def measure_infer(network, batch, a, device):
    embd = 128 if network == "MobileFaceNet" else 512
    model = build(network, embd, a.width).to(device).eval()
    x = torch.rand(batch, 3, 112, 112, device=device)
    if device == "cuda":
        torch.cuda.reset_peak_memory_stats()
    with torch.no_grad():
        times = timed(lambda: model(x).cpu(), device, max(3.0, a.seconds / 2), a.warmup)
    return result(network, "infer", device, batch, times, count_params(model))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--networks", default="MobileFaceNet,ResNet50")
    p.add_argument("--batches", default="64,128")
    p.add_argument("--infer-batch", type=int, default=128)
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--classes", type=int, default=1000)
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--threads", default="", help="CPU thread counts, e.g. 1,2 (default: torch's)")
    p.add_argument("--width", type=float, default=1.0)
    p.add_argument("--decay-all", type=float, default=0.0)
    p.add_argument("--modes", default="train,infer")
    p.add_argument("--params-only", action="store_true")
    a = p.parse_args()
    device = a.device
    networks = [n.strip() for n in a.networks.split(",") if n.strip()]
    if a.params_only:
        for network in networks:
            model = build(network, 128 if network == "MobileFaceNet" else 512, a.width)
            print(json.dumps({"network": network, "width": a.width,
                              "modelParams": count_params(model)}), flush=True)
        print(json.dumps({"done": True}), flush=True)
        return 0
    modes = a.modes.split(",")
    threads = [int(t) for t in a.threads.split(",") if t.strip()] or [torch.get_num_threads()]
    if device == "cuda":
        torch.backends.cudnn.benchmark = True
        print(json.dumps({"device": torch.cuda.get_device_name(0), "torch": torch.__version__,
                          "cuda": torch.version.cuda}), flush=True)
    for network in networks:
        for n in threads:
            torch.set_num_threads(n)
            for batch in [int(b) for b in a.batches.split(",")] if "train" in modes else []:
                try:
                    print(json.dumps(measure_train(network, batch, a, device)), flush=True)
                except RuntimeError as e:  # e.g. CUDA out of memory
                    print(json.dumps({"network": network, "mode": "train", "batch": batch,
                                      "threads": n, "error": str(e).split("\n")[0]}), flush=True)
                if device == "cuda":
                    torch.cuda.empty_cache()
            if "infer" in modes:
                print(json.dumps(measure_infer(network, a.infer_batch, a, device)), flush=True)
    print(json.dumps({"done": True}), flush=True)


if __name__ == "__main__":
    sys.exit(main())
