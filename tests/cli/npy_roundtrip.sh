# .npy both ways with Debian's numpy: files numpy writes (every dtype, both byte orders, C and
# Fortran order, versions 1.0-3.0) go through load() and run --save and come back bit-identical,
# and what the tool computes loads in numpy with the right dtype, shape and bits.
# Skipped (status 77) where /usr/bin/python3 has no numpy.
source "$(dirname "$0")/lib.sh"

PYTHON=/usr/bin/python3
if ! [ -x "$PYTHON" ] || ! "$PYTHON" -c 'import numpy' 2>/dev/null; then
  echo "skipped: /usr/bin/python3 with numpy is not installed (Debian: python3-numpy)"
  exit 77
fi

mkdir -p "$SCRATCH/in" "$SCRATCH/out"
# numpy -> files, and a spec that loads each one and outputs it under its own name.
"$PYTHON" - "$SCRATCH" <<'PY' || fail "writing the numpy fixtures"
import sys, numpy as np
from numpy.lib import format as npformat
root = sys.argv[1]
rng = np.random.default_rng(7)
cases = {}
for code in ["b1", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f2", "f4", "f8", "c8", "c16"]:
    if code == "b1":
        base = rng.integers(0, 2, size=(3, 4)).astype(bool)
    elif code[0] in "iu":
        info = np.iinfo(np.dtype(code))
        base = rng.integers(info.min, info.max, size=(3, 4), dtype=np.dtype(code), endpoint=True)
    elif code[0] == "f":
        base = (rng.standard_normal((3, 4)) * 1e3).astype(code)
        base.flat[0], base.flat[1], base.flat[2] = np.nan, np.inf, -0.0
    else:
        base = (rng.standard_normal((3, 4)) + 1j * rng.standard_normal((3, 4))).astype(code)
    for order in ["<", ">"]:
        for fortran in [False, True]:
            for version in [(1, 0), (2, 0), (3, 0)]:
                name = "%s_%s_%s_v%d" % (code, "le" if order == "<" else "be", "f" if fortran else "c", version[0])
                a = base.astype(base.dtype.newbyteorder(order))
                a = np.asfortranarray(a) if fortran else np.ascontiguousarray(a)
                with open("%s/in/%s.npy" % (root, name), "wb") as f:
                    npformat.write_array(f, a, version=version)
                cases[name] = a
cases["scalar"] = np.array(-2.5, dtype="<f4")
np.save(root + "/in/scalar.npy", cases["scalar"])
cases["empty"] = np.zeros((2, 0, 3), dtype=">i2")
np.save(root + "/in/empty.npy", cases["empty"])
with open(root + "/roundtrip.yaml", "w") as f:
    f.write("inputs:\n")
    for name in cases:
        f.write('  %s: load("in/%s.npy")\n' % (name, name))
    f.write("output:\n")
    for name in cases:
        f.write("  - %s\n" % name)
PY

run_tool run --save "$SCRATCH/out" "$SCRATCH/roundtrip.yaml"
expect_eq "run --save status" 0 "$STATUS"
expect_eq "run --save prints the text output as usual" 1 "$([ -n "$OUT" ] && echo 1)"

# files -> numpy: the same values bit for bit, in native byte order and C order, as np.save writes them.
"$PYTHON" - "$SCRATCH" <<'PY' || fail "numpy did not read back what it wrote"
import io, os, sys, numpy as np
root = sys.argv[1]
names = sorted(n[:-4] for n in os.listdir(root + "/in"))
assert sorted(n[:-4] for n in os.listdir(root + "/out")) == names, os.listdir(root + "/out")
for name in names:
    original = np.load("%s/in/%s.npy" % (root, name))
    back = np.load("%s/out/%s.npy" % (root, name))
    native = original.astype(original.dtype.newbyteorder("="), order="C")
    assert back.dtype == native.dtype, (name, back.dtype, native.dtype)
    assert back.shape == native.shape, (name, back.shape, native.shape)
    assert back.tobytes() == native.tobytes(), name
    expected = io.BytesIO()
    np.save(expected, native)
    with open("%s/out/%s.npy" % (root, name), "rb") as f:
        assert f.read() == expected.getvalue(), name + ": not the bytes numpy.save writes"
print("ok", len(names))
PY

# computed by the tool -> numpy: dtypes, shapes and values, including a list result and a scalar.
cat > "$SCRATCH/computed.yaml" <<'YAML'
inputs:
  x: {value: [[1.0, 2.0], [3.0, 4.0]], dtype: float64}
  w: {value: [0.5, -0.25], dtype: float32}
operations:
  - y = reduce_sum(x * x)
  - z = reduce_sum(w * w * w)
derivatives:
  - g = gradient(y, [x])
  - dz = gradient(z, w)
output:
  - g
  - dz
  - cast(range(5), int8)
  - cast(x, float16)
  - y
  - print(x > 2.0, 7, 1.5)
YAML
rm -rf "$SCRATCH/out2"
run_tool run --save "$SCRATCH/out2" "$SCRATCH/computed.yaml"
expect_eq "computed spec status" 0 "$STATUS"
"$PYTHON" - "$SCRATCH/out2" <<'PY' || fail "numpy did not read the tool's results"
import os, sys, numpy as np
d = sys.argv[1]
def load(name):
    return np.load(os.path.join(d, name + ".npy"))
x = np.array([[1.0, 2.0], [3.0, 4.0]])
w = np.array([0.5, -0.25], dtype=np.float32)
checks = {
    "g_0": 2 * x,
    "dz": np.float32(3) * w * w,
    "cast_range_5_int8": np.arange(5, dtype=np.int8),
    "cast_x_float16": x.astype(np.float16),
    "y": np.float64(30.0),
    "x_2.0": x > 2.0,
    "7": np.array(7, dtype=np.int64),
    "1.5": np.array(1.5, dtype=np.float64),
}
assert sorted(os.listdir(d)) == sorted(k + ".npy" for k in checks), sorted(os.listdir(d))
for name, want in checks.items():
    got = load(name)
    want = np.asarray(want)
    assert got.dtype == want.dtype and got.shape == want.shape, (name, got.dtype, got.shape, want.dtype, want.shape)
    assert got.tobytes() == want.tobytes(), (name, got, want)
print("ok")
PY

# String tensors are saved as fixed-width bytes, unicode as its UTF-8 encoding.
printf 'inputs:\n  b: load("%s/specs/scripting/data/bytes.npy")\n  u: load("%s/specs/scripting/data/unicode.npy")\noutput:\n  - b\n  - u\n' \
  "$SOURCE" "$SOURCE" > "$SCRATCH/strings.yaml"
rm -rf "$SCRATCH/out4"
# The data is outside the spec's directory, so reading it needs --allow-read.
run_tool run --allow-read "$SOURCE/specs/scripting/data" --save "$SCRATCH/out4" "$SCRATCH/strings.yaml"
expect_eq "strings spec status" 0 "$STATUS"
"$PYTHON" - "$SCRATCH/out4" <<'PY' || fail "numpy did not read the saved strings"
import sys, numpy as np
b = np.load(sys.argv[1] + "/b.npy")
u = np.load(sys.argv[1] + "/u.npy")
assert b.dtype == np.dtype("S3") and b.tolist() == [b"ab", b"", b"xyz"], b
assert u.dtype == np.dtype("S6") and [s.decode() for s in u.tolist()] == ["gr\u00fc\u00df", "x"], u
PY

# Several specs: a subdirectory each, named after the spec file.
rm -rf "$SCRATCH/out3"
run_tool run --save "$SCRATCH/out3" "$SCRATCH/computed.yaml" specs/notebook/first_derivative.yaml
expect_eq "several specs save into subdirectories" "computed first_derivative" "$(ls "$SCRATCH/out3" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "first_derivative's output" "dy_dx.npy" "$(ls "$SCRATCH/out3/first_derivative")"

# An unwritable --save directory is a clear usage error.
touch "$SCRATCH/a-file"
run_tool run --save "$SCRATCH/a-file/sub" "$SCRATCH/computed.yaml"
expect_eq "unwritable --save status" 2 "$STATUS"
expect_contains "unwritable --save message" "error: --save: cannot create directory $SCRATCH/a-file/sub" "$ERR"
expect_eq "nothing on stdout" "" "$OUT"
finish
