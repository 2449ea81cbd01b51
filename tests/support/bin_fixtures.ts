/**
 * Test fixture builder (not part of the library): a Python script that pickles LFW images the way
 * real `.bin` files were written: Python 3 protocols 2/4/5, a Python 2 file (str images as
 * BINSTRING, emulated with a `pickle._Pickler` subclass), and numpy bool label arrays and
 * scalars (emulated with stand-in `numpy` modules whose `__reduce__` returns exactly what
 * numpy's does, so the opcode stream matches real numpy without needing numpy).
 *
 * @module
 */
import { runPython } from "./verification_data.ts";

const SCRIPT = String.raw`
import sys, types, pickle, pickletools, json, io, codecs
out, labels, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
bins = [open(p, 'rb').read() for p in paths]
issame = [c == '1' for c in labels]

# Stand-in numpy: same reduce output as numpy 1.x (numpy.core.multiarray._reconstruct etc.).
np = types.ModuleType('numpy'); core = types.ModuleType('numpy.core')
ma = types.ModuleType('numpy.core.multiarray'); nu = types.ModuleType('numpy.core.numeric')
sys.modules.update({'numpy': np, 'numpy.core': core, 'numpy.core.multiarray': ma,
                    'numpy.core.numeric': nu})
def _reconstruct(cls, shape, kind): return cls.__new__(cls)
def scalar(dt, b): return bool(b[0])
def _frombuffer(buf, dt, shape, order): return list(bytes(buf))
for f, m in ((_reconstruct, ma), (scalar, ma), (_frombuffer, nu)):
    f.__module__ = m.__name__; setattr(m, f.__name__, f)
class dtype:
    def __init__(self, s, *a): self.s = s
    def __setstate__(self, st): pass
    def __reduce__(self): return (dtype, (self.s, False, True), (3, '|', None, None, None, -1, -1, 0))
class ndarray:
    def __init__(self, b): self.b = b
    def __setstate__(self, st): self.b = list(st[4])
    def __reduce_ex__(self, proto):
        data = bytes(self.b)
        if proto >= 5:
            return (_frombuffer, (pickle.PickleBuffer(bytearray(data)), dtype('b1'), (len(data),), 'C'))
        return (_reconstruct, (ndarray, (0,), b'b'), (1, (len(data),), dtype('b1'), False, data))
class bool_:
    def __init__(self, v): self.v = v
    def __reduce__(self): return (scalar, (dtype('b1'), bytes([self.v])))
for c in (dtype, ndarray, bool_):
    c.__module__ = 'numpy'; setattr(np, c.__name__, c)

class Py2Pickler(pickle._Pickler):
    """Writes bytes as Python 2 str: SHORT_BINSTRING / BINSTRING (+ memo), like cPickle did."""
    dispatch = dict(pickle._Pickler.dispatch)
    def save_str(self, obj):
        n = len(obj)
        if n < 256: self.write(pickle.SHORT_BINSTRING + bytes([n]) + obj)
        else: self.write(pickle.BINSTRING + n.to_bytes(4, 'little') + obj)
        self.memoize(obj)
    dispatch[bytes] = save_str
    def save_py2_text(self, obj):  # Python 2 'b1', '|': str, not unicode
        self.save_str(obj.encode('ascii'))
    dispatch[str] = save_py2_text

def dump(name, obj, proto, py2=False):
    f = io.BytesIO()
    (Py2Pickler(f, proto) if py2 else pickle.Pickler(f, proto)).dump(obj)
    data = f.getvalue()
    open(out + '/' + name, 'wb').write(data)
    ops = sorted({op.name for op, _, _ in pickletools.genops(data)})
    back = pickle.loads(data, encoding='bytes')
    assert list(back[0]) == bins[:len(back[0])] or name.startswith('bad_'), name
    return ops

nb = [1 if s else 0 for s in issame]
res = {}
for p in (2, 4, 5):
    res['p%d.bin' % p] = dump('p%d.bin' % p, (bins, issame), p)
    res['np_p%d.bin' % p] = dump('np_p%d.bin' % p, (bins, ndarray(nb)), p)
res['py2.bin'] = dump('py2.bin', (bins, issame), 2, py2=True)
res['py2_np.bin'] = dump('py2_np.bin', (bins, ndarray(nb)), 2, py2=True)
res['npscalar_p4.bin'] = dump('npscalar_p4.bin', (bins, [bool_(v) for v in nb]), 4)
res['bad_odd.bin'] = dump('bad_odd.bin', (bins[:-1], issame), 4)
res['bad_count.bin'] = dump('bad_count.bin', (bins, issame + [True]), 4)
corrupt = list(bins); corrupt[3] = b'this is not an image' * 20
res['bad_magic.bin'] = dump('bad_magic.bin', (corrupt, issame), 4)
trunc = list(bins); trunc[5] = bins[5][:300]
res['bad_truncated.bin'] = dump('bad_truncated.bin', (trunc, issame), 4)
res['bad_dict.bin'] = dump('bad_dict.bin', (bins, {'x': 1}), 4)
print(json.dumps(res))
`;

/**
 * Writes the fixture `.bin` files into `outDir`; returns the opcode names each one uses.
 *
 * @param outDir a temporary folder
 * @param paths image files, 2 per pair
 * @param issame one label per pair
 */
export async function buildBinFixtures(
  outDir: string,
  paths: string[],
  issame: boolean[],
): Promise<Record<string, string[]>> {
  const labels = issame.map((s) => (s ? "1" : "0")).join("");
  return JSON.parse(await runPython(SCRIPT, [outDir, labels, ...paths]));
}

/**
 * Loads a `.bin` with Python's own pickle and returns its image count, labels and a SHA-256 of
 * the concatenated image bytes.
 *
 * @param path the `.bin`
 * @param encodingBytes load with `encoding='bytes'` (Python 2 style files)
 */
export async function pythonLoadBin(
  path: string,
  encodingBytes: boolean,
): Promise<{ images: number; issame: string; sha256: string }> {
  const script = String.raw`
import sys, pickle, hashlib, json
with open(sys.argv[1], 'rb') as f:
    bins, issame = pickle.load(f, encoding='bytes') if sys.argv[2] == '1' else pickle.load(f)
assert all(type(b) is bytes for b in bins) and all(type(s) is bool for s in issame)
h = hashlib.sha256(b''.join(bins)).hexdigest()
print(json.dumps({'images': len(bins), 'issame': ''.join('1' if s else '0' for s in issame), 'sha256': h}))
`;
  return JSON.parse(await runPython(script, [path, encodingBytes ? "1" : "0"]));
}
