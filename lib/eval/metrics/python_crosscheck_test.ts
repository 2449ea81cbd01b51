/**
 * Cross-check against an independent pure-Python implementation of insightface's
 * `calculate_roc` / `calculate_val` (numpy is not installed here, so argmax, KFold, pairwise
 * sum, std and interp1d "slinear" are written out; thresholds are i/100 and i/1000 as in the
 * TypeScript, see verification.ts). Compared exactly.
 */
import { assertEquals } from "../../../tests/support/assert.ts";
import { tarAtFar } from "./roc.ts";
import { mulberry32 } from "../../../tests/support/metrics_data.ts";
import { verificationAccuracy } from "./verification.ts";

const PYTHON = "/usr/bin/python3";
const hasPython = (() => {
  try {
    return Deno.statSync(PYTHON).isFile;
  } catch {
    return false;
  }
})();

const SCRIPT = String.raw`
import json, math, sys
from bisect import bisect_left, bisect_right
data = json.load(open(sys.argv[1]))
dist, same = data["dist"], data["same"]
P = len(dist)
def kfold(n, k=10):
    sizes = [n // k + (1 if i < n % k else 0) for i in range(k)]
    out, at = [], 0
    for s in sizes:
        test = list(range(at, at + s)); at += s
        out.append(([i for i in range(n) if not (test[0] <= i <= test[-1])], test))
    return out
def pw(a):
    n = len(a)
    if n < 8:
        r = 0.0
        for v in a: r += v
        return r
    if n <= 128:
        r = list(a[:8]); full = n - n % 8
        for i in range(8, full, 8):
            for j in range(8): r[j] += a[i + j]
        res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        for i in range(full, n): res += a[i]
        return res
    n2 = n // 2; n2 -= n2 % 8
    return pw(a[:n2]) + pw(a[n2:])
def mean(a): return pw(a) / len(a)
def std(a):
    m = mean(a); return math.sqrt(pw([abs(v - m) ** 2 for v in a]) / len(a))
def acc_at(th, idx):
    tp = sum(1 for i in idx if dist[i] < th and same[i])
    tn = sum(1 for i in idx if not dist[i] < th and not same[i])
    return float(tp + tn) / len(idx)
ths = [i / 100 for i in range(400)]
accs, bests = [], []
for train, test in kfold(P):
    s_tr = sorted(dist[i] for i in train if same[i]); d_tr = sorted(dist[i] for i in train if not same[i])
    acc_train = [float(bisect_left(s_tr, t) + len(d_tr) - bisect_left(d_tr, t)) / len(train) for t in ths]
    b = max(range(400), key=lambda i: (acc_train[i], -i))
    bests.append(ths[b]); accs.append(acc_at(ths[b], test))
def interp_slinear(x, y, p):
    n = len(x)
    if p == x[-1]:
        return 0.0 if x[-2] == x[-1] else y[-1]
    j = bisect_right(x, p) - 1
    xa, xb = x[j], x[j + 1]; w = 1.0 / (xb - xa)
    return y[j] * (w * (xb - p)) + y[j + 1] * (w * (p - xa))
vths = [i / 1000 for i in range(4000)]
vals = {}
for target in data["targets"]:
    val, far, thr = [], [], []
    for train, test in kfold(P):
        d_tr = sorted(dist[i] for i in train if not same[i])
        far_train = [float(bisect_left(d_tr, t)) / float(len(d_tr)) for t in vths]
        th = interp_slinear(far_train, vths, target) if max(far_train) >= target else 0.0
        ta = sum(1 for i in test if dist[i] < th and same[i]); fa = sum(1 for i in test if dist[i] < th and not same[i])
        ns = sum(1 for i in test if same[i]); nd = len(test) - ns
        val.append(float(ta) / float(ns)); far.append(float(fa) / float(nd)); thr.append(float(th))
    vals[repr(target)] = {"tar": mean(val), "std": std(val), "far": mean(far), "th": thr}
print(json.dumps({"acc": mean(accs), "std": std(accs), "accs": accs, "bests": bests,
                  "mean_th": mean(bests), "val": vals}))
`;

Deno.test({
  name: "verification + VAL match an independent Python insightface protocol (603 pairs)",
  ignore: !hasPython,
  fn: async () => {
    const rand = mulberry32(12345);
    const n = 603; // not divisible by 10: folds of 61 x 3 and 60 x 7
    const same = Array.from({ length: n }, () => rand() < 0.5);
    const dist = same.map((s, i) => {
      const g = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
      let d = Math.min(4, Math.max(0, (s ? 1.0 : 1.5) + 0.35 * g));
      if (i % 5 === 0) d = Math.round(d * 100) / 100; // exactly on the grid: tests `<`
      return d;
    });
    const targets = [1e-3, 1e-2, 1e-1];
    const file = await Deno.makeTempFile({ suffix: ".json" });
    try {
      await Deno.writeTextFile(file, JSON.stringify({ dist, same, targets }));
      const out = await new Deno.Command(PYTHON, { args: ["-c", SCRIPT, file] }).output();
      const err = new TextDecoder().decode(out.stderr);
      assertEquals(out.code, 0, err);
      const py = JSON.parse(new TextDecoder().decode(out.stdout));
      const r = verificationAccuracy(dist, same);
      assertEquals(r.foldAccuracies, py.accs);
      assertEquals(r.bestThresholds, py.bests);
      assertEquals(r.accuracy, py.acc);
      assertEquals(r.std, py.std);
      assertEquals(r.meanThreshold, py.mean_th);
      for (const t of targets) {
        const v = tarAtFar(dist, same, t);
        const p = py.val[String(t)]; // JS String and Python repr agree: 0.001, 0.01, 0.1
        assertEquals(v.foldThresholds, p.th, `thresholds at FAR ${t}`);
        assertEquals([v.tar, v.std, v.far], [p.tar, p.std, p.far], `VAL at FAR ${t}`);
      }
    } finally {
      await Deno.remove(file);
    }
  },
});
